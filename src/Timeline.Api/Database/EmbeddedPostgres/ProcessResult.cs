namespace Timeline.Api.Database.EmbeddedPostgres;

/// <summary>What a finished command printed and returned.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command's own output, which is what explains a failure of initdb or pg_ctl.</summary>
    public ProcessResult EnsureSucceeded(string step) =>
        Succeeded ? this : throw new EmbeddedPostgresException($"{step} failed.{Environment.NewLine}{Describe()}");

    public string Describe()
    {
        var lines = new List<string> { $"`{CommandLine}` exited with code {ExitCode}." };
        if (!string.IsNullOrWhiteSpace(StandardOutput))
        {
            lines.Add($"stdout:{Environment.NewLine}{StandardOutput.TrimEnd()}");
        }

        if (!string.IsNullOrWhiteSpace(StandardError))
        {
            lines.Add($"stderr:{Environment.NewLine}{StandardError.TrimEnd()}");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
