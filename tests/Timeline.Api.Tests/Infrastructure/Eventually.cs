namespace Timeline.Api.Tests.Infrastructure;

/// <summary>Waits for an observable condition with a deadline, looking again every few milliseconds: never a fixed sleep.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(what);
        var cancellationToken = TestContext.Current.CancellationToken;
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                Assert.Fail($"Not within {timeout.TotalSeconds:F0} s: {what()}");
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }

    /// <summary>Waits until <paramref name="value"/> gives a value, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> value, TimeSpan timeout, string what)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(value);
        T? found = null;
        await HoldsAsync(async () => (found = await value()) is not null, timeout, () => what);
        return found!.Value;
    }

    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> what) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, what);
}
