using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Hosting.Security;
using Ops.Testing;
using static Ops.EndToEnd.Tests.Pipeline;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// Keys limited to a site, issued at tickets and carried to every service by the bus: each service shows the
/// key only what lies at its site, and a gateway of one site cannot file for another.
/// </summary>
[Order(4)]
public class ScopedPipelineTests
{
    private static async Task<HttpClient[]> KeyAsync(string role, string site)
    {
        using var admin = SystemUnderTest.Tickets.Anonymous().As(Roles.Admin, "e2e admin");
        var issued = await admin.PostAsJsonAsync("api/admin/keys", new { name = $"{site} {role}", role, sites = new[] { site } });
        Assert.That(issued.StatusCode, Is.EqualTo(HttpStatusCode.Created), await issued.Content.ReadAsStringAsync());
        var key = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        return [SystemUnderTest.Tickets.Anonymous().WithApiKey(key), SystemUnderTest.SlaTimer.Anonymous().WithApiKey(key), SystemUnderTest.Scoring.Anonymous().WithApiKey(key)];
    }

    private static object Report(string site, string system) => new
    {
        channel = "phone", kind = "fault", severity = "general", siteCode = site, system, title = "端到端测试故障",
        reporter = new { name = "测试员", phone = "13800001111" },
    };

    [Test]
    [Order(1)]
    public async Task AKeyOfOneSite_SeesOnlyThatSiteInEveryService_AndItsGatewayFilesForNoOther()
    {
        var system = NewSystem();
        using var gateway = (await KeyAsync(Roles.Intake, "SHM"))[0];
        var auditor = await KeyAsync(Roles.Auditor, "SHM");
        using var tickets = auditor[0];
        using var clocks = auditor[1];
        using var scoring = auditor[2];

        var shm = await gateway.PostAsJsonAsync("api/tickets", Report("SHM", system));
        var otqByGateway = await gateway.PostAsJsonAsync("api/tickets", Report("OTQ", system));
        var otq = await SystemUnderTest.Hotline.PostAsJsonAsync("api/tickets", Report("OTQ", system));
        Assert.That((shm.StatusCode, otqByGateway.StatusCode, otq.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.Created)));
        var shmId = (await shm.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var otqId = (await otq.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The whole system's view first: both faults reached the sla-timer and scoring.
        await EventuallyAsync(async () => (await ClocksAsync(otqId)).Length == 2 && (await ClocksAsync(shmId)).Length == 2, "both faults have clocks");
        await EventuallyAsync(async () => (await DashboardAsync(system)).GetProperty("faults").GetInt64() == 2, "scoring counts both faults");
        await EventuallyAsync(async () => (await clocks.GetAsync($"api/tickets/{shmId}/clocks")).StatusCode == HttpStatusCode.OK, "sla-timer knows the scoped key");
        await EventuallyAsync(async () => (await scoring.GetAsync($"api/dashboard/sla?system={system}")).StatusCode == HttpStatusCode.OK, "scoring knows the scoped key");

        Assert.That((await tickets.GetAsync($"api/tickets/{otqId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await tickets.GetAsync($"api/tickets/{shmId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await tickets.GetFromJsonAsync<JsonElement>("api/tickets?siteCode=OTQ")).GetProperty("total").GetInt64(), Is.Zero);
        Assert.That((await clocks.GetAsync($"api/tickets/{otqId}/clocks")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var running = await clocks.GetFromJsonAsync<JsonElement>("api/clocks?limit=500");
        Assert.That(running.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("siteCode").GetString()).Distinct(), Is.EqualTo(new[] { "SHM" }));
        Assert.That((await scoring.GetFromJsonAsync<JsonElement>($"api/dashboard/sla?system={system}")).GetProperty("faults").GetInt64(), Is.EqualTo(1));
        Assert.That((await scoring.GetAsync("api/assessment")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the assessment is the whole contract's");
    }

    [Test]
    [Order(2)]
    public async Task TheAdminCommands_TakeAScope_AndRefuseAnUnknownSite() // after a fault was filed at SHM
    {
        // Two commands, each a process of its own, side by side.
        var commands = await Task.WhenAll(
            SystemUnderTest.Tickets.AdminAsync("create-key", "--name", "nowhere gateway", "--role", "intake", "--site", "XYZ"),
            SystemUnderTest.Tickets.AdminAsync("issue-token", "--display-name", "上海庙 engineer", "--role", "engineer", "--contract", "OTQ-2026-OPS", "--site", "SHM"));
        var ((refused, refusal), (issued, output)) = (commands[0], commands[1]);

        Assert.That(refused, Is.EqualTo(64), refusal);
        Assert.That(refusal, Does.Contain("'--site' names unknown sites: XYZ"));
        Assert.That(issued, Is.Zero, output);
        using var engineer = SystemUnderTest.Tickets.Anonymous();
        engineer.DefaultRequestHeaders.Authorization = new("Bearer", output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => l.StartsWith("ey", StringComparison.Ordinal)));
        var page = await engineer.GetFromJsonAsync<JsonElement>("api/tickets?limit=200");
        Assert.That(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("siteCode").GetString()).Distinct(), Is.EqualTo(new[] { "SHM" }));
    }
}
