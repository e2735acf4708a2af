using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ops.Console.Tests;

/// <summary>The hotline desk form (新建工单): a call becomes a ticket once, however often the form is sent.</summary>
public sealed partial class DeskFormTests
{
    [Test]
    public async Task Operator_FilesASevereFault_SeesItsNumber_AndTheApiHasTheTicketAsTyped()
    {
        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        var page = browser.Page;
        await browser.SignInAsAsync("operator");
        await page.GotoAsync("tickets/new");

        Assert.That(new Uri(page.Url).Query, Does.Match("^\\?key=desk-[0-9a-f]{32}$"), "the form's idempotency key");
        var key = await page.Locator("input[type=hidden][name='Input.IdempotencyKey']").InputValueAsync();
        Assert.That(key, Is.EqualTo(new Uri(page.Url).Query["?key=".Length..]));
        Assert.That(await page.GetByLabel("渠道").InputValueAsync(), Is.EqualTo("phone"), "a call by default");
        Assert.That(await page.GetByLabel("渠道").Locator("option").AllTextContentsAsync(), Is.EqualTo(new[] { "电话", "微信", "网页", "巡检" }));
        Assert.That(await page.GetByRole(AriaRole.Radio, new() { Name = "故障", Exact = true }).IsCheckedAsync(), Is.True);
        Assert.That(await page.Locator(".grade").IsVisibleAsync(), Is.False, "a fault asks for no grade");
        await page.GetByRole(AriaRole.Radio, new() { Name = "严重故障" }).CheckAsync();
        await page.GetByLabel("站点").SelectOptionAsync("SHM");
        await page.GetByLabel("系统").SelectOptionAsync("综合一窗受理平台");
        await page.GetByLabel("标题").FillAsync("上海庙分中心综窗无法出件");
        await page.GetByLabel("描述").FillAsync("窗口打印出件时报错，已重启浏览器仍不行。");
        await page.GetByLabel("来电人").FillAsync("高女士");
        await page.GetByLabel("联系电话").FillAsync("139 0000 2222");
        await browser.ScreenshotAsync("new-ticket-operator-1280");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记工单" }).ClickAsync();

        var created = page.Locator(".filed .created");
        await Assertions.Expect(created).ToHaveTextAsync(TicketNumber());
        var number = (await created.TextContentAsync())!;
        Assert.That(await page.Locator(".filed .lead").TextContentAsync(), Is.EqualTo("工单已登记，编号"));
        Assert.That(await page.Locator(".filed a.created").GetAttributeAsync("href"), Is.EqualTo($"tickets/{number}"), "the desk reads the ticket it filed");
        Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = "再建一张" }).GetAttributeAsync("href"), Is.EqualTo("tickets/new"));
        await browser.ScreenshotAsync("new-ticket-filed-operator-1280");

        using var manager = ConsoleUnderTest.Tickets.Client();
        var ticket = await manager.GetFromJsonAsync<JsonElement>($"api/tickets/{number}");
        Assert.That(ticket.GetProperty("channel").GetString(), Is.EqualTo("phone"));
        Assert.That(ticket.GetProperty("kind").GetString(), Is.EqualTo("fault"));
        Assert.That(ticket.GetProperty("severity").GetString(), Is.EqualTo("severe"));
        Assert.That(ticket.GetProperty("siteCode").GetString(), Is.EqualTo("SHM"));
        Assert.That(ticket.GetProperty("system").GetString(), Is.EqualTo("综合一窗受理平台"));
        Assert.That(ticket.GetProperty("title").GetString(), Is.EqualTo("上海庙分中心综窗无法出件"));
        Assert.That(ticket.GetProperty("description").GetString(), Is.EqualTo("窗口打印出件时报错，已重启浏览器仍不行。"));
        Assert.That(ticket.GetProperty("reporter").GetProperty("name").GetString(), Is.EqualTo("高女士"));
        Assert.That(ticket.GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo("13900002222"));
        Assert.That(ticket.GetProperty("timeline")[0].GetProperty("actor").GetString(), Is.EqualTo(ConsoleUnderTest.DisplayNames["operator"]));

        await page.GetByRole(AriaRole.Link, new() { Name = "再建一张" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("标题")).ToHaveValueAsync("");
        Assert.That(await page.Locator("input[name='Input.IdempotencyKey']").InputValueAsync(), Does.StartWith("desk-").And.Not.EqualTo(key), "a new form, a new key");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task TheSameForm_SentByADoubleClick_OrAgainAfterGoingBack_GivesTheSameNumber_AndOneTicket_ButOtherWordsAreKeptAndFiledAnew()
    {
        var title = $"政务服务网首页打不开 {Guid.NewGuid():N}"[..24];
        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        var page = browser.Page;
        await browser.SignInAsAsync("engineer");
        await page.GotoAsync("tickets/new");
        await FillFaultAsync(page, title);
        var form = await page.EvaluateAsync<Dictionary<string, string>>("Object.fromEntries(new FormData(document.querySelector('section.desk form')))");
        var url = page.Url;

        await page.GetByRole(AriaRole.Button, new() { Name = "登记工单" }).DblClickAsync();
        var created = page.Locator(".filed .created");
        await Assertions.Expect(created).ToHaveTextAsync(TicketNumber());
        var number = (await created.TextContentAsync())!;
        Assert.That(await page.Locator(".filed a.created").GetAttributeAsync("href"), Is.EqualTo($"tickets/{number}"), "an engineer opens the ticket");

        for (var post = 0; post < 2; post++)
        {
            var fields = page.APIRequest.CreateFormData();
            foreach (var (name, value) in form)
            {
                fields.Set(name, value);
            }

            var again = await page.APIRequest.PostAsync(url, new() { Form = fields });
            Assert.That(again.Status, Is.EqualTo(200));
            Assert.That(WebUtility.HtmlDecode(await again.TextAsync()), Does.Contain($">{number}</a>").And.Contain("这张表单已经登记过"), "the same form posted again");
        }

        await page.GoBackAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "登记工单" })).ToBeVisibleAsync();
        await FillFaultAsync(page, title);
        await page.GetByRole(AriaRole.Button, new() { Name = "登记工单" }).ClickAsync();
        await Assertions.Expect(created).ToHaveTextAsync(number);
        Assert.That(await page.Locator(".filed .lead").TextContentAsync(), Is.EqualTo("这张表单已经登记过，工单编号"));

        Assert.That(await CountTitledAsync(title), Is.EqualTo(1), "one call, one ticket");

        // The next caller typed into the form gone back to: refused under the old key, kept, and filed when sent again.
        var next = title + "（下一位）";
        await page.GoBackAsync();
        await FillFaultAsync(page, next);
        await page.GetByRole(AriaRole.Button, new() { Name = "登记工单" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"这张表单已登记为工单 {number}");
        Assert.That(await page.Locator(".filed").CountAsync(), Is.Zero, "not shown as filed");
        Assert.That(await page.GetByLabel("标题").InputValueAsync(), Is.EqualTo(next), "what was typed is kept");
        Assert.That(await page.GetByLabel("来电人").InputValueAsync(), Is.EqualTo("高女士"));
        Assert.That(await CountTitledAsync(next), Is.Zero, "refused, so not stored");
        await browser.ScreenshotAsync("new-ticket-key-used-engineer-1280");

        await page.GetByRole(AriaRole.Button, new() { Name = "登记工单" }).ClickAsync();
        await Assertions.Expect(created).ToHaveTextAsync(TicketNumber());
        Assert.That(await created.TextContentAsync(), Is.Not.EqualTo(number), "a second ticket");
        Assert.That(await page.Locator(".filed .lead").TextContentAsync(), Is.EqualTo("工单已登记，编号"));
        Assert.That(await CountTitledAsync(next), Is.EqualTo(1), "the next caller's report is stored");
        Assert.That(await CountTitledAsync(title), Is.EqualTo(1));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task AMissingTitleAndABadPhone_AreShownInChineseByTheirFields_KeepWhatWasTyped_AndFileNothing()
    {
        await using var browser = await BrowserSession.OpenAsync(375, 740);
        var page = browser.Page;
        await browser.SignInAsAsync("operator");
        await page.GotoAsync("tickets/new");
        var before = await TotalAsync();
        await FillFaultAsync(page, title: "");
        await page.GetByLabel("联系电话").FillAsync("12345");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记工单" }).ClickAsync();

        var titleError = page.Locator("label", new() { HasText = "标题" }).Locator(".validation-message");
        await Assertions.Expect(titleError).ToHaveTextAsync("“标题”为必填项。");
        Assert.That(await page.Locator("label", new() { HasText = "联系电话" }).Locator(".validation-message").TextContentAsync(),
            Is.EqualTo("“联系电话”须为中国大陆手机号（以 1 开头的 11 位数字）或固定电话（0 + 区号 + 号码）。"));
        Assert.That(await page.GetByRole(AriaRole.Alert).TextContentAsync(), Is.EqualTo("工单未登记，请按各项旁的说明更正后再提交。"));
        Assert.That(await page.GetByLabel("联系电话").InputValueAsync(), Is.EqualTo("12345"), "what was typed is kept");
        Assert.That(await page.GetByLabel("来电人").InputValueAsync(), Is.EqualTo("高女士"));
        Assert.That(await page.GetByLabel("系统").InputValueAsync(), Is.EqualTo("政务服务网"));
        Assert.That(await page.GetByRole(AriaRole.Radio, new() { Name = "一般故障" }).IsCheckedAsync(), Is.True);
        Assert.That(await page.Locator(".filed").CountAsync(), Is.Zero);
        Assert.That(await TotalAsync(), Is.EqualTo(before), "a refused form files nothing");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("new-ticket-operator-375");

        await page.GetByLabel("标题").FillAsync("好差评系统评价提交失败");
        await page.GetByLabel("联系电话").FillAsync("0477-1234567");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记工单" }).ClickAsync();
        await Assertions.Expect(page.Locator(".filed .created")).ToHaveTextAsync(TicketNumber());
        Assert.That(await TotalAsync(), Is.EqualTo(before + 1));
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("new-ticket-filed-operator-375");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task AServiceRequest_IsFiledWithItsGrade_AndNoSeverity()
    {
        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        var page = browser.Page;
        await browser.SignInAsAsync("manager");
        await page.GotoAsync($"tickets/new?contract={ConsoleUnderTest.FirstContract}"); // a manager sees both contracts: the desk asks which first
        await FillFaultAsync(page, "新入职窗口人员开通综窗账号");
        await page.GetByLabel("渠道").SelectOptionAsync("wechat");
        await page.GetByRole(AriaRole.Radio, new() { Name = "服务请求" }).CheckAsync();
        Assert.That(await page.Locator(".severity").IsVisibleAsync(), Is.False, "a request asks for no severity");
        Assert.That((await page.Locator(".grade label.choice").AllInnerTextsAsync()).Select(t => t.Trim()), Is.EqualTo(new[] { "紧急", "一般", "低" }));
        await page.GetByRole(AriaRole.Radio, new() { Name = "紧急" }).CheckAsync();
        await browser.ScreenshotAsync("new-ticket-request-manager-1280");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记工单" }).ClickAsync();

        await Assertions.Expect(page.Locator(".filed .created")).ToHaveTextAsync(new Regex(@"^[A-Z]\d{8}-\d{4}$"));
        var number = (await page.Locator(".filed .created").TextContentAsync())!;
        using var manager = ConsoleUnderTest.Tickets.Client();
        var ticket = await manager.GetFromJsonAsync<JsonElement>($"api/tickets/{number}");
        Assert.That(ticket.GetProperty("kind").GetString(), Is.EqualTo("request"));
        Assert.That(ticket.GetProperty("grade").GetString(), Is.EqualTo("urgent"));
        Assert.That(ticket.GetProperty("severity").ValueKind, Is.EqualTo(JsonValueKind.Null), "the severity chosen before the kind changed is not sent");
        Assert.That(ticket.GetProperty("channel").GetString(), Is.EqualTo("wechat"));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task TheOperatorsMenu_HasNewTicket_ButNotTheQueue_AndTheTicketPageHasNoActions()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var number = await Apis.ReportAsync(desk, new
        {
            channel = "phone", kind = "fault", severity = "general", siteCode = "OTQ", system = "其他", title = "电子监察页面空白",
            reporter = new { name = "张女士", phone = "13800001111" },
        });
        await using var browser = await BrowserSession.OpenAsync(375, 740);
        var page = browser.Page;
        await browser.SignInAsAsync("operator");

        Assert.That(await page.Locator("nav.menu a").AllTextContentsAsync(), Is.EqualTo(new[] { "新建工单" }));
        Assert.That(await page.Locator(".who .role").TextContentAsync(), Is.EqualTo("接线员"));
        var queue = await page.GotoAsync("queue");
        Assert.That(queue!.Status, Is.EqualTo(403));
        var ticket = await page.GotoAsync($"tickets/{number}");
        Assert.That(ticket!.Status, Is.EqualTo(200));
        Assert.That(await page.Locator("h1").TextContentAsync(), Is.EqualTo("电子监察页面空白"));
        Assert.That(await page.GetByRole(AriaRole.Button).AllTextContentsAsync(), Is.EqualTo(new[] { "退出登录" }), "reads, changes nothing");
        Assert.That(await page.Locator(".reporter .phone").TextContentAsync(), Is.EqualTo("138****1111"), "the desk does not call back");
        Assert.That(await page.Locator(".reporter a[href^='tel:']").CountAsync(), Is.Zero);
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task TheOperator_OpensTheTicketFromTheResultLink_ReadOnly_WithThePhoneMasked()
    {
        await using var browser = await BrowserSession.OpenAsync(375, 740);
        var page = browser.Page;
        await browser.SignInAsAsync("operator");
        await page.GotoAsync("tickets/new");
        await FillFaultAsync(page, "综窗排号机不出号");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记工单" }).ClickAsync();
        var created = page.Locator(".filed a.created");
        await Assertions.Expect(created).ToHaveTextAsync(TicketNumber());
        var number = (await created.TextContentAsync())!;

        await created.ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("综窗排号机不出号");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo($"/tickets/{number}"));
        Assert.That(await page.Locator(".ticket-facts .number").TextContentAsync(), Is.EqualTo(number));
        Assert.That(await page.Locator("section.actions").CountAsync(), Is.Zero, "no action for the desk");
        Assert.That(await page.GetByRole(AriaRole.Button).AllTextContentsAsync(), Is.EqualTo(new[] { "退出登录" }));
        Assert.That(await page.Locator(".reporter .phone").TextContentAsync(), Is.EqualTo("139****2222"));
        Assert.That(await page.Locator(".reporter a[href^='tel:']").CountAsync(), Is.Zero);
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("ticket-operator-375");
        await browser.AssertWellBehavedAsync();
    }

    /// <summary>A general fault at OTQ on 政务服务网, as a caller gives it.</summary>
    private static async Task FillFaultAsync(IPage page, string title)
    {
        await page.GetByRole(AriaRole.Radio, new() { Name = "一般故障" }).CheckAsync();
        await page.GetByLabel("站点").SelectOptionAsync("OTQ");
        await page.GetByLabel("系统").SelectOptionAsync("政务服务网");
        await page.GetByLabel("标题").FillAsync(title);
        await page.GetByLabel("描述").FillAsync("");
        await page.GetByLabel("来电人").FillAsync("高女士");
        await page.GetByLabel("联系电话").FillAsync("13900002222");
    }

    private static async Task<long> TotalAsync()
    {
        using var manager = ConsoleUnderTest.Tickets.Client();
        return (await manager.GetFromJsonAsync<JsonElement>("api/tickets?limit=1")).GetProperty("total").GetInt64();
    }

    private static async Task<int> CountTitledAsync(string title)
    {
        using var manager = ConsoleUnderTest.Tickets.Client();
        var page = await manager.GetFromJsonAsync<JsonElement>("api/tickets?limit=200");
        return page.GetProperty("items").EnumerateArray().Count(t => t.GetProperty("title").GetString() == title);
    }

    [GeneratedRegex(@"^F\d{8}-\d{4}$")]
    private static partial Regex TicketNumber();
}
