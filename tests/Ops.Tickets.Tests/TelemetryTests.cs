using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>The tickets service's metrics on <c>/metrics</c>, and the trace a report's event carries on through the outbox.</summary>
public class TelemetryTests : ServiceTests<Program>
{
    private const string Reported = "ops_tickets_reported_total";

    [Test]
    public async Task AStoredReport_IsCountedOnce_NotItsReplay()
    {
        using var reported = new MeasurementTotals(Service.Services, "ops.tickets.reported");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(Reports.Valid()) };
        request.Headers.Add("Idempotency-Key", "telemetry-1");
        Assert.That((await Client.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        using var replay = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(Reports.Valid()) };
        replay.Headers.Add("Idempotency-Key", "telemetry-1");
        Assert.That((await Client.SendAsync(replay)).Headers.Contains("Idempotent-Replayed"));

        Assert.That(reported.Total("contract=OTQ-2026-OPS", "site=OTQ", "kind=fault"), Is.EqualTo(1));
        Assert.That(reported.Total("kind=request"), Is.Zero, "no request was reported");
    }

    [Test]
    public async Task Metrics_NeedNoCredentials_AndCarryTheCountsInPrometheusText()
    {
        Assert.That((await Client.PostAsJsonAsync("/api/tickets", Reports.Valid())).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var metrics = await PrometheusText.ScrapeAsync(Service.ClientAs(null));

        Assert.That(PrometheusText.Value(metrics, Reported, "contract=OTQ-2026-OPS", "site=OTQ", "kind=fault"), Is.GreaterThanOrEqualTo(1));
        Assert.That(PrometheusText.Value(metrics, "ops_outbox_pending"), Is.Not.Null.And.GreaterThanOrEqualTo(0));
        Assert.That(PrometheusText.Value(metrics, "ops_sqlite_memory_bytes"), Is.GreaterThan(0), "the SQLite store's page caches and statements");
        Assert.That(PrometheusText.Value(metrics, "http_server_request_duration_seconds_count"), Is.GreaterThan(0), "ASP.NET Core's own");
    }

    [Test]
    public async Task WithoutACollector_NoEventCarriesATrace()
    {
        var ticket = await ReportWithTraceAsync("4bf92f3577b34da6a3ce929d0e0e4736");

        Assert.That(await TraceParentOfAsync(ticket), Is.Null, "nothing is recorded, so nothing is carried on");
    }

    private async Task<Guid> ReportWithTraceAsync(string traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(Reports.Valid()) };
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        var response = await Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private Task<string?> TraceParentOfAsync(Guid ticket) =>
        Database.ReadAsync(c => c.QuerySingleAsync<string?>(
            "SELECT trace_parent FROM outbox_messages WHERE message_type LIKE 'Ops.Contracts.Tickets.TicketReported,%' AND body LIKE @Id",
            new { Id = $"%{ticket}%" }));

    /// <summary>With a collector (none listens here: what is exported is lost), the request's trace goes into the outbox with its event.</summary>
    public sealed class WithACollector : ServiceTests<Program>
    {
        protected override void Configure(ServiceFactory<Program> service) =>
            service.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";

        [Test]
        public async Task AReportsEvent_CarriesOnTheTraceOfTheRequest()
        {
            const string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(Reports.Valid()) };
            request.Headers.Add("traceparent", $"00-{trace}-00f067aa0ba902b7-01");
            var response = await Client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            var ticket = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            var traceParent = await Database.ReadAsync(c => c.QuerySingleAsync<string?>(
                "SELECT trace_parent FROM outbox_messages WHERE body LIKE @Id", new { Id = $"%{ticket}%" }));

            Assert.That(traceParent, Does.Match($"^00-{trace}-[0-9a-f]{{16}}-01$"));
            Assert.That(traceParent, Does.Not.Contain("00f067aa0ba902b7"), "the request's own span is the parent, not the caller's");
        }
    }
}
