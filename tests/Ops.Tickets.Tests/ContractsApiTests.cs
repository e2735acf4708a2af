using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// The contracts' book as a report form reads it (<c>GET /api/contracts</c>), and the hotline desk (<c>operator</c>):
/// it reports and reads, and changes nothing else.
/// </summary>
public class ContractsApiTests : ServiceTests<Program>
{
    protected override void Configure(ServiceFactory<Program> service) => SecondContract.AddTo(service);

    [Test]
    public async Task TheCatalog_ListsEachContractWithItsSitesSystemsAndGrades_MostUrgentGradeFirst()
    {
        using var desk = Service.ClientAs(Roles.Operator, "接线员甲");

        var contracts = await desk.GetFromJsonAsync<JsonElement>("/api/contracts");

        Assert.That(Codes(contracts), Is.EqualTo(new[] { SecondContract.Code, "OTQ-2026-OPS" }));
        var otq = contracts[1];
        Assert.That(otq.GetProperty("name").GetString(), Is.EqualTo("智慧政务平台建设及运维服务"));
        Assert.That(Named(otq, "sites"), Is.EqualTo(new[] { "OTQ 鄂托克前旗政务服务与数据管理局", "SHM 上海庙经济开发区政务服务分中心" }));
        var systems = otq.GetProperty("systems").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.That(systems, Has.Count.EqualTo(11));
        Assert.That(systems[0], Is.EqualTo("智慧政务云平台"));
        Assert.That(systems[^1], Is.EqualTo("其他"));
        Assert.That(Named(otq, "grades"), Is.EqualTo(new[] { "urgent 紧急", "normal 一般", "low 低" }));
        Assert.That(Named(otq, "channels"), Is.EqualTo(new[] { "phone 电话", "wechat 微信", "web 网页", "inspection 巡检" }));
        Assert.That(Named(otq, "kinds"), Is.EqualTo(new[] { "fault 故障", "request 服务请求" }));
        var hq = contracts[0];
        Assert.That(Named(hq, "sites"), Is.EqualTo(new[] { "HQ 数据中心" }));
        Assert.That(Named(hq, "grades"), Is.Empty, "the second contract names no grades");
        Assert.That(Named(hq, "kinds"), Is.EqualTo(new[] { "fault 故障" }), "so it takes faults only");
    }

    [Test]
    public async Task TheCatalog_ShowsOnlyTheContractsAndSitesInTheCallersScope()
    {
        using var shm = Service.ClientAs(Roles.Engineer, Scope.Of(["OTQ-2026-OPS"], ["SHM"]));
        using var hq = Service.ClientAs(Roles.Intake, Scope.Of([SecondContract.Code]));

        var ofShm = await shm.GetFromJsonAsync<JsonElement>("/api/contracts");
        var ofHq = await hq.GetFromJsonAsync<JsonElement>("/api/contracts");

        Assert.That(Codes(ofShm), Is.EqualTo(new[] { "OTQ-2026-OPS" }));
        Assert.That(Named(ofShm[0], "sites"), Is.EqualTo(new[] { "SHM 上海庙经济开发区政务服务分中心" }));
        Assert.That(Codes(ofHq), Is.EqualTo(new[] { SecondContract.Code }));
    }

    [Test]
    public async Task TheHotlineDesk_Reports_AndReadsTheTicket_WithThePhoneMasked_ButNeitherAcknowledgesNorResolves()
    {
        using var desk = Service.ClientAs(Roles.Operator, "接线员甲");

        var reported = await desk.PostAsJsonAsync("/api/tickets", Reports.Valid());
        Assert.That(reported.StatusCode, Is.EqualTo(HttpStatusCode.Created), await reported.Content.ReadAsStringAsync());
        var number = (await reported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString();
        var read = await desk.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}");
        var acknowledge = await desk.PostAsync($"/api/tickets/{number}/acknowledge", null);
        var resolve = await desk.PostAsJsonAsync($"/api/tickets/{number}/resolve", new { resolution = "已处理" });
        var severity = await desk.PostAsJsonAsync($"/api/tickets/{number}/severity", new { severity = "general", reason = "影响较小" });

        Assert.That(read.GetProperty("timeline")[0].GetProperty("actor").GetString(), Is.EqualTo("接线员甲"));
        Assert.That(read.GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo("138****5678"), "the desk does not call back");
        Assert.That(acknowledge.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(resolve.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(severity.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var after = await desk.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}");
        Assert.That(after.GetProperty("status").GetString(), Is.EqualTo("open"), "a refusal changes nothing");
    }

    private static string[] Codes(JsonElement contracts) => [.. contracts.EnumerateArray().Select(c => c.GetProperty("code").GetString()!)];

    private static string[] Named(JsonElement contract, string list) =>
        [.. contract.GetProperty(list).EnumerateArray().Select(n => $"{n.GetProperty("code").GetString()} {n.GetProperty("name").GetString()}")];
}
