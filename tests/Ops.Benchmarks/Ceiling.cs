using System.Diagnostics;
using Dapper;
using Ops.Hosting.Storage;
using Ops.Testing;
using RabbitMQ.Client;

namespace Ops.Benchmarks;

/// <summary>What the machine itself can do, measured in the same run: raw publishing with confirms, raw SQLite inserts.</summary>
internal static class Ceiling
{
    /// <summary>Persistent messages of about the size of a ticket event, published with confirms in batches of 500.</summary>
    public static async Task<double> RabbitPublishPerSecondAsync(Broker broker, int messages)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = broker.Port, UserName = broker.User, Password = broker.Password };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var queue = (await channel.QueueDeclareAsync($"bench-ceiling-{Guid.NewGuid():N}", durable: true, exclusive: false, autoDelete: true)).QueueName;
        var body = new byte[700];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true };

        var watch = Stopwatch.StartNew();
        for (var sent = 0; sent < messages;)
        {
            var batch = new List<Task>(500);
            for (var i = 0; i < 500 && sent < messages; i++, sent++)
            {
                batch.Add(channel.BasicPublishAsync("", queue, mandatory: false, properties, body).AsTask());
            }

            await Task.WhenAll(batch);
        }

        var rate = messages / watch.Elapsed.TotalSeconds;
        await channel.QueueDeleteAsync(queue);
        return rate;
    }

    /// <summary>Rows of about a clock's width inserted through Dapper into a store like the services', 100 per transaction.</summary>
    public static async Task<double> InsertsPerSecondAsync(Database database, int rows)
    {
        var sql = BenchSql.For(database.Provider);
        await database.WriteAsync(t => t.ExecuteAsync(sql.CreateCeilingTable));
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < rows; done += 100)
        {
            var batch = Enumerable.Range(0, Math.Min(100, rows - done))
                .Select(i => new { Id = Guid.NewGuid(), A = "F20261125-0001", B = "综合一窗受理平台", C = i, D = DateTimeOffset.UtcNow });
            await database.WriteAsync(t => t.ExecuteAsync(BenchSql.InsertCeilingRow, batch));
        }

        return rows / watch.Elapsed.TotalSeconds;
    }
}
