using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>The engineer's queue filtered by site, level and "only mine" from the address, kept fresh without a reload, and complete past one API page.</summary>
public sealed class QueueFilterTests
{
    [Test]
    public async Task Filters_BySiteAndLevel_ShowOnlyMatchingRows_LiveInTheAddress_AndFitAPhone()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var severeAtOtq = await ReportFaultAsync(desk, "OTQ", "severe", "政务服务网门户首页白屏");
        var generalAtShm = await ReportFaultAsync(desk, "SHM", "general", "分中心叫号机无法出号");
        var requestAtShm = await ReportRequestAsync(desk, "SHM", "为分中心窗口开通受理平台账号");

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("engineer");
        var page = browser.Page;
        await page.GotoAsync("queue");
        await Assertions.Expect(page.Locator(".queue-list .summary")).ToContainTextAsync("；已超时在前，然后按最近的时限。");
        Assert.That(await Numbers(page), Does.Contain(severeAtOtq).And.Contain(generalAtShm).And.Contain(requestAtShm));

        await page.GetByLabel("站点").SelectOptionAsync("SHM");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/queue\?site=SHM&level=$"));
        var atShm = await Numbers(page);
        Assert.That(atShm, Does.Contain(generalAtShm).And.Contain(requestAtShm).And.Not.Contain(severeAtOtq));
        Assert.That(await page.Locator(".ticket .facts").AllTextContentsAsync(), Has.All.StartWith("SHM · "));
        Assert.That(await page.Locator(".queue-list .summary").TextContentAsync(), Does.StartWith($"筛选出 {atShm.Count} 张，共 "));

        await page.GetByLabel("级别").SelectOptionAsync(new SelectOptionValue { Label = "一般故障" });
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/queue\?site=SHM&level=general$"));
        Assert.That(await Numbers(page), Does.Contain(generalAtShm).And.Not.Contain(requestAtShm).And.Not.Contain(severeAtOtq));
        Assert.That(await page.Locator(".ticket .head .tag:first-of-type").AllTextContentsAsync(), Has.All.EqualTo("一般故障"));

