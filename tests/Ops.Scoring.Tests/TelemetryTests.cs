using System.Net;
using System.Net.Http.Json;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>Scoring's metrics: the points the ledger deducts, by contract and item.</summary>
public class TelemetryTests : ServiceTests<Program>
{
    [Test]
    public async Task ABreachHeardTwice_AndAManagersDeduction_CountTheirPointsOnce()
    {
        using var prometheus = Service.ClientAs(null);
        var breached = Clocks.Running(ClockKind.Repair, Severity.Severe).Breached();

        await Service.Harness.Bus.Publish(new SlaBreached(breached));
        await Service.Harness.Bus.Publish(new SlaBreached(breached));
        await EventuallyAsync(() => Task.FromResult(Service.Consumed<SlaBreached>().Count == 2));
        using var manager = Service.ClientAs(Roles.Manager, "王经理");
        var manual = await manager.PostAsJsonAsync("/api/assessment/deductions", new { item = 13, points = 1.5m, reason = "档案缺页" });
        Assert.That(manual.StatusCode, Is.EqualTo(HttpStatusCode.Created), await manual.Content.ReadAsStringAsync());

        var metrics = await PrometheusText.ScrapeAsync(prometheus);
        Assert.That(PrometheusText.Value(metrics, "ops_deduction_points_total", "contract=OTQ-2026-OPS", "item=6"), Is.EqualTo(2));
        Assert.That(PrometheusText.Value(metrics, "ops_deduction_points_total", "contract=OTQ-2026-OPS", "item=13"), Is.EqualTo(1.5));
    }
}
