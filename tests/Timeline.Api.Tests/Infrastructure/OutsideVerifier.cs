using System.Diagnostics;
using System.Text.Json;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>Runs the dependency-free verifier in tools/ as an auditor would: python3 on a saved log file.</summary>
public static class OutsideVerifier
{
    public static async Task<JsonElement> VerifyAsync(string log, string? checkpointJson = null)
    {
        var script = Path.Combine(RepositoryRoot(), "tools", "verify_audit_log.py");
        var folder = Directory.CreateTempSubdirectory("timeline-audit-").FullName;
        try
        {
            var logFile = Path.Combine(folder, "log.ndjson");
            await File.WriteAllTextAsync(logFile, log, TestContext.Current.CancellationToken);
            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(logFile);
            if (checkpointJson is not null)
            {
                var checkpointFile = Path.Combine(folder, "checkpoint.json");
                await File.WriteAllTextAsync(checkpointFile, checkpointJson, TestContext.Current.CancellationToken);
                start.ArgumentList.Add("--checkpoint");
                start.ArgumentList.Add(checkpointFile);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(output.Length > 0, $"the verifier printed nothing (exit {process.ExitCode}): {errors}");
            var result = JsonDocument.Parse(output).RootElement.Clone();
            Assert.Equal(result.GetProperty("ok").GetBoolean() ? 0 : 1, process.ExitCode);
            return result;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "tools", "verify_audit_log.py")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("tools/verify_audit_log.py was not found above the test binaries.");
    }
}
