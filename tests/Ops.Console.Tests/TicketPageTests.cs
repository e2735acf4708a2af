using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

public sealed class TicketPageTests
{
    private const string Title = "<img src=x onerror=alert(1)>";

    [Test]
    public async Task TicketPage_OnAPhone_AcknowledgesAndResolvesFromTheQueue_ShowsTheClocks_AndTheApisRefusalInChinese()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var number = await ReportAsync(desk, Title);
        using var timer = ConsoleUnderTest.SlaTimer.Anonymous().As("engineer", "李工");
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "response") == "running", TimeSpan.FromSeconds(15));

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        var page = browser.Page;
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        await browser.SignInAsAsync("engineer");
        await page.GotoAsync("queue");
        await page.Locator(".ticket .number", new() { HasText = number }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, $"tickets/{number}").ToString());

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(Title);
        Assert.That(await page.Locator("h1 img").CountAsync(), Is.Zero, "the title is text, not markup");
        var facts = page.Locator(".ticket-facts");
        Assert.That(await facts.Locator(".number").TextContentAsync(), Is.EqualTo(number));
        Assert.That(await facts.Locator(".kind").TextContentAsync(), Is.EqualTo("一般故障"));
        Assert.That(await facts.Locator(".ticket-status").TextContentAsync(), Is.EqualTo("待响应"));
        Assert.That(await facts.Locator(".site").TextContentAsync(), Is.EqualTo("OTQ"));
        Assert.That(await facts.Locator(".system").TextContentAsync(), Is.EqualTo("其他"));
        Assert.That(await facts.Locator(".channel").TextContentAsync(), Is.EqualTo("电话"));
        Assert.That(await facts.Locator(".reported").TextContentAsync(), Does.Match(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        var ticket = await timer.GetFromJsonAsync<JsonElement>($"api/tickets/{number}/clocks");
        Assert.That(await facts.Locator(".reported").TextContentAsync(), Is.EqualTo(Shanghai(ReportedAt(ticket))));
        Assert.That(await facts.Locator("a.phone").GetAttributeAsync("href"), Is.EqualTo("tel:13800001111"), "engineers call the reporter back");
        Assert.That(await page.Locator(".clock.response .state").TextContentAsync(), Is.EqualTo("计时中"));
        Assert.That(await page.Locator(".clock.repair .state").TextContentAsync(), Is.EqualTo("计时中"));
        Assert.That(await page.Locator(".clock.response").TextContentAsync(), Does.Contain("响应时限").And.Contain(Shanghai(await Apis.DeadlineAsync(timer, number, "response"))));
        Assert.That(await page.Locator(".timeline .action").AllTextContentsAsync(), Is.EqualTo(new[] { "报修" }));

        await page.GetByRole(AriaRole.Button, new() { Name = "确认响应" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ticket-facts .ticket-status")).ToHaveTextAsync("已响应");
        Assert.That(page.Url, Is.EqualTo(new Uri(BrowserSession.Origin, $"tickets/{number}").ToString()), "post, redirect, get");
        Assert.That(await page.GetByRole(AriaRole.Button, new() { Name = "确认响应" }).CountAsync(), Is.Zero, "an acknowledged ticket is not acknowledged again");
        Assert.That(await page.Locator(".timeline tbody tr").Last.TextContentAsync(), Does.Contain("确认响应").And.Contain("李工").And.Contain("经控制台"), "the timeline says it came from the console");
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "response") == "met", TimeSpan.FromSeconds(15));
        await page.ReloadAsync();
        Assert.That(await page.Locator(".clock.response .state").TextContentAsync(), Is.EqualTo("已达标"));

        await page.Locator("details.resolve summary").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "确认修复完成" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync("“处理结果”为必填项。");
        Assert.That(await page.Locator(".ticket-facts .ticket-status").TextContentAsync(), Is.EqualTo("已响应"), "a refusal changes nothing");

        await page.GetByLabel("处理结果").FillAsync("重启打印服务后恢复");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认修复完成" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ticket-facts .ticket-status")).ToHaveTextAsync("已解决");
        Assert.That(await page.Locator(".ticket-facts .resolution").TextContentAsync(), Is.EqualTo("重启打印服务后恢复"));
        Assert.That(await page.Locator(".error").CountAsync(), Is.Zero);
        Assert.That(await page.Locator(".actions summary").AllTextContentsAsync(), Is.EqualTo(new[] { "重新打开" }), "a resolved fault is only reopened");

        Assert.That(dialogs, Is.Empty, "the title's markup never runs");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("ticket-375");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task TicketPage_ShowsTheApisConflict_WhenSomeoneElseAcknowledgedFirst()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var number = await ReportAsync(desk, "统一身份认证登录缓慢");

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("engineer");
        var page = browser.Page;
        await page.GotoAsync($"tickets/{number}");
        await Assertions.Expect(page.Locator(".ticket-facts .ticket-status")).ToHaveTextAsync("待响应");

        using var manager = ConsoleUnderTest.Tickets.Client();
        using var acknowledged = await manager.PostAsync($"api/tickets/{number}/acknowledge", null);
        Assert.That(acknowledged.StatusCode, Is.EqualTo(HttpStatusCode.OK), await acknowledged.Content.ReadAsStringAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "确认响应" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync($"工单 {number} 已由 e2e manager 响应。");
        Assert.That(await page.Locator(".ticket-facts .ticket-status").TextContentAsync(), Is.EqualTo("已响应"), "the page shows the ticket as it now is");
        await browser.AssertWellBehavedAsync();
    }

    private static string Shanghai(DateTimeOffset time) =>
        time.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The response clock starts when the ticket is reported.</summary>
    private static DateTimeOffset ReportedAt(JsonElement clocks) =>
        clocks.EnumerateArray().Single(c => c.GetProperty("clock").GetString() == "response").GetProperty("startedAt").GetDateTimeOffset();

    private static async Task<string> ReportAsync(HttpClient desk, string title)
    {
        return await Apis.ReportAsync(desk, new
        {
            channel = "phone",
            kind = "fault",
            severity = "general",
            siteCode = "OTQ",
            system = "其他",
            title,
            reporter = new { name = "张女士", phone = "13800001111" },
        });
    }
}
