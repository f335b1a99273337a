using System.Globalization;
using System.Text;
using Timeline.Domain.Decisions;
using Timeline.Domain.Policies;
using Timeline.Domain.Time;

namespace Timeline.Testing;

/// <summary>
/// One command of a script, recorded at <see cref="RecordedAt"/>. <see cref="CommandFor"/> builds the
/// command against the log as it stands, so that a correction can name an event recorded earlier.
/// </summary>
public sealed record ScriptStep(DateTimeOffset RecordedAt, string Description, Func<InMemoryPolicyLog, IPolicyCommand> CommandFor)
{
    public override string ToString() => $"recorded {Instants.Format(RecordedAt)}: {Description}";
}

/// <summary>Commands to apply in order, with strictly increasing record times.</summary>
public sealed record PolicyScript(IReadOnlyList<ScriptStep> Steps)
{
    /// <summary>Applies every step to a new <see cref="InMemoryPolicyLog"/>; rejected steps write nothing.</summary>
    public ScriptRun Run()
    {
        var log = new InMemoryPolicyLog();
        var outcomes = Steps.Select(step => new StepOutcome(step, log.Execute(step.CommandFor(log), step.RecordedAt))).ToList();
        return new ScriptRun(log, outcomes);
    }

    public override string ToString() => Numbered(Steps.Select(step => step.ToString()));

    internal static string Numbered(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        var number = 0;
        foreach (var line in lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  #{++number:00} {line}");
        }

        return text.ToString();
    }
}

/// <summary>What one step's command came to.</summary>
public sealed record StepOutcome(ScriptStep Step, Decision Decision)
{
    public override string ToString() => Decision.Rejection is { } rejection
        ? $"{Step}{Environment.NewLine}        rejected {rejection.Kind}: {rejection.Detail}{Errors(rejection)}"
        : $"{Step}{Environment.NewLine}        accepted: {string.Join(", ", Decision.Events.Select(Describe))}";

    private static string Describe(NewEvent written) => written.Data is PolicyCorrected corrected
        ? $"{written.EventId} PolicyCorrected of {written.PolicyId}, correcting {corrected.EventId}: {corrected.Changes}"
        : $"{written.EventId} {written.Data.GetType().Name} of {written.PolicyId}";

    private static string Errors(Rejection rejection) => rejection.Errors is null
        ? string.Empty
        : " " + string.Join("; ", rejection.Errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}"));
}

/// <summary>A script applied: the resulting log and each step's decision, printable as a readable report.</summary>
public sealed record ScriptRun(InMemoryPolicyLog Log, IReadOnlyList<StepOutcome> Outcomes)
{
    public int AcceptedCount => Outcomes.Count(outcome => outcome.Decision.IsAccepted);

    public override string ToString() => PolicyScript.Numbered(Outcomes.Select(outcome => outcome.ToString()));
}
