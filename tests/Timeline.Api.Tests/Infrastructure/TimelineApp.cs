using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Timeline.Api.Database.EmbeddedPostgres;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>
/// The service on its own fresh database, through the real HTTP pipeline: one per test class
/// (<c>IClassFixture&lt;TimelineApp&gt;</c>), so classes run in parallel without sharing data.
/// The clock for "now" (<c>at</c> defaults, extensions) is a fake the test can move; record time is the database's.
/// </summary>
public class TimelineApp(PostgresServer postgres) : IAsyncLifetime
{
    public const string ApiKey = TimelineHost.ApiKey;
    public const string KeyName = TimelineHost.KeyName;

    private TimelineHost? _host;

    public string ConnectionString { get; private set; } = string.Empty;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A client that writes with a valid key.</summary>
    public HttpClient Writer => _host!.Writer;

    /// <summary>A client with no key.</summary>
    public HttpClient Anonymous => _host!.Anonymous;

    public IServiceProvider Services => _host!.Services;

    /// <summary>A handler into the in-process server, for clients built elsewhere (the command line's).</summary>
    public HttpMessageHandler CreateHandler() => _host!.CreateHandler();

    /// <summary>Another client, writing with <paramref name="apiKey"/> when one is given; the caller disposes it.</summary>
    public HttpClient CreateClient(string? apiKey = null) => _host!.CreateClient(apiKey);

    /// <summary>Where the service listens when <see cref="ListensOnSocket"/>; null on the in-memory TestServer.</summary>
    public Uri? Address => _host?.Address;

    /// <summary>What the service published.</summary>
    public PublishRecorder Published => _host!.Published;

    /// <summary>The audit checkpoint signing key of this instance, outside the database as in production.</summary>
    public string SigningKeyFile { get; } = Path.Combine(Path.GetTempPath(), $"timeline-test-signing-{Guid.NewGuid():N}.pem");

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Skips the calling test when there is no PostgreSQL (fails it on CI). Call from a test class, not a fixture.</summary>
    public void RequirePostgres() => postgres.SkipIfUnavailable();

    public async ValueTask InitializeAsync()
    {
        if (!postgres.IsAvailable)
        {
            return; // a skip thrown from a class fixture would fail the class; each test class skips instead
        }

        ConnectionString = await postgres.CreateDatabaseAsync("timeline_api");
        using (var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(SigningKeyFile, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
        }

        _host = TimelineHost.Start(
            ConnectionString,
            Clock,
            new Dictionary<string, string?> { ["Timeline:Audit:SigningKeyFile"] = SigningKeyFile },
            Configure,
            ListensOnSocket ? new Uri($"http://127.0.0.1:{FreeTcpPort.OnLoopback()}") : null);
    }

    /// <summary>Whether the service listens on a real loopback socket (Kestrel), for clients outside the process such as a browser.</summary>
    protected virtual bool ListensOnSocket => false;

    /// <summary>Settings a fixture adds to the service's, before it starts.</summary>
    protected virtual void Configure(IWebHostBuilder host)
    {
    }

    /// <summary>How many events the log holds and how many read-model rows exist: what a rejected write must leave unchanged.</summary>
    public async Task<StoreCounts> CountAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "select (select count(*) from timeline.mt_events), (select count(*) from timeline.policy_versions), (select count(*) from timeline.policy_changes), (select count(*) from timeline.mt_streams)",
            connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        return new StoreCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        File.Delete(SigningKeyFile);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Counts of everything a write can add.</summary>
public sealed record StoreCounts(long Events, long VersionRows, long ChangeRows, long Streams);

/// <summary>The JSON answers the tests read, kept as parsed documents so assertions name the contract's fields.</summary>
public static class HttpJson
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
