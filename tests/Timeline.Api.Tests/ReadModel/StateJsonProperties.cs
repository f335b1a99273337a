using System.Text.Json;
using CsCheck;
using Timeline.Api.ReadModel;
using Timeline.Domain.Policies;
using Timeline.Domain.Timelines;
using Timeline.Testing;

namespace Timeline.Api.Tests.ReadModel;

/// <summary>
/// A version row's state is serialised once per stream where a repeat is cheap to see (<see cref="StateJson"/>): whatever
/// it reuses, every row must still hold exactly the JSON of its own segment's state. Needs no database.
/// </summary>
public class StateJsonProperties
{
    [Fact]
    public void Every_version_row_holds_the_json_of_its_own_segments_state()
    {
        long reused = 0;
        HistoryGenerator.Scripts.Sample(
            script =>
            {
                foreach (var (policyId, history) in script.Run().Log.Histories)
                {
                    var rows = ReadModelWriter.Begin();
                    ReadModelWriter.WriteStream(rows, policyId, history, history.Select(e => e.RecordedAt).Distinct().Order());
                    var seen = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
                    var reusedHere = 0;
                    foreach (var row in rows.InsertedVersions)
                    {
                        var segment = PolicyTimeline.Build(history, row.RecordedFrom)!.Segments.Single(s => s.ValidFrom == row.ValidFrom);
                        var expected = JsonSerializer.SerializeToUtf8Bytes(segment.Snapshot.State, PolicyJson.Options);
                        if (!row.State.AsSpan().SequenceEqual(expected))
                        {
                            return false;
                        }

                        reusedHere += seen.Add(row.State) ? 0 : 1;
                    }

                    // CsCheck samples on several threads.
                    Interlocked.Add(ref reused, reusedHere);
                }

                return true;
            },
            iter: PropertySettings.Iterations,
            print: script => script.Run().ToString());

        // Reuse must happen, or the property says nothing about it.
        Assert.True(reused > 0, "no generated history reused a serialised state");
    }
}
