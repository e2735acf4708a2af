using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Ops.SlaTimer.Scanning;

/// <summary>Degraded while the clock scanner has completed no pass for a minute beyond its idle limit: deadlines may pass unreported.</summary>
public sealed class ScannerHealthCheck(ClockScanner scanner, TimeProvider time, IOptions<ScannerOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scannedUpTo = scanner.ScannedUpTo;
        var data = new Dictionary<string, object>();
        if (scannedUpTo is { } at)
        {
            data["scannedUpTo"] = at;
        }

        return Task.FromResult(scannedUpTo is { } last && time.GetUtcNow() - last <= options.Value.MaxIdle + TimeSpan.FromMinutes(1)
            ? HealthCheckResult.Healthy("The clock scanner completes its passes", data)
            : HealthCheckResult.Degraded(scannedUpTo is null ? "The clock scanner has not completed a pass yet" : $"The clock scanner has completed no pass since {scannedUpTo:O}", data: data));
    }
}
