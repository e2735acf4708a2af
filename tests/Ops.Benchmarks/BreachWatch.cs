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
/// (the catch-up) the watch can hold its queue instead: the broker keeps counting what arrives, which costs
/// the benchmark nothing, and the messages are read afterwards. Consuming 100,000 breaches while they were
/// published took a fifth of the machine, time the services lost.
/// </summary>
internal sealed class BreachWatch : IAsyncDisposable
{
    /// <summary>The exchange MassTransit publishes SlaBreached to: its namespace and type name.</summary>
    private static readonly string Exchange = $"{typeof(SlaBreached).Namespace}:{nameof(SlaBreached)}";

    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly string queue;
    private readonly AsyncEventingBasicConsumer consumer;
    private string? consumerTag;

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
        await watch.ReadAsync();
        return watch;
    }

    /// <summary>Reads (again) what arrives, as it arrives.</summary>
    public async Task ReadAsync() => consumerTag = await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

    /// <summary>Stops reading: what arrives waits in the queue, and <see cref="WaitingAsync"/> counts it.</summary>
    public async Task HoldAsync()
    {
        await channel.BasicCancelAsync(consumerTag!);
        consumerTag = null;
    }

    /// <summary>How many breaches wait in the held queue, as the broker counts them.</summary>
    public async Task<uint> WaitingAsync() => (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;

    private void Arrived(ReadOnlyMemory<byte> envelope, DateTimeOffset at)
    {
        using var json = JsonDocument.Parse(envelope);
        var clockId = json.RootElement.GetProperty("message").GetProperty("clock").GetProperty("clockId").GetGuid();
        Arrivals.GetOrAdd(clockId, _ => []).Add(at);
    }

    public async ValueTask DisposeAsync()
    {
        await channel.CloseAsync();
        await connection.CloseAsync();
    }
}
