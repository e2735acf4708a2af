using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Contracts.Sla;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>
/// Managers limited to contracts and sites: the seed contract (sites OTQ, SHM) beside HQ-2027-OPS (site HQ). The
/// assessment, its deductions and waivers belong to a whole contract; the dashboard counts the caller's sites.
/// </summary>
public class ScopeTests : ServiceTests<Program>
{
    private const string Hq = "HQ-2027-OPS";

    protected override void Configure(ServiceFactory<Program> service)
    {
        var prefix = $"Contracts:{Hq}";
        SeedContract.CopyTo(service.Settings, Hq, "Assessment");
        service.Settings[$"{prefix}:Title"] = "数据中心运维服务";
        service.Settings[$"{prefix}:Amount"] = "100000.00";
        service.Settings[$"{prefix}:ServiceStart"] = "2026-07-01";
        service.Settings[$"{prefix}:ServiceEnd"] = "2027-06-30";
        service.Settings[$"{prefix}:Sites:HQ"] = "数据中心";
        service.Settings[$"{prefix}:Assessment:Items:0:Number"] = "1";
        service.Settings[$"{prefix}:Assessment:Items:0:Name"] = "故障处理";
        service.Settings[$"{prefix}:Assessment:Items:0:MaxPoints"] = "50";
        service.Settings[$"{prefix}:Assessment:Items:1:Number"] = "2";
        service.Settings[$"{prefix}:Assessment:Items:1:Name"] = "服务质量";
        service.Settings[$"{prefix}:Assessment:Items:1:MaxPoints"] = "50";
        service.Settings[$"{prefix}:Assessment:DeductionRules:0:Clock"] = "Repair";
        service.Settings[$"{prefix}:Assessment:DeductionRules:0:Item"] = "1";
        service.Settings[$"{prefix}:Assessment:DeductionRules:0:Points"] = "25";
    }

    /// <summary>A breached repair clock at each of OTQ, SHM (the seed contract) and HQ, scored.</summary>
    private async Task BreachEverywhereAsync()
    {
        await Service.Harness.Bus.Publish(new SlaBreached(Clocks.Running(ClockKind.Repair).Breached()));
        await Service.Harness.Bus.Publish(new SlaBreached(Clocks.Running(ClockKind.Repair, siteCode: "SHM").Breached()));
        await Service.Harness.Bus.Publish(new SlaBreached((Clocks.Running(ClockKind.Repair, siteCode: "HQ") with { Contract = Hq }).Breached()));
        await EventuallyAsync(async () =>
            (await Client.GetFromJsonAsync<JsonElement>($"/api/assessment?contract={Hq}")).GetProperty("totalDeduction").GetDecimal() == 25m
            && (await Client.GetFromJsonAsync<JsonElement>($"/api/assessment?contract={Seed.Contract}")).GetProperty("totalDeduction").GetDecimal() == 4m);
    }

    [Test]
    public async Task AManagerOfOneContract_SeesOnlyItsAssessment_AndTheOtherIsAnsweredAsUnknown()
    {
        await BreachEverywhereAsync();
        using var ofHq = Service.ClientAs(Roles.Manager, Scope.Of([Hq]));

        var own = await ofHq.GetAsync("/api/assessment");
        var other = await ofHq.GetAsync($"/api/assessment?contract={Seed.Contract}");
        var unknown = await ofHq.GetAsync("/api/assessment?contract=NOPE-2026");

        Assert.That((await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contract").GetString(), Is.EqualTo(Hq), "its only contract needs no naming");
        await Problems.AssertAsync(other, HttpStatusCode.BadRequest, "contract");
        var otherText = await other.Content.ReadAsStringAsync();
        Assert.That(otherText, Does.Not.Contain(Seed.Contract));
        Assert.That(await Problems.MessageAsync(unknown, "contract"), Is.EqualTo("“contract”须为以下之一：HQ-2027-OPS。"));
    }

    [Test]
    public async Task AManagerOfOneContract_CanNeitherDeductFromNorWaiveTheOthers_AndTheLedgerIsUnchanged()
    {
        await BreachEverywhereAsync();
        var seedBreach = (await Client.GetFromJsonAsync<JsonElement>($"/api/assessment?contract={Seed.Contract}"))
            .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetInt32() == 6).GetProperty("evidence")[0].GetProperty("id").GetGuid();
        using var ofHq = Service.ClientAs(Roles.Manager, Scope.Of([Hq]));

        var deduction = await ofHq.PostAsJsonAsync("/api/assessment/deductions", new { contract = Seed.Contract, item = 1, points = 1, reason = "季度考核扣分" });
        var waiver = await ofHq.PostAsJsonAsync("/api/assessment/waivers", new { deduction = seedBreach, reason = "非乙方责任" });
        var unknownWaiver = await ofHq.PostAsJsonAsync("/api/assessment/waivers", new { deduction = Guid.NewGuid(), reason = "非乙方责任" });

        await Problems.AssertAsync(deduction, HttpStatusCode.BadRequest, "contract");
        Assert.That((waiver.StatusCode, unknownWaiver.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        Assert.That(Title(await waiver.Content.ReadAsStringAsync()), Is.EqualTo(Title(await unknownWaiver.Content.ReadAsStringAsync())));
        Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/api/assessment?contract={Seed.Contract}")).GetProperty("totalDeduction").GetDecimal(), Is.EqualTo(4m));
        var own = await ofHq.PostAsJsonAsync("/api/assessment/deductions", new { contract = Hq, item = 1, points = 1, reason = "季度考核扣分" });
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    private static string? Title(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("title").GetString();

    [Test]
    public async Task AManagerOfOneSite_SeesThatSitesDashboard_ButNotTheWholeContractsAssessment()
    {
        await BreachEverywhereAsync();
        using var ofShm = Service.ClientAs(Roles.Manager, Scope.Of([Seed.Contract], ["SHM"]));

        var dashboard = await ofShm.GetFromJsonAsync<JsonElement>("/api/dashboard/sla");
        var otqAsked = await ofShm.GetFromJsonAsync<JsonElement>("/api/dashboard/sla?siteCode=OTQ");
        var whole = await Client.GetFromJsonAsync<JsonElement>($"/api/dashboard/sla?contract={Seed.Contract}");
        var assessment = await ofShm.GetAsync($"/api/assessment?contract={Seed.Contract}");
        var hqDashboard = await ofShm.GetAsync($"/api/dashboard/sla?contract={Hq}");

        Assert.That(dashboard.GetProperty("openBreaches").GetInt64(), Is.EqualTo(1), "SHM's breach only");
        Assert.That(otqAsked.GetProperty("openBreaches").GetInt64(), Is.Zero);
        Assert.That(whole.GetProperty("openBreaches").GetInt64(), Is.EqualTo(2), "an unlimited manager sees both sites");
        await Problems.AssertAsync(assessment, HttpStatusCode.BadRequest, "contract");
        await Problems.AssertAsync(hqDashboard, HttpStatusCode.BadRequest, "contract");
    }
}
