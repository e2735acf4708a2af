using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ops.Contracts.Security;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.SlaTimer.Notifications;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// Callers limited to contracts and sites see only their clocks and notices: the seed contract (sites OTQ, SHM)
/// beside HQ-2027-OPS (site HQ); a ticket outside the scope has no clocks for the caller (404, as an unknown one).
/// </summary>
public class ScopeTests : ServiceTests<Program>
{
    private const string Hq = "HQ-2027-OPS";

    protected override void Configure(ServiceFactory<Program> service)
    {
        SeedContract.CopyTo(service.Settings, Hq);
        service.Settings[$"Contracts:{Hq}:Title"] = "数据中心运维服务";
        service.Settings[$"Contracts:{Hq}:Sites:HQ"] = "数据中心";
    }

    private async Task<TicketFacts> ReportAsync(string contract, string site)
    {
        var ticket = Tickets.Fault(Severity.Severe, Service.Time.GetUtcNow()) with { Contract = contract, SiteCode = site };
        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        await EventuallyAsync(async () => (await Client.GetAsync($"/api/tickets/{ticket.TicketId}/clocks")).StatusCode == HttpStatusCode.OK);
        return ticket;
    }

    private static async Task<string[]> ListedTicketsAsync(HttpClient client, string path)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(path);
        var numbers = page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("ticketNumber").GetString()!).ToArray();
        Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(numbers.Length), "the total counts only what the caller sees");
        return [.. numbers.Distinct()];
    }

    [Test]
    public async Task AnEngineerOfOneContract_SeesOnlyItsClocks_AndTheOthersAre404LikeAnUnknownTicket()
    {
        var otq = await ReportAsync("OTQ-2026-OPS", "OTQ");
        var hq = await ReportAsync(Hq, "HQ");
        using var engineer = Service.ClientAs(Roles.Engineer, Scope.Of([Hq]));

        var outside = await engineer.GetAsync($"/api/tickets/{otq.TicketId}/clocks");
        var outsideByNumber = await engineer.GetAsync($"/api/tickets/{otq.Number}/clocks");
        var unknown = await engineer.GetAsync($"/api/tickets/{Guid.NewGuid()}/clocks");

        Assert.That(Title(await outside.Content.ReadAsStringAsync()), Is.EqualTo(Title(await unknown.Content.ReadAsStringAsync())));
        Assert.That((outside.StatusCode, outsideByNumber.StatusCode, unknown.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        Assert.That((await engineer.GetAsync($"/api/tickets/{hq.TicketId}/clocks")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ListedTicketsAsync(engineer, "/api/clocks"), Is.EqualTo(new[] { hq.Number }));
        Assert.That(await ListedTicketsAsync(Client, "/api/clocks"), Is.EquivalentTo(new[] { otq.Number, hq.Number }), "an unlimited manager sees both");
    }

    private static string? Title(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("title").GetString();

    [Test]
    public async Task AnEngineerOfOneSite_SeesOnlyThatSitesClocks()
    {
        await ReportAsync("OTQ-2026-OPS", "OTQ");
        var shm = await ReportAsync("OTQ-2026-OPS", "SHM");
        using var engineer = Service.ClientAs(Roles.Engineer, Scope.Of(["OTQ-2026-OPS"], ["SHM"]));

        Assert.That(await ListedTicketsAsync(engineer, "/api/clocks?state=running"), Is.EqualTo(new[] { shm.Number }));
    }

    [Test]
    public async Task TheNotices_AreThoseOfTheCallersContractsAndSites()
    {
        var otq = await ReportAsync("OTQ-2026-OPS", "OTQ");
        var shm = await ReportAsync("OTQ-2026-OPS", "SHM");
        var hq = await ReportAsync(Hq, "HQ");
        var store = Service.Services.GetRequiredService<NotificationStore>();
        var clocks = Service.Services.GetRequiredService<Storage.ClockStore>();
        foreach (var ticket in new[] { otq, shm, hq })
        {
            var clock = (await clocks.OfTicketAsync(ticket.TicketId.ToString()))[0];
            await store.ClaimAsync(new Notification
            {
                Id = Guid.NewGuid(), ClockId = clock.Id, TicketNumber = ticket.Number, Contract = ticket.Contract, Clock = "response",
                Stage = 50, Level = "值班工程师", Channel = NotificationChannel.Webhook, Status = NotificationStatus.Sent, Attempts = 1,
                CreatedAt = Service.Time.GetUtcNow(),
            });
        }

        using var ofHq = Service.ClientAs(Roles.Engineer, Scope.Of([Hq]));
        using var ofShm = Service.ClientAs(Roles.Engineer, Scope.Of(["OTQ-2026-OPS"], ["SHM"]));

        Assert.That(await ListedTicketsAsync(ofHq, "/api/notifications"), Is.EqualTo(new[] { hq.Number }));
        Assert.That(await ListedTicketsAsync(ofShm, "/api/notifications"), Is.EqualTo(new[] { shm.Number }));
        Assert.That(await ListedTicketsAsync(Client, "/api/notifications"), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task AKeyIssuedElsewhere_KeepsItsScopeHere_AndAKeyOfAnOlderIssuerSeesEverything()
    {
        var otq = await ReportAsync("OTQ-2026-OPS", "OTQ");
        var hq = await ReportAsync(Hq, "HQ");
        var scoped = ApiKeyStore.Prefix + Guid.NewGuid().ToString("N");
        var older = ApiKeyStore.Prefix + Guid.NewGuid().ToString("N");
        await Service.Harness.Bus.Publish(new ApiKeyIssued(Guid.NewGuid(), "HQ dashboard", Roles.Auditor, ApiKeyStore.Hash(scoped), Service.Time.GetUtcNow(), Hq, null));
        await Service.Harness.Bus.Publish(new ApiKeyIssued(Guid.NewGuid(), "old dashboard", Roles.Auditor, ApiKeyStore.Hash(older), Service.Time.GetUtcNow()));
        using var ofHq = Service.CreateClient().WithApiKey(scoped);
        using var everything = Service.CreateClient().WithApiKey(older);
        await EventuallyAsync(async () => (await ofHq.GetAsync("/api/clocks")).IsSuccessStatusCode && (await everything.GetAsync("/api/clocks")).IsSuccessStatusCode);

        Assert.That(await ListedTicketsAsync(ofHq, "/api/clocks"), Is.EqualTo(new[] { hq.Number }));
        Assert.That((await ofHq.GetAsync($"/api/tickets/{otq.Number}/clocks")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await ListedTicketsAsync(everything, "/api/clocks"), Is.EquivalentTo(new[] { otq.Number, hq.Number }));
    }
}
