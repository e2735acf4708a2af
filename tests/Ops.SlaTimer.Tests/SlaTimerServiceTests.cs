using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The sla-timer in memory: ticket events in, clocks out, the scanner on a fake clock, and its API.</summary>
public class SlaTimerServiceTests : ServiceTests<Program>
{
    private async Task<TicketFacts> ReportAsync(DateTimeOffset reportedAt, Severity severity = Severity.Severe)
    {
        var ticket = Tickets.Fault(severity, reportedAt);
        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        await EventuallyAsync(async () => (await Client.GetAsync($"/api/tickets/{ticket.TicketId}/clocks")).StatusCode == HttpStatusCode.OK);
        return ticket;
    }

    private async Task<JsonElement[]> ClocksAsync(Guid ticket) =>
        [.. (await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}/clocks")).EnumerateArray()];

    [Test]
    public async Task AReportedTicket_GetsItsTwoClocks_WithDeadlinesInShanghaiTime()
    {
        var now = Service.Time.GetUtcNow();
        var ticket = await ReportAsync(now);

        var clocks = await ClocksAsync(ticket.TicketId);

        Assert.That(clocks.Select(c => c.GetProperty("clock").GetString()), Is.EquivalentTo(new[] { "response", "repair" }));
        var repair = clocks.Single(c => c.GetProperty("clock").GetString() == "repair");
        Assert.That(repair.GetProperty("target").GetString(), Is.EqualTo("PT4H"));
        Assert.That(repair.GetProperty("deadline").GetString(), Does.EndWith("+08:00"));
        Assert.That(DateTimeOffset.Parse(repair.GetProperty("deadline").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(now.AddHours(4)));
    }

    [Test]
    public async Task WhenTheClockPassesADeadline_TheScannerBreachesThatClockOnce()
    {
        var ticket = await ReportAsync(Service.Time.GetUtcNow());

        Service.Time.Advance(TimeSpan.FromMinutes(30));
        await Service.ScannedUpToNowAsync();
        var atDeadline = await ClocksAsync(ticket.TicketId);
        Service.Time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => (await ClocksAsync(ticket.TicketId)).Any(c => c.GetProperty("state").GetString() == "breached"));
        Service.Time.Advance(TimeSpan.FromSeconds(5));
        await Service.ScannedUpToNowAsync();

        Assert.That(atDeadline.Select(c => c.GetProperty("state").GetString()), Is.All.EqualTo("running"));
        var breaches = await Database.MessagesAsync<SlaBreached>();
        Assert.That(breaches.Count(b => b.Clock.TicketId == ticket.TicketId), Is.EqualTo(1));
        Assert.That(breaches.Single().Clock.Clock, Is.EqualTo(ClockKind.Response));
    }

    [Test]
    public async Task AnUpgradeOverTheBus_MovesTheStoredDeadline_AndTheScannerBreachesAtTheNewOne()
    {
        var now = Service.Time.GetUtcNow();
        var ticket = await ReportAsync(now, Severity.General);
        var acknowledged = ticket.Acknowledged(now.AddMinutes(5));
        await Service.Harness.Bus.Publish(new TicketAcknowledged(acknowledged, "王工", now.AddMinutes(5)));
        await Service.Harness.Bus.Publish(new TicketSeverityChanged(acknowledged.WithSeverity(Severity.Severe), "王工", now.AddMinutes(10), Severity.General, "影响扩大"));
        await EventuallyAsync(async () => (await ClocksAsync(ticket.TicketId)).Single(c => c.GetProperty("clock").GetString() == "repair").GetProperty("target").GetString() == "PT4H");

        Service.Time.Advance(TimeSpan.FromHours(4).Add(TimeSpan.FromSeconds(1)));
        await EventuallyAsync(async () => (await ClocksAsync(ticket.TicketId)).Single(c => c.GetProperty("clock").GetString() == "repair").GetProperty("state").GetString() == "breached");

        var breach = (await Database.MessagesAsync<SlaBreached>()).Single();
        Assert.That((breach.Clock.Clock, breach.Clock.Deadline, breach.Clock.Severity), Is.EqualTo((ClockKind.Repair, now.AddHours(4), Severity.Severe)));
        Assert.That((await Database.MessagesAsync<SlaClockAdjusted>()).Single().Reason, Is.EqualTo("severity"));
    }

    [Test]
    public async Task ClocksWhoseDeadlinesPassedBeforeTheyWereHeardOf_AreBreachedAtOnce()
    {
        var ticket = await ReportAsync(Service.Time.GetUtcNow().AddHours(-5));

        var clocks = await ClocksAsync(ticket.TicketId);

        Assert.That(clocks.Select(c => c.GetProperty("state").GetString()), Is.All.EqualTo("breached"));
        Assert.That((await Database.MessagesAsync<SlaBreached>()).Count, Is.EqualTo(2));
    }

    [Test]
    public async Task TheListOfClocksDueSoon_HoldsOnlyRunningClocksDueWithinTheWindow()
    {
        var now = Service.Time.GetUtcNow();
        var soon = await ReportAsync(now.AddMinutes(-25));
        await ReportAsync(now);

        var page = await Client.GetFromJsonAsync<JsonElement>("/api/clocks?state=running&dueWithin=PT10M");

        Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(1));
        Assert.That(page.GetProperty("items")[0].GetProperty("ticketId").GetGuid(), Is.EqualTo(soon.TicketId));
    }

