using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Timeline.Api.Notifications;

/// <summary>
/// Whether the RabbitMQ broker takes connections. MassTransit's bus check cannot tell while this service only
/// publishes (it has no receive endpoint to watch), so this opens an AMQP connection itself, at most every few
/// seconds. Degraded, not unhealthy: changes wait in the log and are published when the broker is back.
/// </summary>
internal sealed class BrokerHealthCheck(RabbitMqConnection broker) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (long At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && TimeProvider.System.GetElapsedTime(last.At) < CacheFor)
            {
                return last.Result;
            }

            var result = await ProbeAsync(cancellationToken);
            _last = (TimeProvider.System.GetTimestamp(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            VirtualHost = broker.VirtualHost,
            UserName = broker.Username,
            Password = broker.Password,
            RequestedConnectionTimeout = ConnectTimeout,
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "timeline-health",
        };
        if (broker.UseTls)
        {
            factory.Ssl = new SslOption { Enabled = true, ServerName = broker.Host };
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            await using var connection = await factory.CreateConnectionAsync(timeout.Token);
            await connection.CloseAsync(timeout.Token);
            return HealthCheckResult.Healthy($"{broker.Describe()} accepts connections.");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded(
                $"{broker.Describe()} does not accept connections: changes wait in the log and are published when it is back.", exception);
        }
    }
}
