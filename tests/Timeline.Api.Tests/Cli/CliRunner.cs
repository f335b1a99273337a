using System.Text;
using System.Text.Json;
using Timeline.Api.Tests.Infrastructure;
using Timeline.Cli;

namespace Timeline.Api.Tests.Cli;

/// <summary>What one run of the command line did: its exit code and everything it wrote.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The standard output as JSON (for --json runs).</summary>
    public JsonElement Json => JsonDocument.Parse(Output).RootElement;

    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the <c>timeline</c> command line in process, as its Main does, against a service through the handler it is
/// given (the test server's), with output captured and no terminal: the plain text a script would see.
/// </summary>
public sealed class CliRunner(Func<HttpMessageHandler>? handler, string? key = TimelineApp.ApiKey) : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    /// <summary>A runner against the app's service, writing with its key.</summary>
    public static CliRunner For(TimelineApp app, string? key = TimelineApp.ApiKey)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new CliRunner(app.CreateHandler, key);
    }

    /// <summary>The folder the tool runs in: empty, so no embedded default's key file is found by accident.</summary>
    public string WorkingDirectory => _folder.Path;

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null, TestContext.Current.CancellationToken);

    public async Task<CliResult> RunAsync(string[] args, string? stdin, CancellationToken cancellationToken, CapturedWriter? output = null, CapturedWriter? error = null)
    {
        output ??= new CapturedWriter();
        error ??= new CapturedWriter();
        var environment = new CliEnvironment
        {
            Output = output,
            Error = error,
            Input = new StringReader(stdin ?? ""),
            CreateHandler = handler,
            Variable = name => name == "TIMELINE_API_KEY" ? key : null,
            WorkingDirectory = _folder.Path,
        };
        var exitCode = await TimelineCommand.RunAsync(args, environment, cancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>A text writer another thread may read while the command writes (watch runs while the test looks).</summary>
public sealed class CapturedWriter : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_text)
        {
            _text.Append(buffer, index, count);
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
