using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Refusals say what the caller needs to know: which field is missing, the real window, when to retry.</summary>
public class ErrorMessageTests : ServiceTests<Program>
{
    private readonly string contracts = Path.Combine(Path.GetTempPath(), $"ops-contracts-{Guid.NewGuid():N}.json");

    /// <summary>The contracts file overrides settings, so the short window comes in a copy of it.</summary>
    protected override void Configure(ServiceFactory<Program> service)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts.json")))!;
        json["Contracts"]!["OTQ-2026-OPS"]!["Sla"]!["ReopenWindow"] = "00:00:05";
        File.WriteAllText(contracts, json.ToJsonString());
        service.Settings["OPS_CONTRACTS_FILE"] = contracts;
    }

    [TearDown]
    public void RemoveContracts() => File.Delete(contracts);

    private async Task<Guid> ReportAsync()
    {
        var created = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Test]
    public async Task AMissingBody_NamesTheRequiredFields_NotTheFramework()
    {
        var id = await ReportAsync();

        var resolve = await Client.PostAsync($"/api/tickets/{id}/resolve", null);
        var report = await Client.PostAsync("/api/tickets", null);

        await Problems.AssertAsync(resolve, HttpStatusCode.BadRequest, "resolution");
        Assert.That(await Problems.MessageAsync(resolve, "resolution"), Is.EqualTo("“resolution”为必填项。"));
        Assert.That(await resolve.Content.ReadAsStringAsync(), Does.Not.Contain("Implicit body"));
        await Problems.AssertAsync(report, HttpStatusCode.BadRequest, "channel");
        Assert.That(await Problems.MessageAsync(report, "title"), Is.EqualTo("“title”为必填项。"));
        Assert.That(await report.Content.ReadAsStringAsync(), Does.Not.Contain("Implicit body"));
        var ticket = await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        Assert.That(ticket.GetProperty("status").GetString(), Is.EqualTo("open"), "nothing changed");
    }

    [Test]
    public async Task TheReopenWindowsRefusal_StatesTheRealWindow()
    {
        var id = await ReportAsync();
        Assert.That((await Client.PostAsJsonAsync($"/api/tickets/{id}/resolve", new { resolution = "已重启服务" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Service.Time.Advance(TimeSpan.FromSeconds(6));

        var late = await Client.PostAsJsonAsync($"/api/tickets/{id}/reopen", new { reason = "仍无法出件" });

        await Problems.AssertAsync(late, HttpStatusCode.Conflict);
        var detail = (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.That(detail, Does.Contain("解决已超过 5秒").And.Not.Contain("0天"));
    }

    [TestCase(7 * 24 * 60 * 60, "7 days")]
    [TestCase(1 * 24 * 60 * 60, "1 day")]
    [TestCase(5, "5 seconds")]
    [TestCase(1, "1 second")]
    [TestCase(2.5 * 60 * 60, "2 hours 30 minutes")]
    [TestCase(26 * 60 * 60 + 61, "1 day 2 hours 1 minute 1 second")]
    [TestCase(0.25, "250 milliseconds")]
    [TestCase(0, "0 seconds")]
    public void Durations_AreWrittenAsPeopleWriteThem(double seconds, string words)
    {
        Assert.That(Durations.InWords(TimeSpan.FromSeconds(seconds)), Is.EqualTo(words));
    }

    [TestCase(2 * 60 * 60 + 15 * 60, "2小时15分")]
    [TestCase(3 * 24 * 60 * 60 + 4 * 60 * 60, "3天4小时")]
    [TestCase(45 * 60, "45分")]
    [TestCase(7 * 24 * 60 * 60, "7天")]
    [TestCase(26 * 60 * 60 + 61, "1天2小时1分1秒")]
    [TestCase(5, "5秒")]
    [TestCase(0.25, "250毫秒")]
    [TestCase(0, "0秒")]
    [TestCase(-45 * 60, "负45分")]
    public void Durations_AreWrittenInChinese_AsPeopleWriteThem(double seconds, string words)
    {
        Assert.That(Durations.InChineseWords(TimeSpan.FromSeconds(seconds)), Is.EqualTo(words));
    }

    [Test]
    public async Task TheIntakeLimitsRefusal_IsAProblemWithAType_AndRetryAfter()
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings["Intake:RateLimit:PermitsPerSecond"] = "1";
        service.Settings["Intake:RateLimit:Burst"] = "1";
        using var gateway = service.ClientAs(Roles.Intake, "hotline");

        HttpResponseMessage refused;
        do
        {
            refused = await gateway.PostAsJsonAsync("/api/tickets", Reports.Valid());
        }
        while (refused.StatusCode == HttpStatusCode.Created);

        await Problems.AssertAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("type").GetString(), Does.StartWith("https://"));
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(429));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("未保存任何内容"));
    }

    [Test]
    public async Task TheSignInLimitsRefusal_IsAProblemWithAType_AndRetryAfter_AndDoesNotTalkOfStoring()
    {
        using var anonymous = Service.ClientAs(null);

        HttpResponseMessage refused;
        var attempts = 0;
        do
        {
            refused = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "nobody", password = "not the password at all" });
        }
        while (refused.StatusCode != HttpStatusCode.TooManyRequests && ++attempts < 50);

        await Problems.AssertAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("type").GetString(), Does.StartWith("https://"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("登录").And.Not.Contain("保存"));
    }
}
