using System.Collections.Concurrent;
using System.Text.Json;
using Ops.Contracts.Sla;
using Ops.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Ops.Benchmarks;

/// <summary>
/// Watches SlaBreached on the bus with a plain RabbitMQ.Client consumer: a queue of its own bound to the
/// event's exchange, each message's clock id read from the body and the time it arrived noted. For a flood
/// (the catch-up) the watch steps aside instead: its queue is unbound, and it counts what arrives in the queue
/// of the service that consumes breaches (stopped meanwhile), then reads that queue once all have arrived.
/// So the broker routes each breach to one queue, as in a deployment. Consuming 100,000 breaches while they
/// were published took a fifth of the machine, and a second queue holding them cost the broker a third more
/// work per message (measured with MassTransit publishing alone: 15,100/s to one queue, 13,200/s to two).
/// </summary>
internal sealed class BreachWatch : IAsyncDisposable
{
    /// <summary>The exchange MassTransit publishes SlaBreached to: its namespace and type name.</summary>
    private static readonly string Exchange = $"{typeof(SlaBreached).Namespace}:{nameof(SlaBreached)}";

    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly string queue;
    private readonly AsyncEventingBasicConsumer consumer;
    private string? standIn;
    private string? standInReader;

    private BreachWatch(IConnection connection, IChannel channel, string queue)
    {
        this.connection = connection;
        this.channel = channel;
        this.queue = queue;
        consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            Arrived(delivery.Body, DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        };
    }

    /// <summary>Every time each clock's breach arrived.</summary>
    public ConcurrentDictionary<Guid, ConcurrentBag<DateTimeOffset>> Arrivals { get; } = new();

    public static async Task<BreachWatch> StartAsync(Broker broker)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = broker.Port, UserName = broker.User, Password = broker.Password };
        var connection = await factory.CreateConnectionAsync("bench-breach-watch");
        var channel = await connection.CreateChannelAsync();

        // The services declare the exchange when they publish; declaring it alike here lets the watch start first.
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: false)).QueueName;
        await channel.QueueBindAsync(queue, Exchange, "");
        var watch = new BreachWatch(connection, channel, queue);
        await channel.BasicConsumeAsync(queue, autoAck: true, watch.consumer);
        return watch;
    }

    /// <summary>
    /// Unbinds the watch's queue: breaches now reach only <paramref name="consumerQueue"/>, the queue of their
    /// stopped consumer, where <see cref="WaitingAsync"/> counts them and <see cref="ReadStandInAsync"/> reads them.
    /// The watch stops reading that queue if an earlier stand-in left it reading there.
    /// </summary>
    public async Task StandAsideAsync(string consumerQueue)
    {
        if (standInReader is not null)
        {
            await channel.BasicCancelAsync(standInReader);
            standInReader = null;
        }

        await channel.QueueUnbindAsync(queue, Exchange, "");
        standIn = consumerQueue;
    }

    /// <summary>How many messages wait in the stopped consumer's queue, as the broker counts them.</summary>
    public async Task<uint> WaitingAsync() => (await channel.QueueDeclarePassiveAsync(standIn!)).MessageCount;

    /// <summary>
    /// Reads every breach waiting in the stopped consumer's queue (taking them from it; other events are
    /// dropped), then binds the watch's own queue again. The caller waits for the breaches it expects.
    /// </summary>
    public async Task ReadStandInAsync()
    {
        standInReader = await channel.BasicConsumeAsync(standIn!, autoAck: true, consumer);
        while (await WaitingAsync() > 0)
        {
            await Task.Delay(50);
        }

        // The watch keeps reading that queue too (the broker may have sent it breaches not yet handled) until it
        // stands aside again; the stopped consumer is not started again in this run.
        await channel.QueueBindAsync(queue, Exchange, "");
        standIn = null;
    }

    /// <summary>Notes when a breach arrived; other events (the stopped consumer's queue holds them too) are passed over.</summary>
    private void Arrived(ReadOnlyMemory<byte> envelope, DateTimeOffset at)
    {
        using var json = JsonDocument.Parse(envelope);
        var types = json.RootElement.GetProperty("messageType").EnumerateArray();
        if (!types.Any(t => t.GetString()?.EndsWith($":{nameof(SlaBreached)}", StringComparison.Ordinal) == true))
        {
            return;
        }

        var clockId = json.RootElement.GetProperty("message").GetProperty("clock").GetProperty("clockId").GetGuid();
        Arrivals.GetOrAdd(clockId, _ => []).Add(at);
    }

    public async ValueTask DisposeAsync()
    {
        await channel.CloseAsync();
        await connection.CloseAsync();
    }
}
