using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Contracts.Tickets;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Two contracts side by side: a report is measured against the contract that covers its site.</summary>
public class TwoContractsTests : ServiceTests<Program>
{
    protected override void Configure(ServiceFactory<Program> service)
    {
        SecondContract.AddTo(service);
    }

    [Test]
    public async Task AReport_BelongsToTheContractOfItsSite()
    {
        var hq = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid() with { SiteCode = "HQ", System = "机房动环监控" });
        var otq = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        var unknownSite = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid() with { SiteCode = "XYZ" });

        Assert.That(hq.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await hq.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contract").GetString(), Is.EqualTo("HQ-2027-OPS"));
        Assert.That((await otq.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contract").GetString(), Is.EqualTo("OTQ-2026-OPS"));
        await Problems.AssertAsync(unknownSite, HttpStatusCode.BadRequest, "siteCode");
        Assert.That((await Service.PublishedAsync<TicketReported>()).Select(m => m.Ticket.Contract), Has.Some.EqualTo("HQ-2027-OPS"));
    }
}
