using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Faults;

/// <summary>What the fault tests share: the service's settings, its readiness, the record in the database, and the figures they print.</summary>
internal static class FaultSetup
{
    /// <summary>The service on <paramref name="database"/>, publishing to <paramref name="rabbitMq"/> when given.</summary>
    public static Dictionary<string, string> Settings(string database, Uri? rabbitMq = null, params (string Name, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Timeline"] = database,
            ["Timeline__ApiKeys__0__Name"] = TimelineHost.KeyName,
            ["Timeline__ApiKeys__0__Key"] = TimelineHost.ApiKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (rabbitMq is not null)
        {
            settings["Timeline__Bus__RabbitMq"] = rabbitMq.ToString();
        }

        foreach (var (name, value) in more)
        {
            settings[name] = value;
        }

        return settings;
    }

    /// <summary>The status of <c>/health/ready</c> (0 when no answer came) and how long it took to answer.</summary>
    public static async Task<(int Status, TimeSpan Took, JsonElement? Report)> ReadinessAsync(Uri service)
    {
        using var client = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return ((int)response.StatusCode, Stopwatch.GetElapsedTime(started), JsonDocument.Parse(text).RootElement.Clone());
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (0, Stopwatch.GetElapsedTime(started), null);
        }
    }

    /// <summary>Waits until readiness answers <paramref name="status"/>; returns how long that took, and the slowest readiness answer seen.</summary>
    public static async Task<(TimeSpan After, TimeSpan SlowestAnswer)> ReadinessBecomesAsync(Uri service, HttpStatusCode status, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var slowest = TimeSpan.Zero;
        await Eventually.HoldsAsync(
            async () =>
            {
                var (answered, took, _) = await ReadinessAsync(service);
                slowest = took > slowest ? took : slowest;
                return answered == (int)status;
            },
            timeout,
            () => $"readiness of {service} answers {(int)status}");
        return (Stopwatch.GetElapsedTime(started), slowest);
    }

    /// <summary>Every event id in the store, in log order.</summary>
    public static async Task<List<Guid>> RecordedEventIdsAsync(string database)
    {
        var ids = await Sql.ScalarAsync<Guid[]>(database, "select coalesce(array_agg(id order by seq_id), '{}') from timeline.mt_events");
        return [.. ids];
    }

    /// <summary>
    /// Commands whose events were written in part: an issue that rescinds its predecessor writes the new stream and the
    /// predecessor's rescission in one transaction, so each must be there with the other or not at all.
    /// </summary>
    public static async Task<List<string>> PartialWritesAsync(string database, WriteLoad load)
    {
        var streams = (await Sql.ScalarAsync<string[]>(database, $"select coalesce(array_agg(id), '{{}}') from timeline.mt_streams where id like '{load.Prefix}-%'")).ToHashSet(StringComparer.Ordinal);
        var rescinded = (await Sql.ScalarAsync<string[]>(
            database,
            $"select coalesce(array_agg(stream_id || '>' || (data ->> 'byPolicyId')), '{{}}') from timeline.mt_events where type = 'rescinded' and stream_id like '{load.Prefix}-%'"))
            .ToHashSet(StringComparer.Ordinal);
        var partial = new List<string>();
        for (var writer = 0; writer < load.Writers; writer++)
        {
            for (var n = 1; streams.Contains(load.InstrumentOf(writer, n - 1)); n++)
            {
                var issued = streams.Contains(load.InstrumentOf(writer, n));
                var rescission = rescinded.Contains($"{load.InstrumentOf(writer, n - 1)}>{load.InstrumentOf(writer, n)}");
                if (issued != rescission)
                {
                    partial.Add($"{load.InstrumentOf(writer, n)}: issued {issued}, rescission of {load.InstrumentOf(writer, n - 1)} {rescission}");
                }
            }
        }

        return partial;
    }

    /// <summary>The audit chain as the service verifies it: ok, and how many events it covers.</summary>
    public static async Task<(bool Ok, long Events)> VerifyAuditAsync(Uri service)
    {
        using var client = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(60) };
        var verdict = await client.GetJsonAsync("/api/audit/verify");
        return (verdict.GetProperty("ok").GetBoolean(), verdict.GetProperty("events").GetInt64());
    }

    /// <summary>A digest of the read model's rows, to compare with a rebuild from the log.</summary>
    public static async Task<string> ReadModelDigestAsync(string database) =>
        await Sql.ScalarAsync<string>(database, "select (select count(*) from timeline.policy_versions) || ':' || md5(coalesce((select string_agg(t::text, E'\\n' order by t::text) from timeline.policy_versions t), '')) "
            + "|| '/' || (select count(*) from timeline.policy_changes) || ':' || md5(coalesce((select string_agg(t::text, E'\\n' order by t::text) from timeline.policy_changes t), ''))");

    /// <summary>Rebuilds the read model from the log through the admin endpoint.</summary>
    public static async Task RebuildReadModelAsync(Uri service)
    {
        using var client = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", TimelineHost.ApiKey);
        using var response = await client.PostAsync("/api/admin/read-model/rebuild", null, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"the rebuild answered {(int)response.StatusCode}");
    }

    /// <summary>Prints a figure to the test output, where the report quotes it from.</summary>
    public static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    public static string Seconds(TimeSpan time) => $"{time.TotalSeconds:F2} s";
}
