using System.Collections.Concurrent;
using System.Text.Json;
using Ops.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Ops.Benchmarks;

/// <summary>
/// Watches SlaBreached on the bus with a plain RabbitMQ.Client consumer: a queue of its own bound to the
/// event's exchange, each message's clock id read from the body and the time it arrived noted. The
/// benchmark's own cost stays small this way (a MassTransit observer took a fifth of the machine while
/// 100,000 breaches were published), so it measures the services rather than itself.
/// </summary>
internal sealed class BreachWatch : IAsyncDisposable
{
    /// <summary>The exchange MassTransit publishes SlaBreached to (its namespace and type name).</summary>
    private const string Exchange = "Ops.Contracts.Sla:SlaBreached";

    private readonly IConnection connection;
    private readonly IChannel channel;
    private int distinct;

    private BreachWatch(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    /// <summary>Every time each clock's breach arrived.</summary>
    public ConcurrentDictionary<Guid, ConcurrentBag<DateTimeOffset>> Arrivals { get; } = new();

    /// <summary>How many clocks' breaches arrived, counted once per clock.</summary>
    public int Clocks => Volatile.Read(ref distinct);

    public static async Task<BreachWatch> StartAsync(Broker broker)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = broker.Port, UserName = broker.User, Password = broker.Password };
        var connection = await factory.CreateConnectionAsync("bench-breach-watch");
        var channel = await connection.CreateChannelAsync();
        var watch = new BreachWatch(connection, channel);

        // The services declare the exchange when they publish; declaring it alike here lets the watch start first.
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Exchange, "");
        await channel.BasicQosAsync(0, 1000, false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            watch.Arrived(delivery.Body, DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return watch;
    }

    /// <summary>Deliveries are handed over one at a time (the client's default), so counting needs no lock.</summary>
    private void Arrived(ReadOnlyMemory<byte> envelope, DateTimeOffset at)
    {
        using var json = JsonDocument.Parse(envelope);
        var clockId = json.RootElement.GetProperty("message").GetProperty("clock").GetProperty("clockId").GetGuid();
        var times = Arrivals.GetOrAdd(clockId, _ => []);
        times.Add(at);
        if (times.Count == 1)
        {
            Interlocked.Increment(ref distinct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await channel.CloseAsync();
        await connection.CloseAsync();
    }
}
