using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ops.Hosting.Storage;
using Ops.Hosting.Telemetry;

namespace Ops.Hosting.Messaging;

/// <summary>
/// <c>ops_outbox_pending</c>: the events stored and not yet published. Counted when the metrics are read, through the
/// index of unsent events (the readiness check's query), and at most once in <see cref="Fresh"/> however often they are.
/// </summary>
public sealed class OutboxBacklog
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private readonly IServiceProvider services;
    private readonly ILogger<OutboxBacklog> logger;
    private readonly Lock gate = new();
    private long pending;
    private long countedAt;

    /// <remarks>The store is looked up at the first count, not here: a store its settings refuse is named once, by the store.</remarks>
    public OutboxBacklog(IServiceProvider services, IMeterFactory meters, ILogger<OutboxBacklog> logger)
    {
        this.services = services;
        this.logger = logger;
        meters.Create(ServiceTelemetry.HostingMeter).CreateObservableGauge("ops.outbox.pending", Observe, "{event}",
            "Events stored with their change and not yet published to the broker.");
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        lock (gate)
        {
            // The metrics are read on a thread of their own (a scrape, the OTLP reader): waiting for one count there is fine.
            if (countedAt == 0 || Stopwatch.GetElapsedTime(countedAt) > Fresh)
            {
                try
                {
                    var database = services.GetRequiredService<Database>();
                    pending = database.ReadAsync(c => c.ExecuteScalarAsync<long>(OutboxSql.For(database.Provider).Backlog)).GetAwaiter().GetResult();
                    countedAt = Stopwatch.GetTimestamp();
                }
                catch (Exception e)
                {
                    logger.LogDebug(e, "The outbox could not be counted for the metrics");
                    return [];
                }
            }

            return [new Measurement<long>(pending)];
        }
    }
}
