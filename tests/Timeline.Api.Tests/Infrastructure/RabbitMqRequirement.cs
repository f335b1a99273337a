using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Timeline.Api.Tests.Infrastructure;

/// <summary>What to do when a test needs RabbitMQ and there is none: fail on CI, skip with instructions elsewhere.</summary>
internal static class RabbitMqRequirement
{
    public const string HowToRun =
        "To run the RabbitMQ tests, install RabbitMQ (`apt-get install rabbitmq-server`; the tests start a throwaway node of their own, "
        + "no running broker needed), or set TIMELINE_TEST_RABBITMQ to an amqp:// URI of a broker where the user may create exchanges and queues, "
        + "or start a Docker engine. `bash .ci/run` installs it.";

    [DoesNotReturn]
    public static void Unavailable(string reason)
    {
        var message = $"{reason} {HowToRun}";
        if (PostgresRequirement.IsCi)
        {
            throw new InvalidOperationException($"CI is set, so RabbitMQ must be available. {message}");
        }

        Assert.Skip(message);
        throw new UnreachableException();
    }
}
