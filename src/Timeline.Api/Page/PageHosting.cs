using Microsoft.Extensions.FileProviders;

namespace Timeline.Api.Page;

/// <summary>
/// The timeline page at <c>/</c>: its HTML, CSS and compiled scripts are embedded in this assembly (see the
/// csproj), so the service serves them wherever it runs (dotnet run, tests, a container) with no web root and no CDN.
/// </summary>
public static class PageHosting
{
    /// <summary>The manifest-resource prefix the csproj gives the files of Page/wwwroot.</summary>
    public const string ResourceNamespace = "Timeline.Api.Page.wwwroot";

    public static WebApplication UseTimelinePage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new EmbeddedFileProvider(typeof(PageHosting).Assembly, ResourceNamespace);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Revalidate every time (the ETag makes that cheap), so a new build is never hidden behind a cached script.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
