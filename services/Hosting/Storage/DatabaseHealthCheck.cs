using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ops.Hosting.Storage;

internal sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT 1"), cancellationToken);
            return HealthCheckResult.Healthy(database.Describe());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{database.Describe()} does not answer", e);
        }
    }
}
