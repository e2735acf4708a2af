using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Ops.Hosting.Messaging;

/// <summary>
/// Degraded while the service's error queue (<c>{queue}_error</c>) holds messages: events a consumer could
/// not process after its retries, parked there so that they block nothing. Someone has to look at them;
/// the count is in the readiness report.
/// </summary>
public sealed class ErrorQueueHealthCheck(IOptions<RabbitMqOptions> options, string queue) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private IConnection? connection;

    public string ErrorQueue => $"{queue}_error";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var parked = await CountAsync(cancellationToken);
            var data = new Dictionary<string, object> { ["queue"] = ErrorQueue, ["messages"] = parked };
            return parked == 0
                ? HealthCheckResult.Healthy($"No message is parked in {ErrorQueue}.", data)
                : HealthCheckResult.Degraded($"{parked} message(s) could not be processed and are parked in {ErrorQueue}.", data: data);
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Degraded($"The error queue {ErrorQueue} cannot be read: the broker is not reachable.");
        }
    }

    /// <summary>How many messages wait in the error queue; 0 when it was never created.</summary>
    public async Task<uint> CountAsync(CancellationToken cancellationToken = default)
    {
        var open = await ConnectionAsync(cancellationToken);
        await using var channel = await open.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(ErrorQueue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (connection is { IsOpen: true })
            {
                return connection;
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            var rabbit = options.Value;
            var factory = new ConnectionFactory
            {
                HostName = rabbit.Host,
                Port = rabbit.Port,
                VirtualHost = rabbit.VirtualHost,
                UserName = rabbit.Username!,
                Password = rabbit.Password!,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
                ClientProvidedName = $"{queue}-health",
                // Opened again above when found closed. A recovering connection keeps every channel that the broker
                // closed, as it closes each passive declare of a missing queue: one per probe, for the process's life.
                AutomaticRecoveryEnabled = false,
            };
            return connection = await factory.CreateConnectionAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        gate.Dispose();
    }
}
