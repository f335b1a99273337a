using System.Globalization;
using System.Text.Json.Nodes;
using Timeline.Dataset.Requests;
using Timeline.Domain.Correction;
using Timeline.Domain.Decisions;
using Timeline.Testing;

namespace Timeline.Benchmarks.Generation;

/// <summary>
/// One write of the synthetic record: the write as <c>POST /api/batches</c> takes it. A correction names the
/// event it corrects by the number of the write that recorded it (<see cref="CorrectsWrite"/>); its id is known
/// only once that write is stored.
/// </summary>
public sealed record BenchWrite(long Number, string Write, string PolicyId, JsonObject Body, long? CorrectsWrite = null)
{
    /// <summary>The command its endpoint would run; a correction with the stored id of the event it corrects.</summary>
    public IPolicyCommand ToCommand(Guid? correctedEventId = null)
    {
        if (Write == "correct")
        {
            return new CorrectEvent(PolicyId, correctedEventId?.ToString(), Body["changes"]!.AsObject(), Body["reason"]!.GetValue<string>());
        }

        return new WriteRequest(WriteRequest.Names[Write], PolicyId, Body).ToCommand();
    }
}

/// <summary>
/// A realistic synthetic record, the same for the same seed: instruments across topics and jurisdictions, issued
/// from 1994 on, with amendments recorded out of effective order, suspensions and reinstatements, rescissions
/// and supersessions through other instruments, extensions, future-effective changes and corrections. Made in
/// cohorts of instruments, each rehearsed in memory by the domain's own commands (<see cref="InMemoryPolicyLog"/>),
/// so every write it yields is one the service accepts, and memory stays bounded whatever the size.
/// </summary>
public static class SyntheticRecord
{
    public const int InstrumentsPerCohort = 1_000;

    /// <summary>Corrections name writes at least this many writes earlier, so the target is in an earlier batch.</summary>
    public const int CorrectionDistance = 2_500;

    private static readonly string[] Jurisdictions = ["US", "EU", "GB", "JP", "CN", "CA", "AU", "IN", "KR", "SG", "DE", "FR"];

    private static readonly string[] Topics =
    [
        "export-controls", "sanctions", "ai", "semiconductors", "immigration", "visas", "tariffs", "privacy",
        "cybersecurity", "energy", "telecom", "investment-screening", "health", "finance", "climate", "trade",
    ];

    private static readonly string[] Kinds = ["executive-order", "proclamation", "rule", "statute", "guidance", "license-policy"];

