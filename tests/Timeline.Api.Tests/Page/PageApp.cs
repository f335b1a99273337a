using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Api.Dataset;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Page;

/// <summary>
/// The service on a real loopback socket (Kestrel: a browser cannot reach the in-memory TestServer), on its own
/// database with the curated dataset loaded by its first start, as the embedded default does. Every answer carries
/// the content security policy the page must live with (<c>default-src 'self'</c>: no inline script or style), so
/// a violation shows up as a console error in the tests.
/// </summary>
public sealed class PageApp(PostgresServer postgres) : TimelineApp(postgres)
{
    public const string ContentSecurityPolicy = "default-src 'self'";

    /// <summary>The topic of what the tests write: its group sorts after the dataset's, so screenshots show the dataset first.</summary>
    public const string TestTopic = "written-by-page-tests";

    protected override bool ListensOnSocket => true;

    protected override void Configure(IWebHostBuilder host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.UseSetting(DatasetOnStart.LoadOnStartKey, "true");
        host.ConfigureServices(services => services.AddTransient<IStartupFilter, StrictContentSecurityPolicy>());
    }

    private sealed class StrictContentSecurityPolicy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

[CollectionDefinition(nameof(PageInBrowser))]
public sealed class PageInBrowser : ICollectionFixture<PageApp>, ICollectionFixture<ChromiumBrowser>;
