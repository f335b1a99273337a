using System.Globalization;

namespace Timeline.NotificationBench;

/// <summary>Command line: <c>--events 2000 --rate 100 --backlog 5000 --transport both|memory|rabbitmq --rabbitmq amqp://...</c>.</summary>
internal sealed record BenchOptions(int Events, int WritesPerSecond, int Backlog, bool Memory, bool RabbitMq, Uri? RabbitMqUri)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        int Number(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

        var transport = Value("--transport") ?? "both";
        if (transport is not ("both" or "memory" or "rabbitmq"))
        {
            throw new ArgumentException("--transport is both, memory or rabbitmq");
        }

        return new BenchOptions(
            Number("--events", 2000),
            Number("--rate", 100),
            Number("--backlog", 5000),
            transport is "both" or "memory",
            transport is "both" or "rabbitmq",
            Value("--rabbitmq") is { } uri ? new Uri(uri) : null);
    }
}
