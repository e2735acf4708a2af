using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Ops.Testing;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// The telemetry of the running system: a report's trace through the three services (they export to the test's
/// OTLP collector, <see cref="SystemUnderTest.Collector"/>), and the product's metrics on each <c>/metrics</c>.
/// </summary>
public class TelemetryPipelineTests
{
    [Test]
    public async Task AReportsTrace_RunsFromTheHotline_ThroughTickets_TheSlaTimer_AndScoring()
    {
        // The gateway's own span: the report's trace starts there, as with a gateway that traces its calls.
        var trace = ActivityTraceId.CreateRandom().ToHexString();
        var gateway = ActivitySpanId.CreateRandom().ToHexString();
        using var report = new HttpRequestMessage(HttpMethod.Post, "api/tickets")
        {
            Content = JsonContent.Create(new
            {
                channel = "phone",
                kind = "fault",
                severity = "general",
                siteCode = "OTQ",
                system = Pipeline.NewSystem(),
                title = "端到端追踪",
                reporter = new { name = "测试员", phone = "13800001111" },
            }),
        };
        report.Headers.Add("traceparent", $"00-{trace}-{gateway}-01");
        var response = await SystemUnderTest.Hotline.SendAsync(report);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());

        // Spans leave each service as they end: wait until every one names a parent that arrived too.
        await Pipeline.EventuallyAsync(() =>
        {
            var spans = SystemUnderTest.Collector.Trace(trace);
            var ids = spans.Select(s => s.SpanId).Append(gateway).ToHashSet();
            return Task.FromResult(
                new[] { "tickets", "sla-timer", "scoring" }.All(service => spans.Any(s => s.Service == service && s.Scope == "MassTransit"))
                && spans.All(s => ids.Contains(s.ParentSpanId)));
        }, "the report's trace reaches scoring, every span with its parent", TimeSpan.FromSeconds(30));

        var received = SystemUnderTest.Collector.Trace(trace);
        var scopes = received.GroupBy(s => s.Service).ToDictionary(g => g.Key, g => g.Select(s => s.Scope).ToHashSet());
        Assert.That(scopes["tickets"], Is.SupersetOf(new[] { "Microsoft.AspNetCore", "Ops.Outbox", "MassTransit" }), string.Join('\n', received));
        Assert.That(scopes["sla-timer"], Is.SupersetOf(new[] { "MassTransit", "Ops.Outbox" }), "the clocks' events go on in the report's trace");
        Assert.That(received.Single(s => s.ParentSpanId == gateway).Service, Is.EqualTo("tickets"), "the request is the gateway's child");
        Assert.That(received.Where(s => s.Service == "scoring").Select(s => s.Kind), Has.Some.EqualTo(5), "scoring consumed in the trace (a span of kind consumer)");
    }

    [Test]
    public async Task TheMetrics_CountAReport_ItsBreach_AndItsDeduction()
    {
        using var tickets = SystemUnderTest.Tickets.Anonymous();
        using var slaTimer = SystemUnderTest.SlaTimer.Anonymous();
        using var scoring = SystemUnderTest.Scoring.Anonymous();
        async Task<(double Reported, double Breaches, double Points)> ReadAsync() => (
            PrometheusText.Value(await PrometheusText.ScrapeAsync(tickets), "ops_tickets_reported_total", "contract=OTQ-2026-OPS", "site=OTQ", "kind=fault") ?? 0,
            PrometheusText.Value(await PrometheusText.ScrapeAsync(slaTimer), "ops_breaches_total", "clock=response", "severity=general") ?? 0,
            PrometheusText.Value(await PrometheusText.ScrapeAsync(scoring), "ops_deduction_points_total", "contract=OTQ-2026-OPS", "item=6") ?? 0);
        var before = await ReadAsync();

        // Reported 31 minutes ago: its response clock is past its deadline when the sla-timer hears of it.
        await Pipeline.ReportAsync("general", DateTimeOffset.UtcNow.AddMinutes(-31));

        var after = before;
        await Pipeline.EventuallyAsync(async () =>
        {
            after = await ReadAsync();
            return after.Reported > before.Reported && after.Breaches > before.Breaches && after.Points > before.Points;
        }, "the report, its breach and its deduction are counted", TimeSpan.FromSeconds(30));

        Assert.That(after.Reported, Is.EqualTo(before.Reported + 1));
        var timer = await PrometheusText.ScrapeAsync(slaTimer);
        Assert.That(PrometheusText.Value(timer, "ops_clocks_running", "clock=repair"), Is.GreaterThanOrEqualTo(1), "its repair clock runs on");
        foreach (var service in new[] { tickets, slaTimer, scoring })
        {
            var metrics = await PrometheusText.ScrapeAsync(service);
            Assert.That(PrometheusText.Value(metrics, "ops_outbox_pending"), Is.Not.Null, service.BaseAddress!.ToString());
            Assert.That(PrometheusText.Value(metrics, "http_server_request_duration_seconds_count"), Is.GreaterThan(0), service.BaseAddress!.ToString());
        }
    }
}