    [Test]
    public async Task TheListOfOverdueTickets_HoldsBreachedClocksNotYetStopped_NarrowedByContractSystemAndSeverity()
    {
        var now = Service.Time.GetUtcNow();
        var answered = await ReportAsync(now.AddHours(-5));
        var forgotten = Tickets.Fault(Severity.Severe, now.AddHours(-30)) with { System = "政务服务网" };
        await Service.Harness.Bus.Publish(new TicketReported(forgotten, "phone", "网站打不开", "138****5678"));
        await Service.Harness.Bus.Publish(new TicketAcknowledged(answered.Acknowledged(now), "王工", now));
        await EventuallyAsync(async () => (await ClocksAsync(answered.TicketId)).Any(c => c.GetProperty("stoppedAt").ValueKind != JsonValueKind.Null)
            && (await Client.GetAsync($"/api/tickets/{forgotten.TicketId}/clocks")).StatusCode == HttpStatusCode.OK);

        async Task<(long Total, string?[] Tickets)> OverdueAsync(string narrowing)
        {
            var page = await Client.GetFromJsonAsync<JsonElement>($"/api/clocks?state=breached&open=true{narrowing}");
            return (page.GetProperty("total").GetInt64(), [.. page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("ticketNumber").GetString())]);
        }

        Assert.That(await OverdueAsync(""), Is.EqualTo((3L, new[] { forgotten.Number, forgotten.Number, answered.Number })), "earliest deadline first; the answered response is no longer overdue");
        Assert.That((await OverdueAsync("&severity=general")).Total, Is.Zero);
        Assert.That((await OverdueAsync("&severity=severe")).Total, Is.EqualTo(3));
        Assert.That((await OverdueAsync($"&system={Uri.EscapeDataString("政务服务网")}")).Total, Is.EqualTo(2));
        Assert.That((await OverdueAsync($"&contract={answered.Contract}")).Total, Is.EqualTo(3));
        Assert.That((await Client.GetFromJsonAsync<JsonElement>("/api/clocks?state=breached")).GetProperty("total").GetInt64(), Is.EqualTo(4), "without open, the stopped breach is listed too");
    }

    [TestCase("open=yes", "open")]
    [TestCase("severity=urgent", "severity")]
    [TestCase("state=late", "state")]
    [TestCase("dueWithin=10%20minutes", "dueWithin")]
    [TestCase("limit=100000", "limit")]
    [TestCase("offset=-1", "offset")]
    public async Task ABadQueryValue_IsAProblemNamingIt(string query, string field)
    {
        var response = await Client.GetAsync($"/api/clocks?{query}");

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Test]
    public async Task AnUnknownTicket_HasNoClocks_404()
    {
        var response = await Client.GetAsync($"/api/tickets/{Guid.NewGuid()}/clocks");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task AnOutcomeDeletedBehindTheServicesBack_IsNamedByTheAuditEndpoint()
    {
        var ticket = await ReportAsync(Service.Time.GetUtcNow().AddHours(-5)); // both clocks breach at once: two outcomes
        var intact = await Client.GetFromJsonAsync<JsonElement>("/api/audit/chains");

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Service.DataDirectory, "sla-timer.db")}"))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "DROP TRIGGER clock_outcomes_no_delete; DELETE FROM clock_outcomes WHERE chain_seq = 1");
        }

        var report = await Client.GetFromJsonAsync<JsonElement>("/api/audit/chains");

        Assert.That(intact.GetProperty("intact").GetBoolean(), Is.True);
        var chain = report.GetProperty("chains").EnumerateArray().Single();
        Assert.That(chain.GetProperty("chain").GetString(), Is.EqualTo("clock-outcomes"));
        Assert.That(chain.GetProperty("intact").GetBoolean(), Is.False);
        Assert.That(chain.GetProperty("firstBroken").GetProperty("entry").GetString(), Does.Contain(ticket.Number));
    }

    private static readonly EndpointAccess[] Matrix =
    [
        new("GET", "/api/tickets/{id}/clocks", $"/api/tickets/{Guid.NewGuid()}/clocks", [Roles.Operator, Roles.Engineer, Roles.Manager, Roles.Auditor]),
        new("GET", "/api/clocks", "/api/clocks", [Roles.Operator, Roles.Engineer, Roles.Manager, Roles.Auditor]),
        new("GET", "/api/notifications", "/api/notifications", [Roles.Operator, Roles.Engineer, Roles.Manager, Roles.Auditor]),
        new("GET", "/api/audit/chains", "/api/audit/chains", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/archive/part", "/api/archive/part", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/archive/part/file", "/api/archive/part/file", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/oncall/{contract}/now", "/api/oncall/OTQ-2026-OPS/now", [Roles.Engineer, Roles.Manager, Roles.Auditor]),
        new("GET", "/api/oncall/{contract}/schedule", "/api/oncall/OTQ-2026-OPS/schedule", [Roles.Engineer, Roles.Manager, Roles.Auditor]),
        new("GET", "/api/oncall/{contract}/rotations", "/api/oncall/OTQ-2026-OPS/rotations", [Roles.Engineer, Roles.Manager, Roles.Auditor]),
        new("PUT", "/api/oncall/{contract}/rotations", "/api/oncall/OTQ-2026-OPS/rotations", [Roles.Manager], "{}"),
        new("POST", "/api/oncall/{contract}/overrides", "/api/oncall/OTQ-2026-OPS/overrides", [Roles.Manager], "{}"),
        new("DELETE", "/api/oncall/{contract}/overrides/{id}", $"/api/oncall/OTQ-2026-OPS/overrides/{Guid.NewGuid()}", [Roles.Manager]),
    ];

    [Test]
    public async Task EveryEndpoint_AnswersEachRoleAsTheMatrixSays_AndTheMatrixCoversThemAll()
    {
        var violations = await AccessMatrix.ViolationsAsync(role => Service.ClientAs(role), Matrix);

        Assert.That(violations, Is.Empty);
        // WeCom's callback cannot carry a token: its signature authenticates it (WeComCallbackTests).
        Assert.That(AccessMatrix.GuardedEndpoints(Service.Services, "GET /api/wecom/callback/{contract}", "POST /api/wecom/callback/{contract}"), Is.EquivalentTo(Matrix.Select(e => e.Endpoint)));
    }

    [Test]
    public async Task ThreeThousandBadRequests_AreEachRefusedWithAProblem_AndChangeNothing()
    {
        await ReportAsync(Service.Time.GetUtcNow());
        var before = await StoredState.FingerprintAsync(Database);
        var injections = BadRequests.Injections.Select(Uri.EscapeDataString).ToList();
        BadInputTarget[] targets =
        [
            new("GET", "/api/clocks", WrongQueries:
            [
                "limit=0", "limit=501", "limit=99999999999", "limit=x", "offset=-3", "offset=2147483648", "state=late", "state=RUNNING'--",
                "dueWithin=P-1D", "dueWithin=P400D", "dueWithin=tomorrow", "dueWithin=PT", .. injections.Select(i => $"state={i}"),
                .. injections.Select(i => $"dueWithin={i}"), .. injections.Select(i => $"limit={i}"),
            ]),
            new("GET", $"/api/tickets/{Uri.EscapeDataString("F' OR 1=1 --")}/clocks", WrongQueries: [""]),
            new("GET", $"/api/tickets/{Guid.NewGuid()}/clocks", WrongQueries: [""]),
            new("GET", "/api/notifications", WrongQueries:
            [
                "status=lost", "status=SENT'--", "limit=0", "limit=501", "limit=x", "offset=-1", .. injections.Select(i => $"status={i}"),
                .. injections.Select(i => $"limit={i}"),
            ]),
        ];

        var failures = new List<string>();
        foreach (var request in BadRequests.Generate(targets, 3000, seed: 5102))
        {
            using var response = await Client.SendAsync(request);
            if ((int)response.StatusCode is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{request.RequestUri} → {(int)response.StatusCode}");
            }
        }

        Assert.That(failures, Is.Empty);
        Assert.That(await StoredState.FingerprintAsync(Database), Is.EqualTo(before));
    }
}
