using System.Diagnostics.CodeAnalysis;

namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>A directory holding the PostgreSQL server programs <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>.</summary>
internal sealed record PostgresBinaries(string Directory)
{
    /// <summary>Where Debian and Ubuntu install each major version, as <c>&lt;root&gt;/&lt;version&gt;/bin</c>.</summary>
    public const string DefaultInstallRoot = "/usr/lib/postgresql";

    private static readonly string[] Programs = ["initdb", "pg_ctl", "postgres"];

    public string InitDb => Path.Combine(Directory, "initdb");

    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    public string Postgres => Path.Combine(Directory, "postgres");

    /// <summary>
    /// Looks on the search path first (following symlinks to the real installation, since initdb finds postgres
    /// next to itself), then in the newest version under the install root.
    /// </summary>
    /// <param name="searchPath">A PATH-style list of directories; null means the process's PATH.</param>
    /// <param name="installRoot">The directory holding one folder per installed major version.</param>
    /// <exception cref="PostgresBinariesNotFoundException">Neither place has all three programs.</exception>
    public static PostgresBinaries Find(string? searchPath = null, string installRoot = DefaultInstallRoot)
    {
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        return FindOnSearchPath(searchPath)
            ?? FindNewestInstalled(installRoot)
            ?? throw new PostgresBinariesNotFoundException(installRoot);
    }

    public static bool TryFind([NotNullWhen(true)] out PostgresBinaries? binaries, string? searchPath = null, string installRoot = DefaultInstallRoot)
    {
        try
        {
            binaries = Find(searchPath, installRoot);
            return true;
        }
        catch (PostgresBinariesNotFoundException)
        {
            binaries = null;
            return false;
        }
    }

    private static PostgresBinaries? FindOnSearchPath(string searchPath)
    {
        foreach (var directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initDb = new FileInfo(Path.Combine(directory, "initdb"));
            if (!initDb.Exists)
            {
                continue;
            }

            var realInitDb = initDb.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initDb.FullName;
            var realDirectory = Path.GetDirectoryName(realInitDb);
            if (realDirectory is not null && HasEveryProgram(realDirectory))
            {
                return new PostgresBinaries(realDirectory);
            }
        }

        return null;
    }

    private static PostgresBinaries? FindNewestInstalled(string installRoot)
    {
        if (!System.IO.Directory.Exists(installRoot))
        {
            return null;
        }

        return System.IO.Directory.EnumerateDirectories(installRoot)
            .Select(directory => (Version: ParseMajorVersion(Path.GetFileName(directory)), Bin: Path.Combine(directory, "bin")))
            .Where(candidate => candidate.Version is not null && HasEveryProgram(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => new PostgresBinaries(candidate.Bin))
            .FirstOrDefault();
    }

    // "15" and "9.6" alike; compared as numbers so that 10 is newer than 9.6.
    private static Version? ParseMajorVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private static bool HasEveryProgram(string directory) =>
        Programs.All(program => IsExecutableFile(Path.Combine(directory, program)));

    private static bool IsExecutableFile(string path)
    {
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & anyExecute) != 0);
    }
}
