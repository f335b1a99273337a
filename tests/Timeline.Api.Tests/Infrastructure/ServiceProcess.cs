using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Timeline.Api.Database.EmbeddedPostgres;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>
/// The service as its own process (<c>dotnet Timeline.Api.dll</c> from the test's output), on a free loopback port,
/// for tests that must kill it. It is killed on dispose if still running, so a failing test leaves no orphan.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>Starts the service with <paramref name="settings"/> as environment variables and waits until it is ready and healthy.</summary>
    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var address = new Uri($"http://127.0.0.1:{FreeTcpPort.OnLoopback()}");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Timeline.Api.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString());
        start.Environment["DOTNET_NOLOGO"] = "1";
        // Load and fault tests write faster than the default write budget per key; a test of the limiter sets its own.
        start.Environment["Timeline__RateLimits__Writes__PerMinute"] = "0";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var service = new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the service."), address);
        try
        {
            await service.WaitUntilHealthyAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>What the service printed, for a failing test's message.</summary>
    public string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output.TakeLast(60));
        }
    }

    /// <summary>The errors the service logged (each <c>fail:</c> entry with the lines after it), for a failing test's message.</summary>
    public string Errors(string category = "")
    {
        lock (_output)
        {
            var errors = _output.Select((line, index) => (line, index))
                .Where(entry => entry.line.StartsWith("fail:", StringComparison.Ordinal) && entry.line.Contains(category, StringComparison.Ordinal))
                .Take(3).SelectMany(entry => _output.Skip(entry.index).Take(25));
            return string.Join('\n', errors);
        }
    }

    /// <summary>Every line the service printed so far, stdout and stderr.</summary>
    public IReadOnlyList<string> Lines()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.HoldsAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"The service exited with {_process.ExitCode}:\n{Output()}");
                }

                try
                {
                    using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        return false;
                    }

                    var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                    return report.RootElement.GetProperty("status").GetString() == "Healthy";
                }
                catch (Exception exception) when (exception is HttpRequestException
                    || (exception is TaskCanceledException && !TestContext.Current.CancellationToken.IsCancellationRequested))
                {
                    return false; // not listening yet, or a first answer slower than the client's timeout on a loaded machine
                }
            },
            ReadyTimeout,
            () => $"the service at {Address} did not become ready and healthy:\n{Output()}");
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
