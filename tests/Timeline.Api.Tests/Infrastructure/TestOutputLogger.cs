using Microsoft.Extensions.Logging;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>Writes log lines to the output of the test that is running, so they show up when it fails.</summary>
internal sealed class TestOutputLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{logLevel}: {formatter(state, exception)}");
}
