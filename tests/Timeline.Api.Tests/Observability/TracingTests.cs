using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Observability;

/// <summary>The spans of one write, as an exporter receives them: the request's, and the database commands' inside it.</summary>
[Collection(typeof(InProcessTelemetry))]
public sealed class TracingTests(TracingTests.TracedApp app) : IClassFixture<TracingTests.TracedApp>
{
    [Fact]
    public async Task A_write_exports_an_aspnetcore_span_with_its_correlation_id_and_npgsql_and_marten_spans_in_its_trace()
    {
        app.RequirePostgres();
        var correlationId = $"trace-{Guid.NewGuid():N}";
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/policies"))
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
            request.Content = System.Net.Http.Json.JsonContent.Create(Scenarios.Issue("traced-eo", "2024-01-01"), options: TimelineApp.Json);
            using var response = await app.Writer.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        Activity? server = null;
        await Eventually.HoldsAsync(
            () =>
            {
                server = app.Spans().FirstOrDefault(span => span.Source.Name == "Microsoft.AspNetCore"
                    && span.GetTagItem("timeline.correlation_id") as string == correlationId);
                return server is not null;
            },
            TimeSpan.FromSeconds(20),
            () => $"no ASP.NET Core span with the correlation id; spans: {Describe(app.Spans())}");

        Assert.Equal("POST", server!.GetTagItem("http.request.method"));
        Assert.Equal("/api/policies/", server.GetTagItem("http.route"));
        var inTrace = app.Spans().Where(span => span.TraceId == server.TraceId).ToList();
        Assert.Contains(inTrace, span => span.Source.Name == "Npgsql" && span.Kind == ActivityKind.Client);
        Assert.Contains(inTrace, span => span.Source.Name == "Marten");
    }

    private static string Describe(IEnumerable<Activity> spans) =>
        string.Join(", ", spans.Select(span => $"{span.Source.Name}:{span.DisplayName}"));

    public sealed class TracedApp(PostgresServer postgres) : TimelineApp(postgres)
    {
        private readonly LockedCollection<Activity> _exported = new();

        public IReadOnlyList<Activity> Spans() => _exported.Snapshot();

        /// <summary>The in-memory exporter beside whatever the service exports to, fed as each span ends.</summary>
        protected override void Configure(IWebHostBuilder host) =>
            host.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_exported)));
    }

    /// <summary>The exporter adds from the service's threads while the test reads.</summary>
    private sealed class LockedCollection<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count => Snapshot().Count;

        public bool IsReadOnly => false;

        public IReadOnlyList<T> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().ToList().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
