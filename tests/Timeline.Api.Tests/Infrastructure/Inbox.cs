namespace Timeline.Api.Tests.Infrastructure;

/// <summary>Messages as they arrive, with their message ids, and a wait for a condition on them with a deadline.</summary>
public sealed class Inbox<T>
{
    private readonly List<(Guid? MessageId, T Message)> _items = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(Guid? MessageId, T Message)> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public IReadOnlyList<T> Messages => [.. Items.Select(item => item.Message)];

    public void Add(Guid? messageId, T message)
    {
        lock (_items)
        {
            _items.Add((messageId, message));
        }

        Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the messages so far; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync(Func<IReadOnlyList<T>, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            var messages = Messages;
            if (condition(messages))
            {
                return messages;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting for {what}; got {messages.Count} message(s): {string.Join("; ", messages)}");
            }
        }
    }
}
