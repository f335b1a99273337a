using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Timeline.Api.Database.EmbeddedPostgres;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>
/// What to do when a test needs PostgreSQL and the machine has none: on CI that is a broken machine and
/// the test fails; on a developer's machine the test is skipped with instructions.
/// </summary>
internal static class PostgresRequirement
{
    public const string HowToRun =
        "To run the PostgreSQL tests, install the PostgreSQL 15 server binaries (e.g. `apt-get install postgresql-15`), "
        + "or set TIMELINE_TEST_POSTGRES to the connection string of a server where the user may create databases, "
        + "or start a Docker engine.";

    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>The machine's server binaries, or a skipped (failed, on CI) test.</summary>
    public static PostgresBinaries Binaries()
    {
        if (!PostgresBinaries.TryFind(out var binaries))
        {
            Unavailable("No PostgreSQL server binaries were found.");
        }

        return binaries;
    }

    [DoesNotReturn]
    public static void Unavailable(string reason)
    {
        var message = $"{reason} {HowToRun}";
        if (IsCi)
        {
            throw new InvalidOperationException($"CI is set, so PostgreSQL must be available. {message}");
        }

        Assert.Skip(message);
        throw new UnreachableException();
    }
}
