using Timeline.Cli;

return await TimelineCommand.Create().Parse(args).InvokeAsync();
