namespace Timeline.Cli;

/// <summary>
/// Everything the tool takes from its process: where it writes, what it reads on stdin, how it reaches the
/// service, its environment variables and folder. Tests give their own (captured output, an in-process server).
/// </summary>
public sealed class CliEnvironment
{
    public required TextWriter Output { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Standard input, for <c>--file -</c>.</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>Makes the handler requests go through; null: a real socket connection to <c>--server</c>.</summary>
    public Func<HttpMessageHandler>? CreateHandler { get; init; }

    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The folder relative paths (the embedded default's key file) are read from.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Output goes to a terminal: tables in colour and progress bars, unless NO_COLOR is set.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Ctrl+C cancels the running command (the real process only: tests cancel with their own token).</summary>
    public bool HandlesInterrupt { get; init; }

    public static CliEnvironment FromProcess() => new()
    {
        Output = Console.Out,
        Error = Console.Error,
        Input = Console.In,
        IsTerminal = !Console.IsOutputRedirected,
        HandlesInterrupt = true,
    };
}
