using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ops.SlaTimer.Notifications;

/// <summary>Degraded while notices failed in the last day: someone was not told of a warning or breach.</summary>
public sealed class NotificationHealthCheck(NotificationStore store, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failed = await store.FailedSinceAsync(time.GetUtcNow().AddDays(-1), cancellationToken);
        var data = new Dictionary<string, object> { ["failedLastDay"] = failed };
        return failed > 0
            ? HealthCheckResult.Degraded($"{failed} notices to the escalation chain failed in the last day (GET /api/notifications?status=failed)", data: data)
            : HealthCheckResult.Healthy("No notice failed in the last day", data);
    }
}
