using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ops.Hosting.Storage;

/// <summary>
/// Unhealthy when the store does not answer a read; degraded while it refuses writes (disk full, locked, away),
/// saying why and since when, until a write commits again (each check starts one while it refuses). Degraded, not
/// unhealthy: the service stays in the load balancer's rotation, answers reads, and refuses writes with a 503 that
/// says when to try again.
/// </summary>
internal sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT 1"), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{database.Describe()} does not answer", e);
        }

        database.ProbeWrites();
        if (database.LastWriteFailure is not { } failure)
        {
            return HealthCheckResult.Healthy(database.Describe());
        }

        var data = new Dictionary<string, object>
        {
            ["writeFailure"] = failure.Fault.Kind.ToString(),
            ["code"] = failure.Fault.Code,
            ["since"] = failure.Since,
            ["lastFailure"] = failure.Last,
            ["failedWrites"] = failure.Failures,
        };
        return HealthCheckResult.Degraded($"{database.Describe()} refuses writes since {failure.Since:yyyy-MM-ddTHH:mm:ssZ}: {Why(failure.Fault)} ({failure.Fault.Code})", data: data);
    }

    private static string Why(StoreFault fault) => fault.Kind switch
    {
        StoreFaultKind.Full => "the disk is full",
        // a lock held elsewhere, or (SQL Server -2, PostgreSQL 57014) a statement that timed out, most often waiting for one
        StoreFaultKind.Locked => "another connection holds it locked, or a statement timed out",
        _ => "the store cannot be reached or read",
    };
}
