using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Hosting.Storage;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Testing;
using static Ops.EndToEnd.Tests.Pipeline;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// Keys that work everywhere and stop working everywhere, evidence that survives the real flows and
/// gives away a row edited behind the services' backs, and a poisoned message that is parked, not fatal.
/// Runs after the pipeline tests: it leaves a broken chain and a parked message behind.
/// </summary>
[Order(2)]
public class GuardedPipelineTests
{
    [Test]
    [Order(1)]
    public async Task AnApiKeyIssuedAtTickets_WorksInEveryService_AndOnceRevokedNowhere()
    {
        using var admin = SystemUnderTest.Tickets.Anonymous().As(Roles.Admin, "e2e admin");
        var issued = await (await admin.PostAsJsonAsync("api/admin/keys", new { name = "bureau dashboard", role = "auditor" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = issued.GetProperty("key").GetString()!;
        using var tickets = SystemUnderTest.Tickets.Anonymous().WithApiKey(key);
        using var clocks = SystemUnderTest.SlaTimer.Anonymous().WithApiKey(key);
        using var scoring = SystemUnderTest.Scoring.Anonymous().WithApiKey(key);

        await EventuallyAsync(async () => (await scoring.GetAsync("api/assessment")).StatusCode == HttpStatusCode.OK, "scoring accepts the new key");
        await EventuallyAsync(async () => (await clocks.GetAsync("api/clocks")).StatusCode == HttpStatusCode.OK, "sla-timer accepts the new key");
        Assert.That((await tickets.GetAsync("api/tickets")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await scoring.PostAsJsonAsync("api/assessment/deductions", new { item = 8, points = 1, reason = "auditors change nothing" })).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));

        var revoked = await admin.DeleteAsync($"api/admin/keys/{issued.GetProperty("keyId").GetGuid()}");

        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await tickets.GetAsync("api/tickets")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await EventuallyAsync(async () => (await scoring.GetAsync("api/assessment")).StatusCode == HttpStatusCode.Unauthorized, "scoring refuses the revoked key");
        await EventuallyAsync(async () => (await clocks.GetAsync("api/clocks")).StatusCode == HttpStatusCode.Unauthorized, "sla-timer refuses the revoked key");
    }

    [Test]
    [Order(1)]
    public async Task AUserDisabledAtTickets_IsRefusedByEveryService_WhileTheirTokenIsUnexpired()
    {
        using var admin = SystemUnderTest.Tickets.Anonymous().As(Roles.Admin, "e2e admin");
        const string password = "e2e manager password";
        var created = await admin.PostAsJsonAsync("api/admin/users", new { username = "e2e.manager", displayName = "e2e manager", role = Roles.Manager, password });
        using var nobody = SystemUnderTest.Tickets.Anonymous();
        var signIn = await (await nobody.PostAsJsonAsync("api/auth/token", new { username = "e2e.manager", password })).Content.ReadFromJsonAsync<JsonElement>();
        var token = signIn.GetProperty("accessToken").GetString();
        using var tickets = SystemUnderTest.Tickets.Anonymous();
        using var clocks = SystemUnderTest.SlaTimer.Anonymous();
        using var scoring = SystemUnderTest.Scoring.Anonymous();
        foreach (var client in new[] { tickets, clocks, scoring })
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await scoring.GetAsync("api/assessment")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await clocks.GetAsync("api/clocks")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var disabled = await admin.DeleteAsync("api/admin/users/e2e.manager");

        Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(signIn.GetProperty("expiresAt").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddHours(1)), "the token has not expired");
        Assert.That((await tickets.GetAsync("api/tickets")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await EventuallyAsync(async () => (await scoring.GetAsync("api/assessment")).StatusCode == HttpStatusCode.Unauthorized, "scoring refuses the disabled user's token");
        await EventuallyAsync(async () => (await clocks.GetAsync("api/clocks")).StatusCode == HttpStatusCode.Unauthorized, "sla-timer refuses the disabled user's token");
        Assert.That((await scoring.PostAsJsonAsync("api/assessment/deductions", new { item = 8, points = 1, reason = "disabled users record nothing" })).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    [Order(2)]
    public async Task EveryEvidenceChain_IsIntact_AfterThePipelineRan()
    {
        foreach (var service in new[] { SystemUnderTest.Tickets, SystemUnderTest.SlaTimer, SystemUnderTest.Scoring })
        {
            var report = await service.Http.GetFromJsonAsync<JsonElement>("api/audit/chains");
            Assert.That(report.GetProperty("intact").GetBoolean(), Is.True, $"{service.Name}: {report}");
            Assert.That(report.GetProperty("chains")[0].GetProperty("entries").GetInt64(), Is.GreaterThan(0), $"{service.Name}: {report}");
        }

        var (exitCode, output) = await SystemUnderTest.Scoring.AdminAsync("verify-chains");
        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("deduction-ledger: intact"));
    }

    [Test]
    [Order(3)]
    public async Task ATimelineEntryEditedBehindTheServicesBack_IsNamed_ByTheEndpointAndTheCommand()
    {
        var (id, _) = await ReportAsync("general", null);
        await using (var store = SystemUnderTest.Tickets.Store())
        {
            // The guard against edits goes first, as someone with the database's own rights could do.
            var tamper = store.Provider == SqlProvider.Postgres
                ? "ALTER TABLE ticket_timeline DISABLE TRIGGER ticket_timeline_append_only; UPDATE ticket_timeline SET actor = 'somebody else' WHERE ticket_id = @Id"
                : "DROP TRIGGER ticket_timeline_no_update; UPDATE ticket_timeline SET actor = 'somebody else' WHERE ticket_id = @Id";
            var changed = await store.WriteAsync(t => t.ExecuteAsync(tamper, new { Id = id }));
            Assert.That(changed, Is.EqualTo(1));
        }

        var report = await SystemUnderTest.Tickets.Http.GetFromJsonAsync<JsonElement>("api/audit/chains");
        var (exitCode, output) = await SystemUnderTest.Tickets.AdminAsync("verify-chains");

        Assert.That(report.GetProperty("intact").GetBoolean(), Is.False);
        var broken = report.GetProperty("chains")[0].GetProperty("firstBroken");
        Assert.That(broken.GetProperty("entry").GetString(), Does.Contain(id.ToString()));
        Assert.That(broken.GetProperty("problem").GetString(), Does.Contain("写入后被改动"));
        Assert.That(exitCode, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("BROKEN").And.Contain(id.ToString()));
    }

    [Test]
    [Order(4)]
    public async Task AMessageNoConsumerCanProcess_IsParkedInTheErrorQueue_ShownInReadiness_AndBlocksNothing()
    {
        await SystemUnderTest.Bus.Publish(new TicketReported(null!, "phone", "poison", "138****0000"));

        await EventuallyAsync(async () =>
        {
            var ready = await SystemUnderTest.SlaTimer.Http.GetFromJsonAsync<JsonElement>("health/ready");
            var errors = ready.GetProperty("checks").GetProperty("errorQueue");
            return errors.GetProperty("status").GetString() == "Degraded" && errors.GetProperty("data").GetProperty("messages").GetInt64() >= 1;
        }, "sla-timer reports the parked message", TimeSpan.FromSeconds(40));

        var (id, _) = await ReportAsync("general", null);
        await EventuallyAsync(async () => (await ClocksAsync(id)).Length == 2, "a new ticket still gets its clocks");
    }
}
