using System.Diagnostics;

namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>Runs a command to completion and captures its output.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', arguments.Prepend(fileName));
        using var process = Process.Start(startInfo)
            ?? throw new EmbeddedPostgresException($"Could not start `{commandLine}`.");

        // Both streams are drained concurrently: a child that fills one pipe while we wait on the other would hang.
        var standardOutput = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var standardError = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProcessResult(commandLine, process.ExitCode, await standardOutput, await standardError);
    }
}
