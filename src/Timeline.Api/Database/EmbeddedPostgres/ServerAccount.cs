using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>
/// The operating-system account that runs initdb, pg_ctl and the server. PostgreSQL refuses to run as root, so
/// when this process is root the programs run through <c>runuser</c> as an unprivileged user instead.
/// </summary>
internal sealed class ServerAccount
{
    private static readonly string[] UnprivilegedUsers = ["postgres", "nobody"];

    private ServerAccount(string? user) => User = user;

    /// <summary>The user the programs run as; null when they run as the current user.</summary>
    public string? User { get; }

    public static async Task<ServerAccount> ForCurrentProcessAsync(CancellationToken cancellationToken)
    {
        if (!IsRoot())
        {
            return new ServerAccount(null);
        }

        foreach (var user in UnprivilegedUsers)
        {
            var lookup = await ProcessRunner.RunAsync("id", ["-u", user], cancellationToken);
            if (lookup.Succeeded)
            {
                return new ServerAccount(user);
            }
        }

        throw new EmbeddedPostgresException(
            "This process runs as root and PostgreSQL refuses to, but neither a 'postgres' nor a 'nobody' user exists "
            + "to run it as. Create a 'postgres' user, or run the service as an unprivileged user.");
    }

    public Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        User is null
            ? ProcessRunner.RunAsync(program, arguments, cancellationToken)
            : ProcessRunner.RunAsync("runuser", ["-u", User, "--", program, .. arguments], cancellationToken);

    /// <summary>
    /// Hands the data directory and the log file to the account, and makes sure it can reach them: a temp
    /// directory made by root, for one, is not traversable by anyone else.
    /// </summary>
    public async Task TakeOwnershipAsync(string dataDirectory, string logFile, ILogger logger, CancellationToken cancellationToken)
    {
        if (User is null)
        {
            return;
        }

        MakeAncestorsTraversable(dataDirectory, logger);
        var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{User}:", dataDirectory, logFile], cancellationToken);
        chown.EnsureSucceeded($"Giving {dataDirectory} to the '{User}' user");
    }

    private static void MakeAncestorsTraversable(string path, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        for (var directory = Path.GetDirectoryName(path); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var mode = File.GetUnixFileMode(directory);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                File.SetUnixFileMode(directory, mode | UnixFileMode.OtherExecute);
                logger.LogInformation("Made {Directory} traversable so that the PostgreSQL server can reach its data", directory);
            }
        }
    }

    private static bool IsRoot() => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    // DllImport rather than LibraryImport: the generated LibraryImport stub needs unsafe code enabled.
    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEffectiveUserId();
}
