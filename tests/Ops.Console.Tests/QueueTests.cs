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
        var first = await countdown.TextContentAsync();
        Assert.That(first, Does.Match(@"^剩余 00:(29|30):\d{2}$"));
        await Assertions.Expect(countdown).Not.ToHaveTextAsync(first!, new() { Timeout = 5000 });

        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("queue-375");
        await browser.AssertWellBehavedAsync();
    }

    private static async Task<string> ReportAsync(HttpClient desk, string system, string severity, string title, DateTimeOffset reportedAt)
    {
        var response = await desk.PostAsJsonAsync("api/tickets", new
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
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!;
    }
}
