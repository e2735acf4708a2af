using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>The SLA dashboard: every figure as scoring's APIs answer it, filters in the address, the trend chart, and read-only for auditors.</summary>
public sealed class DashboardTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    /// <summary>A fault at SHM reported three hours ago (its response clock breached) and one at OTQ reported now.</summary>
    private static async Task<(string Breached, string Fresh)> ReportFaultsAsync()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        using var scoring = ConsoleUnderTest.Scoring.Client();
        var before = await scoring.GetFromJsonAsync<JsonElement>($"api/dashboard/sla?contract={ConsoleUnderTest.FirstContract}");
        var breached = await Apis.ReportAsync(desk, Report("SHM", "好差评", "severe", "好差评系统无法提交评价", Now.AddHours(-3)));
        var fresh = await Apis.ReportAsync(desk, Report("OTQ", "综合一窗受理平台", "general", "受理窗口打印失败", null));
        await Eventually.HoldsAsync(async () =>
        {
            var now = await scoring.GetFromJsonAsync<JsonElement>($"api/dashboard/sla?contract={ConsoleUnderTest.FirstContract}");
            return now.GetProperty("faults").GetInt64() >= before.GetProperty("faults").GetInt64() + 2
                && now.GetProperty("openBreaches").GetInt64() >= before.GetProperty("openBreaches").GetInt64() + 1; // the response clock of the first
        }, TimeSpan.FromSeconds(30));
        return (breached, fresh);
    }

    private static object Report(string site, string system, string severity, string title, DateTimeOffset? reportedAt) => new
    {
        channel = "phone",
        kind = "fault",
        severity,
        siteCode = site,
        system,
        title,
        reporter = new { name = "王科长", phone = "13900002222" },
        reportedAt,
    };

    [Test]
    public async Task AManagersDashboard_ShowsEveryFigureAsTheApisAnswerIt_AndTheOpenBreachLinksToItsTicket()
    {
        var (breached, _) = await ReportFaultsAsync();
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("manager");

        await AssertFiguresAsync(browser.Page, "dashboard", "");

        var link = browser.Page.Locator(".breaches a", new() { HasText = breached });
        Assert.That(await link.GetAttributeAsync("href"), Is.EqualTo($"tickets/{breached}"));
        await browser.ScreenshotAsync("dashboard-manager-1280");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task FiltersInTheAddress_ShowTheApisFiguresForTheSameFilter_AndTheFormKeepsThem()
    {
        await ReportFaultsAsync();
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("manager");
        var today = Now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var from = Now.ToOffset(TimeSpan.FromHours(8)).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var tomorrow = Now.ToOffset(TimeSpan.FromHours(8)).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        await AssertFiguresAsync(
            browser.Page,
            $"dashboard?from={from}&to={today}&site=SHM&severity=severe",
            $"from={Uri.EscapeDataString($"{from}T00:00:00+08:00")}&to={Uri.EscapeDataString($"{tomorrow}T00:00:00+08:00")}&siteCode=SHM&severity=severe");
        var page = browser.Page;
        Assert.That(await page.Locator(".period").TextContentAsync(), Does.Contain($"统计期间 {from} 至 {today}").And.Contain("站点 SHM").And.Contain("严重故障"));
        Assert.That(await page.Locator("select[name=site]").InputValueAsync(), Is.EqualTo("SHM"));
        Assert.That(await page.Locator("select[name=severity]").InputValueAsync(), Is.EqualTo("severe"));
        Assert.That(await page.Locator("section:has(#site-title) tbody th").AllTextContentsAsync(), Is.EqualTo(new[] { "SHM" }));

        // The form writes its filters into the address: a view another person can open.
        await page.Locator("select[name=site]").SelectOptionAsync("");
        await page.Locator("select[name=severity]").SelectOptionAsync("general");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, $"dashboard?contract={ConsoleUnderTest.FirstContract}&from={from}&to={today}&site=&system=&severity=general").ToString());
        await AssertFiguresAsync(page, null, $"from={Uri.EscapeDataString($"{from}T00:00:00+08:00")}&to={Uri.EscapeDataString($"{tomorrow}T00:00:00+08:00")}&severity=general");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task TheTrendChart_IsDrawnByTheConsolesOwnECharts_WithAChineseDescription_OnAPhoneToo()
    {
        await ReportFaultsAsync();
        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("manager");
        var page = browser.Page;

        // From the menu, as a person gets there (the menu's link loads the page whole, so its scripts run).
        await page.GotoAsync("");
        await page.GetByRole(AriaRole.Link, new() { Name = "SLA 看板" }).First.ClickAsync();
        var chart = page.Locator(".chart");
        await Assertions.Expect(chart.Locator("canvas")).ToHaveCountAsync(1);
        Assert.That(await chart.GetAttributeAsync("aria-label"), Does.StartWith("月度趋势折线图").And.Contain("目标 100%").And.Contain("响应及时率"));
        Assert.That(browser.Requests.Where(r => r.Contains("/lib/echarts/echarts.simple.min", StringComparison.Ordinal)), Is.Not.Empty, "ECharts comes from the console");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375), "no sideways scrolling on a phone");
        await browser.ScreenshotAsync("dashboard-manager-375");

        // Other pages do not load it.
        var onHome = browser.Requests.Count;
        await page.GotoAsync("");
        Assert.That(browser.Requests.Skip(onHome).Where(r => r.Contains("echarts", StringComparison.Ordinal) || r.Contains("charts.js", StringComparison.Ordinal)), Is.Empty);
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task TheTrendChart_IsDrawnAgain_WhenBackFromATicket()
    {
        var (breached, _) = await ReportFaultsAsync();
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("manager");
        var page = browser.Page;
        await page.GotoAsync("");
        await page.GetByRole(AriaRole.Link, new() { Name = "SLA 看板" }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".chart canvas")).ToHaveCountAsync(1);

        // The ticket and back again: the page returns without a reload (enhanced navigation), its scripts do not run again.
        await page.Locator(".breaches a", new() { HasText = breached }).ClickAsync();
        await Assertions.Expect(page.Locator(".ticket-facts .number")).ToHaveTextAsync(breached);
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("SLA 看板");
        await Assertions.Expect(page.Locator(".chart canvas")).ToHaveCountAsync(1);
        Assert.That(await page.Locator(".chart").GetAttributeAsync("aria-label"), Does.StartWith("月度趋势折线图"));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task TheOpenBreachList_FollowsThePagesSiteAndSeverity_AndSaysWhichItShows()
    {
        var (breached, _) = await ReportFaultsAsync();
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("manager");
        var page = browser.Page;
        var link = page.Locator(".breaches a", new() { HasText = breached });

        await page.GotoAsync("dashboard?site=SHM&severity=severe");
        await Assertions.Expect(link).ToHaveCountAsync(1);
        Assert.That(await page.Locator(".breach-scope").TextContentAsync(), Does.StartWith("站点 SHM、严重故障，不限统计期间"));

        await page.GotoAsync("dashboard?site=OTQ");
        await Assertions.Expect(page.Locator("h2#breaches-title")).ToBeVisibleAsync();
        Assert.That(await link.CountAsync(), Is.Zero, "a breach at SHM is not listed for OTQ");
        await page.GotoAsync("dashboard?site=SHM&severity=general");
        await Assertions.Expect(page.Locator("h2#breaches-title")).ToBeVisibleAsync();
        Assert.That(await link.CountAsync(), Is.Zero, "a severe fault is not listed among general ones");
        Assert.That(await page.Locator("section:has(#breaches-title)").TextContentAsync(), Does.Contain("站点 SHM、一般故障"));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task AnAuditor_SeesTheDashboard_WithNothingThatChangesAnything()
    {
        await ReportFaultsAsync();
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("auditor");
        var page = browser.Page;

        await AssertFiguresAsync(page, "dashboard", "");

        Assert.That(await page.Locator("main form[method=post]").CountAsync(), Is.Zero, "no form that changes anything");
        Assert.That(await page.Locator("main button").AllTextContentsAsync(), Is.EqualTo(new[] { "查看", "查询" }), "only the contract choice's and the filter's buttons");
        await browser.ScreenshotAsync("dashboard-auditor-1280");
        await browser.AssertWellBehavedAsync();
    }

    /// <summary>
    /// Opens <paramref name="path"/> (or reads the page shown) and compares each figure with scoring's answer for
    /// <paramref name="query"/> of <paramref name="contract"/>, read before and after the page: a report arriving
    /// meanwhile from another test is read again.
    /// </summary>
    internal static async Task AssertFiguresAsync(IPage page, string? path, string query, string contract = ConsoleUnderTest.FirstContract)
    {
        using var scoring = ConsoleUnderTest.Scoring.Client();
        query = query.Length == 0 ? $"contract={contract}" : $"contract={contract}&{query}";
        await Eventually.HoldsAsync(async () =>
        {
            var before = await scoring.GetStringAsync($"api/dashboard/sla?{query}");
            var assessmentBefore = await scoring.GetStringAsync($"api/assessment?evidence=0&contract={contract}");
            if (path is not null)
            {
                await page.GotoAsync(path);
            }

            var sla = JsonDocument.Parse(await scoring.GetStringAsync($"api/dashboard/sla?{query}")).RootElement;
            var assessment = JsonDocument.Parse(await scoring.GetStringAsync($"api/assessment?evidence=0&contract={contract}")).RootElement;
            if (sla.GetRawText() != JsonDocument.Parse(before).RootElement.GetRawText() || assessment.GetRawText() != JsonDocument.Parse(assessmentBefore).RootElement.GetRawText())
            {
                path ??= page.Url;
                return false;
            }

            Assert.That(await Figure(page, "responseRate"), Is.EqualTo(Rate(sla, "responseRate")));
            Assert.That(await Figure(page, "repairRate"), Is.EqualTo(Rate(sla, "repairRate")));
            Assert.That(await Figure(page, "openBreaches"), Is.EqualTo(sla.GetProperty("openBreaches").GetRawText()));
            Assert.That(await Figure(page, "p90Acknowledge"), Is.EqualTo(Minutes(sla, "p90AcknowledgeMinutes")));
            Assert.That(await Figure(page, "p90Repair"), Is.EqualTo(Minutes(sla, "p90RepairMinutes")));
            Assert.That(await Figure(page, "totalDeduction"), Is.EqualTo($"{Points(assessment.GetProperty("totalDeduction").GetDecimal())} 分"));
            Assert.That(await Figure(page, "feeReduction"), Is.EqualTo(Yuan(assessment.GetProperty("feeReduction").GetDecimal())));
            Assert.That(await Figure(page, "score"), Is.EqualTo(Points(assessment.GetProperty("score").GetDecimal())));
            Assert.That(await page.Locator("[data-figure=tier]").TextContentAsync(), Is.EqualTo(assessment.GetProperty("tier").GetString()));

            // The breakdown's rows are scoring's too: each site's faults and response rate as asked with that site alone.
            var bySite = JsonDocument.Parse(await scoring.GetStringAsync($"api/dashboard/sla/breakdown?by=site&{query}")).RootElement;
            var siteRows = page.Locator("section:has(#site-title) tbody tr");
            Assert.That(await siteRows.CountAsync(), Is.EqualTo(bySite.GetProperty("rows").GetArrayLength()));
            foreach (var row in bySite.GetProperty("rows").EnumerateArray())
            {
                var cells = await siteRows.Filter(new() { Has = page.Locator("th", new() { HasTextString = row.GetProperty("siteCode").GetString()! }) }).Locator("td").AllTextContentsAsync();
                Assert.That(cells.Take(2), Is.EqualTo(new[] { row.GetProperty("faults").GetRawText(), Rate(row, "responseRate") }));
            }

            return true;
        }, TimeSpan.FromSeconds(30));
    }

    private static async Task<string> Figure(IPage page, string name) =>
        (await page.Locator($"[data-figure={name}] .value").TextContentAsync())!.Trim();

    private static string Rate(JsonElement figures, string name) =>
        figures.GetProperty(name) is { ValueKind: JsonValueKind.Number } rate ? $"{rate.GetRawText()}%" : "—";

    private static string Minutes(JsonElement figures, string name) =>
        figures.GetProperty(name) is { ValueKind: JsonValueKind.Number } minutes ? $"{minutes.GetRawText()} 分钟" : "—";

    /// <summary>Points as every page writes them (<c>Services/Points.cs</c>): the API's value, never rounded, no trailing zeros.</summary>
    private static string Points(decimal points) => points.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Yuan(decimal amount) => "¥" + amount.ToString("#,##0.00", CultureInfo.InvariantCulture);
}
