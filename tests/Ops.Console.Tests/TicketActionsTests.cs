using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>The ticket page's changes beyond acknowledging and resolving: reopen, severity, pause, and who is offered which.</summary>
public sealed class TicketActionsTests
{
    private static readonly string[] Changes = ["确认响应", "修复完成", "重新打开", "调整级别", "申请暂停", "批准", "驳回", "恢复计时"];

    [Test]
    public async Task Reopen_OfAResolvedFault_AsksForAReason_ShowsItOnTheTimeline_AndTheRepairClockRunsAgain()
    {
        using var manager = ConsoleUnderTest.Tickets.Client();
        var number = await ReportFaultAsync(manager, "综合一窗受理平台无法出件");
        await ResolveAsync(manager, number);
        using var timer = ConsoleUnderTest.SlaTimer.Client();
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "repair") == "met", TimeSpan.FromSeconds(15));

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("engineer");
        var page = browser.Page;
        await page.GotoAsync($"tickets/{number}");
        await Assertions.Expect(page.Locator(".ticket-facts .ticket-status")).ToHaveTextAsync("已解决");
        Assert.That(await OfferedAsync(page), Is.EqualTo(new[] { "重新打开" }), "a resolved fault is only reopened");

        var reopen = await OpenAsync(page, "重新打开");
        await reopen.GetByRole(AriaRole.Button, new() { Name = "确认重新打开" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync("“原因”为必填项。");
        Assert.That(await page.Locator(".ticket-facts .ticket-status").TextContentAsync(), Is.EqualTo("已解决"), "a refusal changes nothing");
        Assert.That(await page.Locator("details.reopen").GetAttributeAsync("open"), Is.Not.Null, "the refused form stays open under its button");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("ticket-actions-engineer-375");

        await page.GetByLabel("重新打开的原因").FillAsync("群众反馈仍无法出件");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认重新打开" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ticket-facts .ticket-status")).ToHaveTextAsync("已响应");
        Assert.That(await page.Locator(".error").CountAsync(), Is.Zero);
        Assert.That(await page.Locator(".timeline tbody tr").Last.TextContentAsync(), Does.Contain("重新打开").And.Contain("李工").And.Contain("群众反馈仍无法出件"));
        Assert.That(await OfferedAsync(page), Is.EqualTo(new[] { "修复完成", "调整级别" }), "a reopened general fault is resolved again, or raised");

        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "repair") == "running", TimeSpan.FromSeconds(15));
        await page.ReloadAsync();
        Assert.That(await page.Locator(".clock.repair .state").TextContentAsync(), Is.EqualTo("计时中"), "the repair clock runs again");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Reopen_ShowsTheApisConflictInChinese_WhenSomeoneElseReopenedItFirst()
    {
        using var manager = ConsoleUnderTest.Tickets.Client();
        var number = await ReportFaultAsync(manager, "好差评系统评价提交失败");
        await ResolveAsync(manager, number);

        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("engineer");
        var page = browser.Page;
        await page.GotoAsync($"tickets/{number}");
        var reopen = await OpenAsync(page, "重新打开");
        await reopen.GetByLabel("重新打开的原因").FillAsync("回访时用户反映仍有问题");

        using var reopened = await manager.PostAsJsonAsync($"api/tickets/{number}/reopen", new { reason = "复查未通过" });
        Assert.That(reopened.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reopened.Content.ReadAsStringAsync());

        await reopen.GetByRole(AriaRole.Button, new() { Name = "确认重新打开" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync($"工单 {number} 已响应：只有已解决的工单可以重开。");
        Assert.That(await page.Locator(".ticket-facts .ticket-status").TextContentAsync(), Is.EqualTo("已响应"), "the page shows the ticket as it now is");
        Assert.That(await OfferedAsync(page), Does.Not.Contain("重新打开"));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Severity_AnEngineerRaisesIt_AndOnlyAManagerLowersIt_TheRepairDeadlineFollows()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var number = await ReportFaultAsync(desk, "政务数据协同审批管理平台审批流转卡住");
        using var timer = ConsoleUnderTest.SlaTimer.Client();
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "repair") == "running", TimeSpan.FromSeconds(15));
        var reportedAt = (await Apis.ClockAsync(timer, number, "repair")).GetProperty("startedAt").GetDateTimeOffset();

        await using (var engineer = await BrowserSession.OpenAsync(1280, 800))
        {
            await engineer.SignInAsAsync("engineer");
            var page = engineer.Page;
            await page.GotoAsync($"tickets/{number}");
            Assert.That(await OfferedAsync(page), Is.EqualTo(new[] { "确认响应", "修复完成", "调整级别" }), "a fault's contract allows no pause");

            var change = await OpenAsync(page, "调整级别");
            Assert.That(await change.Locator(".hint").TextContentAsync(), Does.StartWith("一般故障 → 严重故障"));
            await change.GetByLabel("调整的原因").FillAsync("影响全旗审批，升级为严重故障");
            await change.GetByRole(AriaRole.Button, new() { Name = "确认调整级别" }).ClickAsync();
            await Assertions.Expect(page.Locator(".ticket-facts .kind")).ToHaveTextAsync("严重故障");
            Assert.That(await page.Locator(".timeline tbody tr").Last.TextContentAsync(),
                Does.Contain("调整严重程度").And.Contain("李工").And.Contain("一般故障 → 严重故障：影响全旗审批，升级为严重故障"));
            Assert.That(await OfferedAsync(page), Does.Not.Contain("调整级别"), "lowering gives the contractor more time: not an engineer's change");
            await Eventually.HoldsAsync(async () => await Apis.DeadlineAsync(timer, number, "repair") == reportedAt.AddHours(4), TimeSpan.FromSeconds(15));
            await engineer.AssertWellBehavedAsync();
        }

        await using var browser = await BrowserSession.OpenAsync(1280, 800);
        await browser.SignInAsAsync("manager");
        var managerPage = browser.Page;
        await managerPage.GotoAsync($"tickets/{number}");
        var lower = await OpenAsync(managerPage, "调整级别");
        Assert.That(await lower.Locator(".hint").TextContentAsync(), Does.StartWith("严重故障 → 一般故障"));
        await lower.GetByLabel("调整的原因").FillAsync("仅影响单个窗口");
        await lower.GetByRole(AriaRole.Button, new() { Name = "确认调整级别" }).ClickAsync();
        await Assertions.Expect(managerPage.Locator(".ticket-facts .kind")).ToHaveTextAsync("一般故障");
        await Eventually.HoldsAsync(async () => await Apis.DeadlineAsync(timer, number, "repair") == reportedAt.AddHours(24), TimeSpan.FromSeconds(15));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Pause_OfAServiceRequest_AnEngineerAsks_AManagerApproves_TheClockStandsStill_AndResumes()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var number = await ReportRequestAsync(desk, "为新入驻单位开通综窗账号");
        using var timer = ConsoleUnderTest.SlaTimer.Client();
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "completion") == "running", TimeSpan.FromSeconds(15));

        await using (var engineer = await BrowserSession.OpenAsync(1280, 800))
        {
            await engineer.SignInAsAsync("engineer");
            var page = engineer.Page;
            await page.GotoAsync($"tickets/{number}");
            Assert.That(await OfferedAsync(page), Is.EqualTo(new[] { "确认响应", "修复完成", "申请暂停" }), "a request has a grade, no severity");

            var pause = await OpenAsync(page, "申请暂停");
            var reasons = await pause.Locator("label.choice").AllTextContentsAsync();
            Assert.That(reasons.Select(r => r.Trim()), Is.EqualTo(new[] { "等待用户提供材料", "等待第三方厂商", "用户要求暂缓办理" }), "the contract's reasons, as a choice");
            await pause.GetByLabel("等待第三方厂商").CheckAsync();
            await engineer.ScreenshotAsync("ticket-actions-engineer-1280");
            await pause.GetByRole(AriaRole.Button, new() { Name = "提交暂停申请" }).ClickAsync();
            await Assertions.Expect(page.Locator(".ticket-facts .pause")).ToContainTextAsync("李工 申请，待经理批准");
            Assert.That(await page.Locator(".ticket-facts .pause").TextContentAsync(), Does.Contain("等待第三方厂商"));
            Assert.That(await page.Locator(".timeline tbody tr").Last.TextContentAsync(), Does.Contain("申请暂停").And.Contain("等待第三方厂商"));
            Assert.That(await OfferedAsync(page), Is.EqualTo(new[] { "确认响应", "修复完成" }), "an engineer neither approves nor declines, and asks once");
            await engineer.AssertWellBehavedAsync();
        }

        Assert.That(await Apis.StateAsync(timer, number, "completion"), Is.EqualTo("running"), "an engineer's request alone stops no clock");

        await using var browser = await BrowserSession.OpenAsync(1280, 800);
        await browser.SignInAsAsync("manager");
        var managerPage = browser.Page;
        await managerPage.GotoAsync($"tickets/{number}");
        Assert.That(await OfferedAsync(managerPage), Is.EqualTo(new[] { "确认响应", "批准", "修复完成", "驳回" }));
        await OpenAsync(managerPage, "驳回");
        await browser.ScreenshotAsync("ticket-actions-manager-1280");
        await managerPage.GetByRole(AriaRole.Button, new() { Name = "批准", Exact = true }).ClickAsync();
        await Assertions.Expect(managerPage.Locator(".ticket-facts .pause")).ToContainTextAsync("起暂停计时");
        Assert.That(await managerPage.Locator(".timeline tbody tr").Last.TextContentAsync(), Does.Contain("批准暂停").And.Contain("王经理"));
        Assert.That(await OfferedAsync(managerPage), Is.EqualTo(new[] { "确认响应", "恢复计时", "修复完成" }));
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "completion") == "paused", TimeSpan.FromSeconds(15));
        await managerPage.ReloadAsync();
        Assert.That(await managerPage.Locator(".clock.completion .state").TextContentAsync(), Is.EqualTo("已暂停"));

        await managerPage.GetByRole(AriaRole.Button, new() { Name = "恢复计时" }).ClickAsync();
        await Assertions.Expect(managerPage.Locator(".ticket-facts .pause")).ToHaveCountAsync(0);
        Assert.That(await managerPage.Locator(".timeline tbody tr").Last.TextContentAsync(), Does.Contain("恢复计时").And.Contain("王经理"));
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "completion") == "running", TimeSpan.FromSeconds(15));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Pause_AManagerDeclinesIt_WithAReason_AndTheClockNeverStood()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var number = await ReportRequestAsync(desk, "申请调整事项清单排序");
        using var engineer = ConsoleUnderTest.Tickets.Anonymous().As("engineer", "李工");
        using var asked = await engineer.PostAsJsonAsync($"api/tickets/{number}/pause", new { reason = "等待用户提供材料" });
        Assert.That(asked.StatusCode, Is.EqualTo(HttpStatusCode.OK), await asked.Content.ReadAsStringAsync());

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("manager");
        var page = browser.Page;
        await page.GotoAsync($"tickets/{number}");
        var decline = await OpenAsync(page, "驳回");
        await decline.GetByRole(AriaRole.Button, new() { Name = "确认驳回" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync("“原因”为必填项。");
        Assert.That(await page.Locator(".ticket-facts .pause").TextContentAsync(), Does.Contain("待经理批准"), "a refusal changes nothing");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("ticket-actions-manager-375");

        await page.GetByLabel("驳回的原因").FillAsync("材料已齐全，应继续办理");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认驳回" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ticket-facts .pause")).ToHaveCountAsync(0);
        Assert.That(await page.Locator(".timeline tbody tr").Last.TextContentAsync(), Does.Contain("驳回暂停").And.Contain("王经理").And.Contain("材料已齐全，应继续办理"));
        Assert.That(await OfferedAsync(page), Is.EqualTo(new[] { "确认响应", "修复完成", "申请暂停" }), "a declined pause may be asked again");
        using var timer = ConsoleUnderTest.SlaTimer.Client();
        Assert.That(await Apis.StateAsync(timer, number, "completion"), Is.EqualTo("running"));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Auditor_ReadsATicket_WithNoButtonThatChangesIt_AndTheReportersPhoneMasked()
    {
        using var manager = ConsoleUnderTest.Tickets.Client();
        var resolved = await ReportFaultAsync(manager, "电子监察系统告警推送延迟");
        await ResolveAsync(manager, resolved);
        var request = await ReportRequestAsync(manager, "为好差评系统增加评价渠道");
        using var engineer = ConsoleUnderTest.Tickets.Anonymous().As("engineer", "李工");
        using var asked = await engineer.PostAsJsonAsync($"api/tickets/{request}/pause", new { reason = "等待第三方厂商" });
        Assert.That(asked.StatusCode, Is.EqualTo(HttpStatusCode.OK), await asked.Content.ReadAsStringAsync());

        await using var browser = await BrowserSession.OpenAsync(1280, 800);
        await browser.SignInAsAsync("auditor");
        var page = browser.Page;
        foreach (var number in new[] { resolved, request })
        {
            await page.GotoAsync($"tickets/{number}");
            await Assertions.Expect(page.Locator(".ticket-facts .number")).ToHaveTextAsync(number);
            Assert.That(await page.Locator(".actions").CountAsync(), Is.Zero, number);
            Assert.That(await page.Locator("main form").CountAsync(), Is.Zero, number);
            Assert.That(await page.Locator(".ticket-facts .phone").TextContentAsync(), Is.EqualTo("138****1111"), "an auditor does not call back");
            Assert.That(await page.Locator(".ticket-facts a.phone").CountAsync(), Is.Zero);
        }

        Assert.That(await page.Locator(".ticket-facts .pause").TextContentAsync(), Does.Contain("待经理批准"), "the auditor sees the pause waiting");
        await browser.ScreenshotAsync("ticket-auditor-1280");
        await browser.AssertWellBehavedAsync();
    }

    /// <summary>The changes the page offers, in the page's order: buttons and the summaries of the forms that ask for more.</summary>
    private static async Task<string[]> OfferedAsync(IPage page)
    {
        var texts = await page.Locator(".actions button, .actions summary").AllTextContentsAsync();
        return [.. texts.Select(t => t.Trim()).Where(Changes.Contains)];
    }

    /// <summary>Opens the form of an action that asks for more (its reason) under its button.</summary>
    private static async Task<ILocator> OpenAsync(IPage page, string action)
    {
        var details = page.Locator("details.act", new() { Has = page.Locator("summary", new() { HasTextString = action }) });
        await details.Locator("summary").ClickAsync();
        await Assertions.Expect(details.Locator("form")).ToBeVisibleAsync();
        return details;
    }

    private static async Task ResolveAsync(HttpClient manager, string number)
    {
        using var resolved = await manager.PostAsJsonAsync($"api/tickets/{number}/resolve", new { resolution = "重启服务后恢复" });
        Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resolved.Content.ReadAsStringAsync());
    }

    private static Task<string> ReportFaultAsync(HttpClient desk, string title) => Apis.ReportAsync(desk, new
    {
        channel = "phone",
        kind = "fault",
        severity = "general",
        siteCode = "OTQ",
        system = "其他",
        title,
        reporter = new { name = "张女士", phone = "13800001111" },
    });

    /// <summary>An urgent request: its clocks count the wall clock, so a test needs no working hours.</summary>
    private static Task<string> ReportRequestAsync(HttpClient desk, string title) => Apis.ReportAsync(desk, new
    {
        channel = "phone",
        kind = "request",
        grade = "urgent",
        siteCode = "OTQ",
        system = "其他",
        title,
        reporter = new { name = "张女士", phone = "13800001111" },
    });
}
