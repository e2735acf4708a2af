using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Messaging;

/// <summary>Degraded while events wait in the outbox for more than a minute: the broker is away or too slow.</summary>
internal sealed class OutboxHealthCheck(Database database, TimeProvider time) : IHealthCheck
{
    private readonly OutboxSql sql = OutboxSql.For(database.Provider);

    private sealed record BacklogRow
    {
        public long Count { get; init; }
        public DateTimeOffset? Oldest { get; init; }
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = await database.ReadAsync(c => c.QuerySingleAsync<BacklogRow>(sql.Backlog), cancellationToken);
        var age = backlog.Oldest is { } oldest ? time.GetUtcNow() - oldest : TimeSpan.Zero;
        var data = new Dictionary<string, object> { ["unpublished"] = backlog.Count, ["oldestAgeSeconds"] = Math.Round(age.TotalSeconds, 1) };
        return age > TimeSpan.FromMinutes(1)
            ? HealthCheckResult.Degraded($"{backlog.Count} events wait to be published, the oldest for {age.TotalSeconds:0} s", data: data)
            : HealthCheckResult.Healthy($"{backlog.Count} events wait to be published", data);
    }
}
