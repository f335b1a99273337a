namespace Timeline.Cli;

/// <summary>The entry point; in a namespace, so it does not collide with the service's <c>Program</c> in the tests.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => TimelineCommand.RunAsync(args, CliEnvironment.FromProcess(), CancellationToken.None);
}
