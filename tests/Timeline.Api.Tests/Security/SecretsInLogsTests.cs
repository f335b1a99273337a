using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Timeline.Api.Auth;
using Timeline.Api.Tests.Infrastructure;
using static Timeline.Api.Tests.Infrastructure.Scenarios;

namespace Timeline.Api.Tests.Security;

/// <summary>
/// Everything ASP.NET Core, authentication, Npgsql, Marten and MassTransit log at Trace level, captured while the
/// service is used with keys, tokens and a database password: none of those secrets, nor a key's hash, is ever written.
/// </summary>
public sealed class SecretsInLogsTests(PostgresServer postgres)
{
    private const string DatabasePassword = "pg-password-Zq81vX";
    private const string WrongKey = "wrong-key-presented-4417";

    [Fact]
    public async Task No_key_hash_token_signing_key_or_password_appears_in_any_log_line()
    {
        var database = await postgres.CreateDatabaseAsync("timeline_logs");
        var withPassword = new NpgsqlConnectionStringBuilder(database) { Password = DatabasePassword }.ConnectionString;
        var capture = new CapturingLoggerProvider();
        var settings = new Dictionary<string, string?>(Tokens.Settings);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using (var host = TimelineHost.Start(withPassword, clock, settings, web => web.ConfigureLogging(logging =>
        {
            logging.AddProvider(capture);
            logging.AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Trace);
        })))
        {
            var token = Tokens.Create(clock.GetUtcNow(), name: "log-test");
            await host.Writer.WriteAsync("/api/policies", Issue("logs-a", "2024-01-01"));
            using (var idempotent = new HttpRequestMessage(HttpMethod.Post, "/api/policies/logs-a/amendments") { Content = JsonContent.Create(new { effectiveAt = "2024-02-01", set = new { k = 1 } }) })
            {
                idempotent.Headers.Add("Idempotency-Key", "logs-key-1");
                using var answer = await host.Writer.SendAsync(idempotent, TestContext.Current.CancellationToken);
                Assert.True(answer.IsSuccessStatusCode);
            }

            using var wrong = host.CreateClient(WrongKey);
            using (await wrong.PostAsync("/api/policies", Issue("logs-b", "2024-01-01")))
            {
            }

            foreach (var bearer in new[] { token, Tokens.Create(clock.GetUtcNow(), key: "another-signing-key-of-at-least-32-bytes-xyz"), Tokens.Create(clock.GetUtcNow(), expires: clock.GetUtcNow().UtcDateTime.AddMinutes(-5)) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/policies") { Content = JsonContent.Create(Issue("logs-c", "2024-01-01"), options: TimelineApp.Json) };
                using (await host.Anonymous.SendAsync(request.Bearer(bearer), TestContext.Current.CancellationToken))
                {
                }
            }

            await host.Writer.GetJsonAsync("/api/policies/logs-a/history");
            using (await host.Writer.PostAsync("/api/policies", new { id = "x" }))
            {
            }

            string[] secrets =
            [
                TimelineHost.ApiKey, Convert.ToHexStringLower(ApiKeyRing.Hash(TimelineHost.ApiKey)), Convert.ToHexString(ApiKeyRing.Hash(TimelineHost.ApiKey)),
                Convert.ToBase64String(ApiKeyRing.Hash(TimelineHost.ApiKey)), WrongKey, DatabasePassword, Tokens.SigningKey, token, token.Split('.')[2],
            ];
            var lines = capture.Lines.ToList();
            Assert.True(lines.Count > 50, $"the capture should have seen the service at work at Trace level; it saw {lines.Count} lines");
            foreach (var secret in secrets)
            {
                var leak = lines.FirstOrDefault(line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
                Assert.True(leak is null, $"a secret was logged: {leak}");
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"{lines.Count} log lines checked for {secrets.Length} secrets");
        }

        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Keeps every message, its structured values, its scopes and its exception in full.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        line.Append(" | ").Append(key).Append('=').Append(value);
                    }
                }

                provider._scopes.ForEachScope((scope, text) => text.Append(" | scope ").Append(scope), line);
                line.Append(exception);
                provider.Lines.Enqueue(line.ToString());
            }
        }
    }
}