        await page.ReloadAsync();
        Assert.That(await Numbers(page), Does.Contain(generalAtShm).And.Not.Contain(requestAtShm), "the view survives a reload");
        Assert.That(await page.GetByLabel("站点").InputValueAsync(), Is.EqualTo("SHM"), "the form shows the filters in force");
        Assert.That(await page.GetByLabel("级别").InputValueAsync(), Is.EqualTo("general"));
        Assert.That(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), Is.True, "no sideways scroll");
        await browser.ScreenshotAsync("queue-filtered-engineer-375");

        await page.GotoAsync("queue?level=severe");
        Assert.That(await Numbers(page), Does.Contain(severeAtOtq).And.Not.Contain(generalAtShm).And.Not.Contain(requestAtShm), "a shared address gives the same view");
        await page.GetByRole(AriaRole.Link, new() { Name = "清除筛选" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ticket .number", new() { HasText = requestAtShm })).ToBeVisibleAsync();
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task OnlyMine_ShowsTheTicketsTheEngineerAcknowledged_NotOthersNorUnacknowledged()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var mine = await ReportFaultAsync(desk, "OTQ", "general", "受理平台上传附件失败");
        var theirs = await ReportFaultAsync(desk, "OTQ", "general", "电子监察平台告警推送延迟");
        var nobodys = await ReportFaultAsync(desk, "OTQ", "general", "好差评评价器离线");
        using var acknowledged = await desk.PostAsync($"api/tickets/{theirs}/acknowledge", null);
        Assert.That(acknowledged.StatusCode, Is.EqualTo(HttpStatusCode.OK), await acknowledged.Content.ReadAsStringAsync());

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("engineer");
        var page = browser.Page;
        await page.GotoAsync($"tickets/{mine}");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认响应" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ticket-facts .ticket-status")).ToHaveTextAsync("已响应");

        await page.GotoAsync("queue");
        await page.GetByLabel("只看我的").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/queue\?site=&level=&mine=1$"));
        var shown = await Numbers(page);
        Assert.That(shown, Does.Contain(mine).And.Not.Contain(theirs).And.Not.Contain(nobodys));
        Assert.That(await page.GetByLabel("只看我的").IsCheckedAsync(), Is.True);
        Assert.That(await page.Locator(".queue-list .summary").TextContentAsync(), Does.StartWith($"筛选出 {shown.Count} 张我已确认响应的，共 "));
        Assert.That(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), Is.True, "no sideways scroll");
        await browser.ScreenshotAsync("queue-mine-engineer-375");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task ATicketReportedWhileTheQueueIsOpen_AppearsWithoutAReload_WithinItsFilters_AndTicks()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("engineer");
        var page = browser.Page;
        await page.GotoAsync("queue?level=severe");
        await Assertions.Expect(page.Locator(".queue-list .summary")).ToBeVisibleAsync();
        await page.EvaluateAsync("window.sameDocument = true");

        var general = await ReportFaultAsync(desk, "OTQ", "general", "无证明城市系统证照调取缓慢");
        var severe = await ReportFaultAsync(desk, "OTQ", "severe", "信用审批平台数据库连接中断");

        var row = page.Locator(".ticket", new() { Has = page.Locator(".number", new() { HasText = severe }) });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        Assert.That(await page.EvaluateAsync<bool>("window.sameDocument === true"), Is.True, "no reload");
        Assert.That(await Numbers(page), Does.Not.Contain(general), "the list keeps the page's filters (reported before the severe one)");
        Assert.That(page.Url, Does.EndWith("/queue?level=severe"));
        var countdown = row.Locator(".countdown");
        await Assertions.Expect(countdown).ToHaveTextAsync(new Regex(@"^剩余 00:[23]\d:\d{2}$"), new() { Timeout = 12_000 }); // the next refresh brings the clock the sla-timer started
        var first = await countdown.TextContentAsync();
        await Assertions.Expect(countdown).Not.ToHaveTextAsync(first!, new() { Timeout = 5000 });
        await browser.ScreenshotAsync("queue-refreshed-engineer-375");
        await browser.AssertWellBehavedAsync();

        // A session that ended meanwhile goes to the sign-in page, which brings the person back to the same view.
        await page.Context.ClearCookiesAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/login\?ReturnUrl=%2Fqueue%3Flevel%3Dsevere$"), new() { Timeout = 10_000 });
    }

    [Test]
    public async Task MoreOpenTicketsThanOneApiPage_AreAllListed()
    {
        // Reported by an engineer's key of its own: the desk's intake allowance is other tests' to use.
        using var reporter = ConsoleUnderTest.Tickets.Anonymous().As("engineer", "巡检工程师");
        var numbers = new List<string>();
        // A few at a time, as several inspectors would.
        await Parallel.ForEachAsync(Enumerable.Range(1, 205), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            // The intake's burst is 200 reports a caller: the rest wait for its allowance to refill.
            await Eventually.HoldsAsync(async () =>
            {
                using var response = await reporter.PostAsJsonAsync("api/tickets", Fault("SHM", "general", $"分中心自助终端巡检发现故障 {i}"));
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    return false;
                }

                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
                var number = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("number").GetString()!;
                lock (numbers)
                {
                    numbers.Add(number);
                }

                return true;
            }, TimeSpan.FromSeconds(30));
        });
        Assert.That(numbers, Has.Count.EqualTo(205).And.Unique);

        try
        {
            await using var browser = await BrowserSession.OpenAsync(1280, 800);
            await browser.SignInAsAsync("engineer");
            var page = browser.Page;
            await page.GotoAsync("queue?site=SHM&level=general");
            Assert.That(await Numbers(page), Is.SupersetOf(numbers), "every open ticket, past the API's page of 200");
        }
        finally
        {
            using var manager = ConsoleUnderTest.Tickets.Client();
            await Parallel.ForEachAsync(numbers, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (number, _) =>
                (await manager.PostAsJsonAsync($"api/tickets/{number}/resolve", new { resolution = "巡检复核后关闭" })).Dispose());
        }
    }

    private static async Task<List<string>> Numbers(IPage page) => [.. await page.Locator(".ticket .number").AllTextContentsAsync()];

    private static object Fault(string site, string severity, string title) => new
    {
        channel = "phone",
        kind = "fault",
        severity,
        siteCode = site,
        system = "其他",
        title,
        reporter = new { name = "张女士", phone = "13800001111" },
    };

    private static Task<string> ReportFaultAsync(HttpClient desk, string site, string severity, string title) =>
        Apis.ReportAsync(desk, Fault(site, severity, title));

    private static Task<string> ReportRequestAsync(HttpClient desk, string site, string title) =>
        Apis.ReportAsync(desk, new
        {
            channel = "phone",
            kind = "request",
            grade = "normal",
            siteCode = site,
            system = "其他",
            title,
            reporter = new { name = "张女士", phone = "13800001111" },
        });
}