    private static readonly DateTime FirstDay = new(1994, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The topic most list queries filter on; it is on about one instrument in eight.</summary>
    public static string QueryTopic => Topics[0];

    /// <summary>Writes until at least <paramref name="events"/> events are recorded (one write may record several).</summary>
    public static IEnumerable<(BenchWrite Write, int Events)> Generate(long events, int seed)
    {
        long number = 0, recorded = 0;
        for (var cohort = 0; recorded < events; cohort++)
        {
            foreach (var (write, count) in Cohort(cohort, new Random(unchecked((seed * 1_000_003) + cohort)) /* HashCode is randomised per process */, number))
            {
                yield return (write, count);
                number = write.Number + 1;
                recorded += count;
                if (recorded >= events)
                {
                    yield break;
                }
            }
        }
    }

    private static IEnumerable<(BenchWrite Write, int Events)> Cohort(int cohort, Random random, long firstNumber)
    {
        var log = new InMemoryPolicyLog();
        var recordedAt = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(cohort);
        var plans = Enumerable.Range(0, InstrumentsPerCohort).Select(i => Plan(cohort, i, random)).ToList();
        var issued = new List<InstrumentPlan>();
        var amendments = new List<(long Number, string PolicyId, string Key, Guid MemoryEventId)>();
        var memoryIds = new Dictionary<long, Guid>();
        var number = firstNumber;
        var queues = plans.Select(p => new Queue<(string Write, JsonObject Body)>(p.Writes)).ToList();
        var live = Enumerable.Range(0, plans.Count).ToList();

        while (live.Count > 0)
        {
            // Instruments advance side by side: the next write of a random instrument.
            var pick = random.Next(live.Count);
            var index = live[pick];
            var (write, body) = queues[index].Dequeue();
            if (queues[index].Count == 0)
            {
                live[pick] = live[^1];
                live.RemoveAt(live.Count - 1);
            }

            var plan = plans[index];
            if (write == "issue" && issued.Count > 0 && random.NextDouble() < 0.08)
            {
                // A rescission or supersession through this instrument, of one issued before it.
                var target = issued[random.Next(issued.Count)];
                if (target.EffectiveDay <= plan.EffectiveDay)
                {
                    body[random.NextDouble() < 0.7 ? "rescinds" : "supersedes"] = new JsonArray(target.Id);
                }
            }

            var bench = new BenchWrite(number, write, plan.Id, body);
            if (Accept(log, bench.ToCommand(), ref recordedAt, out var decision))
            {
                if (write == "issue")
                {
                    issued.Add(plan);
                }
                else if (write == "amend")
                {
                    amendments.Add((number, plan.Id, ((JsonObject)body["set"]!).First().Key, decision.Events[0].EventId));
                }

                memoryIds[number] = decision.Events[0].EventId;
                number++;
                yield return (bench, decision.Events.Count);
            }
        }

        // Corrections last: an amended value was wrong. They name writes of earlier batches.
        foreach (var (target, policyId, key, memoryId) in amendments.Where(a => a.Number < number - CorrectionDistance && random.NextDouble() < 0.08))
        {
            var body = new JsonObject
            {
                ["changes"] = new JsonObject { ["set"] = new JsonObject { [key] = random.Next(1, 1_000_000) } },
                ["reason"] = "the published figure was a typo",
            };
            var correction = new BenchWrite(number, "correct", policyId, body, target);
            if (Accept(log, correction.ToCommand(memoryId), ref recordedAt, out var decision))
            {
                number++;
                yield return (correction, decision.Events.Count);
            }
        }
    }

    private static bool Accept(InMemoryPolicyLog log, IPolicyCommand command, ref DateTimeOffset recordedAt, out Decision decision)
    {
        recordedAt = recordedAt.AddSeconds(1);
        decision = log.Execute(command, recordedAt);
        return decision.IsAccepted;
    }

    private sealed record InstrumentPlan(string Id, int EffectiveDay, List<(string Write, JsonObject Body)> Writes);

    private static InstrumentPlan Plan(int cohort, int i, Random random)
    {
        var jurisdiction = Jurisdictions[random.Next(Jurisdictions.Length)];
        var id = $"{jurisdiction.ToLowerInvariant()}-bench-{cohort:D5}-{i:D4}";
        // Issued from 1994 to a year ahead; changes up to ten years after the issue (some still in the future).
        var issueDay = random.Next(0, 34 * 365);
        var topics = new JsonArray([.. Topics.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(t => (JsonNode)t)]);
        var provisions = new JsonObject();
        for (var p = 0; p < random.Next(2, 5); p++)
        {
            provisions[$"clause-{p}"] = random.Next(1, 100_000);
        }

        var issue = new JsonObject
        {
            ["id"] = id,
            ["kind"] = Kinds[random.Next(Kinds.Length)],
            ["title"] = $"Synthetic instrument {cohort}/{i} on {topics[0]}",
            ["jurisdiction"] = jurisdiction,
            ["topics"] = topics,
            ["effectiveAt"] = Day(issueDay),
            ["citation"] = $"{issueDay / 365 + 59} FR {random.Next(1, 99_999)}",
            ["provisions"] = provisions,
        };
        var expires = random.NextDouble() < 0.2 ? issueDay + random.Next(365, 3650) : (int?)null;
        if (expires is { } expiry)
        {
            issue["expiresAt"] = Day(expiry);
        }

        var writes = new List<(string, JsonObject)> { ("issue", issue) };
        var changes = random.Next(2, 14);
        for (var c = 0; c < changes; c++)
        {
            // Drawn in any order of effective time: amendments arrive out of effective order.
            var day = issueDay + random.Next(1, 3650);
            var roll = random.NextDouble();
            if (roll < 0.78)
            {
                writes.Add(("amend", new JsonObject
                {
                    ["effectiveAt"] = Day(day),
                    ["set"] = new JsonObject { [$"clause-{random.Next(0, 8)}"] = random.Next(1, 100_000) },
                    ["summary"] = "Adjusts a threshold",
                }));
            }
            else if (roll < 0.88)
            {
                writes.Add(("suspend", new JsonObject { ["effectiveAt"] = Day(day), ["reason"] = "preliminary injunction", ["by"] = "D.D.C." }));
                writes.Add(("reinstate", new JsonObject { ["effectiveAt"] = Day(day + random.Next(30, 400)), ["reason"] = "injunction stayed" }));
            }
            else if (roll < 0.93 && expires is { } current)
            {
                expires = current + random.Next(100, 1000);
                writes.Add(("extend", new JsonObject { ["effectiveAt"] = Day(Math.Min(day, current - 1)), ["expiresAt"] = Day(expires.Value) }));
            }
            else if (roll < 0.97)
            {
                writes.Add(("rescind", new JsonObject { ["effectiveAt"] = Day(day), ["citation"] = "rescinded by notice" }));
            }
        }

        return new InstrumentPlan(id, issueDay, writes);
    }

    private static string Day(int day) => FirstDay.AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
