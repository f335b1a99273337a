namespace Timeline.Api.Tests.Infrastructure;

/// <summary>A test class against the service on its own database; skipped with instructions where there is no PostgreSQL.</summary>
public abstract class ApiTest : IClassFixture<TimelineApp>
{
    protected ApiTest(TimelineApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.RequirePostgres();
        App = app;
    }

    protected TimelineApp App { get; }
}
