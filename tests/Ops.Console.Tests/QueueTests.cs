using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

public sealed class QueueTests
{
    [Test]
    public async Task EngineersQueue_OnAPhone_ListsOpenTicketsNearestDeadlineFirst_WithATickingCountdown_AndNoSidewaysScroll()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        const string system = "其他"; // the contract's catch-all: intake takes only the contract's systems
        var later = await ReportAsync(desk, system, "severe", "政务服务网首页无法打开，市民无法在线申报", DateTimeOffset.UtcNow);
        var sooner = await ReportAsync(desk, system, "general", "综合一窗受理平台打印回执失败", DateTimeOffset.UtcNow.AddMinutes(-20));
        using var timer = ConsoleUnderTest.SlaTimer.Client();
        await Eventually.HoldsAsync(async () =>
            (await timer.GetAsync($"api/tickets/{later}/clocks")).IsSuccessStatusCode && (await timer.GetAsync($"api/tickets/{sooner}/clocks")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(15));

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("engineer");
        await browser.Page.Locator("nav.menu").GetByRole(AriaRole.Link, new() { Name = "我的工单" }).ClickAsync();
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("我的工单");

        var numbers = await page.Locator(".ticket .number").AllTextContentsAsync();
        Assert.That(numbers, Does.Contain(sooner).And.Contain(later));
        Assert.That(numbers.ToList().IndexOf(sooner), Is.LessThan(numbers.ToList().IndexOf(later)), "the response deadline 10 minutes away comes before the one 30 minutes away");
        var row = page.Locator(".ticket", new() { Has = page.Locator(".number", new() { HasText = later }) });
        Assert.That(await row.Locator(".title").TextContentAsync(), Is.EqualTo("政务服务网首页无法打开，市民无法在线申报"));
        Assert.That(await row.Locator(".facts").TextContentAsync(), Is.EqualTo($"OTQ · {system}"));
        Assert.That(await row.Locator(".tag").First.TextContentAsync(), Is.EqualTo("严重故障"));
        Assert.That(await row.Locator(".deadline").TextContentAsync(), Does.Match(@"响应时限 \d{4}-\d{2}-\d{2} \d{2}:\d{2}"));

        var countdown = row.Locator(".countdown");
        var deadline = await Apis.DeadlineAsync(timer, later, "response");
        var before = DateTimeOffset.UtcNow;
        var first = await countdown.TextContentAsync();
        var after = DateTimeOffset.UtcNow;
        Assert.That(Shown(first, "剩余"), Is.InRange(deadline - after - TimeSpan.FromSeconds(2), deadline - before + TimeSpan.FromSeconds(2)), first);
        await Assertions.Expect(countdown).Not.ToHaveTextAsync(first!, new() { Timeout = 5000 });

        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("queue-375");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task EngineersQueue_ShowsAFaultWhoseResponseIsOverdue_First_AsOverdue_ThoughItsRepairClockStillRuns()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var onTime = await ReportAsync(desk, "其他", "severe", "统一身份认证登录缓慢", DateTimeOffset.UtcNow);
        var overdue = await ReportAsync(desk, "其他", "general", "社保查询接口返回超时", DateTimeOffset.UtcNow.AddMinutes(-40));
        using var timer = ConsoleUnderTest.SlaTimer.Client();
        await Eventually.HoldsAsync(async () =>
            (await timer.GetAsync($"api/tickets/{onTime}/clocks")).IsSuccessStatusCode && await Apis.StateAsync(timer, overdue, "response") == "breached",
            TimeSpan.FromSeconds(15));
        Assert.That(await Apis.StateAsync(timer, overdue, "repair"), Is.EqualTo("running"), "the repair clock still runs");

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("engineer");
        await browser.Page.GotoAsync("queue");
        var page = browser.Page;

        var numbers = (await page.Locator(".ticket .number").AllTextContentsAsync()).ToList();
        Assert.That(numbers, Does.Contain(onTime));
        // Other tests leave overdue tickets too: every overdue row comes before every other, this one among them.
        var overdueRows = (await page.Locator(".ticket").EvaluateAllAsync<bool[]>("rows => rows.map(r => r.classList.contains('breached'))")).ToList();
        var firstOnTime = overdueRows.IndexOf(false);
        Assert.That(overdueRows.Skip(firstOnTime), Has.None.True, "overdue rows first");
        Assert.That(numbers.IndexOf(overdue), Is.LessThan(firstOnTime), "the overdue ticket among the first");
        var row = page.Locator(".ticket", new() { Has = page.Locator(".number", new() { HasText = overdue }) });
        Assert.That(await row.GetAttributeAsync("class"), Does.Contain("breached"));
        Assert.That(await row.Locator(".deadline").TextContentAsync(), Does.StartWith("响应时限"));
        var deadline = await Apis.DeadlineAsync(timer, overdue, "response");
        var before = DateTimeOffset.UtcNow;
        var shown = await row.Locator(".countdown").TextContentAsync();
        var after = DateTimeOffset.UtcNow;
        Assert.That(Shown(shown, "已超时"), Is.InRange(before - deadline - TimeSpan.FromSeconds(2), after - deadline + TimeSpan.FromSeconds(2)), shown);
        var request = await ReportRequestAsync(desk, "normal", "为新入职窗口人员开通受理平台账号");
        await page.ReloadAsync();
        var requestRow = page.Locator(".ticket", new() { Has = page.Locator(".number", new() { HasText = request }) });
        Assert.That(await requestRow.Locator(".tag").First.TextContentAsync(), Is.EqualTo("服务请求 · 一般"), "the grade's name, not its code");
        await browser.ScreenshotAsync("queue-overdue-375");
        await browser.AssertWellBehavedAsync();
    }

    /// <summary>The time a countdown shows after its word (剩余 or 已超时), as hh:mm:ss.</summary>
    private static TimeSpan Shown(string? countdown, string word)
    {
        Assert.That(countdown, Does.Match($@"^{word} \d{{2}}:\d{{2}}:\d{{2}}$"));
        return TimeSpan.ParseExact(countdown![(word.Length + 1)..], @"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> ReportRequestAsync(HttpClient desk, string grade, string title)
    {
        return await Apis.ReportAsync(desk, new
        {
            channel = "phone",
            kind = "request",
            grade,
            siteCode = "OTQ",
            system = "其他",
            title,
            reporter = new { name = "张女士", phone = "13800001111" },
        });
    }

    private static async Task<string> ReportAsync(HttpClient desk, string system, string severity, string title, DateTimeOffset reportedAt)
    {
        return await Apis.ReportAsync(desk, new
        {
            channel = "phone",
            kind = "fault",
            severity,
            siteCode = "OTQ",
            system,
            title,
            reporter = new { name = "张女士", phone = "13800001111" },
            reportedAt,
        });
    }
}
