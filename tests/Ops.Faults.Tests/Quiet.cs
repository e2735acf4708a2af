using System.Net.Http.Json;
using System.Text.Json;
using Ops.Testing;

namespace Ops.Faults.Tests;

/// <summary>Nothing on its way: every service's outbox is empty (as its readiness counts it) and no message waits in, or is handled from, a queue.</summary>
internal static class Quiet
{
    public static async Task WaitAsync(IEnumerable<ServiceProcess> services, Broker broker, TimeSpan within)
    {
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var service in services)
            {
                var ready = await service.Http.GetFromJsonAsync<JsonElement>("health/ready");
                if (ready.GetProperty("checks").GetProperty("outbox").GetProperty("data").GetProperty("unpublished").GetInt64() != 0)
                {
                    return false;
                }
            }

            return true;
        }, within);
        await broker.WaitUntilIdleAsync(within);
    }
}
