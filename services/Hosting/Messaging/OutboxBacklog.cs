using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dapper;
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

    private readonly Database database;
    private readonly ILogger<OutboxBacklog> logger;
    private readonly OutboxSql sql;
    private readonly Lock gate = new();
    private long pending;
    private long countedAt;

    public OutboxBacklog(Database database, IMeterFactory meters, ILogger<OutboxBacklog> logger)
    {
        this.database = database;
        this.logger = logger;
        sql = OutboxSql.For(database.Provider);
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
                    pending = database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql.Backlog)).GetAwaiter().GetResult();
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
