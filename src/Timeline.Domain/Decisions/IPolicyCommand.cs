namespace Timeline.Domain.Decisions;

/// <summary>
/// A write: the instrument it is about, the other streams its decision reads (known once that
/// instrument's record is loaded), and the decision. Every write path loads and decides through this.
/// </summary>
public interface IPolicyCommand
{
    /// <summary>The instrument the command is about; its stream version is what If-Match compares.</summary>
    string? PolicyId { get; }

    /// <summary>The other instruments whose histories the decision reads, given this one's record (null when unknown).</summary>
    IEnumerable<string> AlsoReads(InstrumentRecord? record) => [];

    Decision Decide(PolicyHistories histories, DecisionContext context);
}
