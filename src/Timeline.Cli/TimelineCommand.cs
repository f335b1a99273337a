using System.CommandLine;
using Timeline.Cli.Dataset;
using Timeline.Cli.Import;

namespace Timeline.Cli;

/// <summary>The <c>timeline</c> command: one subcommand group per capability.</summary>
public static class TimelineCommand
{
    public static RootCommand Create() => new("timeline: the policy timeline's command-line tool")
    {
        DatasetCommands.Create(),
        ImportCommands.Create(),
    };
}
