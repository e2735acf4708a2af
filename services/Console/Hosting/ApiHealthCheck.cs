using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Ops.Console.Hosting;

/// <summary>
/// Whether a service the console calls answers its liveness check. Degraded, not unhealthy, when it does not:
/// the console still serves its other pages, and a load balancer should not take it out.
/// </summary>
public abstract class ApiHealthCheck(IHttpClientFactory clients, Func<ConsoleOptions, Uri?> address) : IHealthCheck
{
    public const string Client = "health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var http = clients.CreateClient(Client);
        http.Timeout = TimeSpan.FromSeconds(3);
        var uri = new Uri(address(Options)!, "health/live");
        try
        {
            using var response = await http.GetAsync(uri, cancellationToken);
            return response.IsSuccessStatusCode ? HealthCheckResult.Healthy(uri.ToString()) : HealthCheckResult.Degraded($"{uri} answered {(int)response.StatusCode}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Degraded($"{uri} does not answer: {e.Message}");
        }
    }

    protected abstract ConsoleOptions Options { get; }

    public sealed class Tickets(IHttpClientFactory clients, IOptions<ConsoleOptions> options) : ApiHealthCheck(clients, o => o.Tickets)
    {
        protected override ConsoleOptions Options => options.Value;
    }

    public sealed class SlaTimer(IHttpClientFactory clients, IOptions<ConsoleOptions> options) : ApiHealthCheck(clients, o => o.SlaTimer)
    {
        protected override ConsoleOptions Options => options.Value;
    }

    public sealed class Scoring(IHttpClientFactory clients, IOptions<ConsoleOptions> options) : ApiHealthCheck(clients, o => o.Scoring)
    {
        protected override ConsoleOptions Options => options.Value;
    }
}
