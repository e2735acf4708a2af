using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>A service on a government intranet calls nobody outside it: not even its libraries' makers.</summary>
public class NoCallsOutTests : ServiceTests<Program>
{
    [Test]
    public void MassTransit_ReportsNoUsageTelemetry()
    {
        var options = Service.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value;

        Assert.That(options.Enabled, Is.False);
    }
}
