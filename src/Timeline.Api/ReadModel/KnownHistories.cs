using System.Runtime.CompilerServices;
using Timeline.Domain.Policies;

namespace Timeline.Api.ReadModel;

/// <summary>
/// The histories a batch writer already holds for its session, handed to the inline projection so that it does not
/// load the same streams again in the same transaction. Keyed by the session object and held only as long as it lives.
/// </summary>
internal static class KnownHistories
{
    private static readonly ConditionalWeakTable<object, Func<string, IReadOnlyList<RecordedEvent>?>> BySession = [];

    /// <summary>Registers, for <paramref name="session"/>, each stream's whole history as the batch leaves it (null: unknown).</summary>
    public static void Attach(object session, Func<string, IReadOnlyList<RecordedEvent>?> historyOf) => BySession.AddOrUpdate(session, historyOf);

    public static Func<string, IReadOnlyList<RecordedEvent>?>? For(object operations) =>
        BySession.TryGetValue(operations, out var historyOf) ? historyOf : null;
}
