using Ops.Contracts.Tickets;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The sla-timer's metrics: the clocks running, moved by every start, stop and breach, and the breaches.</summary>
public class TelemetryTests : ServiceTests<Program>
{
    [Test]
    public async Task AResponseClockPastItsDeadline_CountsOneBreach_AndNoLongerRuns()
    {
        using var prometheus = Service.ClientAs(null);
        await CountedAtStartAsync(prometheus);
        var ticket = Tickets.Fault(Severity.General, Service.Time.GetUtcNow());
        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        await EventuallyAsync(async () => Running(await PrometheusText.ScrapeAsync(prometheus)) == (1, 1));

        Service.Time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        await Service.ScannedUpToNowAsync();
        await EventuallyAsync(async () => Running(await PrometheusText.ScrapeAsync(prometheus)) == (0, 1));

        var metrics = await PrometheusText.ScrapeAsync(prometheus);
        Assert.That(PrometheusText.Value(metrics, "ops_breaches_total", "clock=response", "severity=general"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(metrics, "ops_breaches_total", "clock=repair"), Is.Null, "the repair clock runs on");
    }

    [Test]
    public async Task TheRunningClocks_AreCountedInTheStore_WhenTheServiceStarts()
    {
        using var before = Service.ClientAs(null);
        await CountedAtStartAsync(before);
        var ticket = Tickets.Fault(Severity.Severe, Service.Time.GetUtcNow());
        var request = Tickets.Request("urgent", Service.Time.GetUtcNow());
        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        await Service.Harness.Bus.Publish(new TicketReported(request, "phone", "开通政务外网账号", "138****5678"));

        // A request's completion clock is shown with the repair clocks.
        await EventuallyAsync(async () => Running(await PrometheusText.ScrapeAsync(before)) == (2, 2));

        await using var restarted = new ServiceFactory<Program>();
        restarted.Settings["Database:DataDirectory"] = Service.DataDirectory;
        using var prometheus = restarted.ClientAs(null);

        await EventuallyAsync(async () => Running(await PrometheusText.ScrapeAsync(prometheus)) == (2, 2));
    }

    /// <summary>The count at start is done (the gauge shows nothing before it): a clock started while it ran could be counted twice or not at all.</summary>
    private static Task CountedAtStartAsync(HttpClient prometheus) =>
        EventuallyAsync(async () => Running(await PrometheusText.ScrapeAsync(prometheus)) == (0, 0));

    private static (double? Response, double? Repair) Running(string metrics) =>
        (PrometheusText.Value(metrics, "ops_clocks_running", "clock=response"), PrometheusText.Value(metrics, "ops_clocks_running", "clock=repair"));
}
