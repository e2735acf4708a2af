using System.Net;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>A console whose APIs are down tells people so in Chinese, on the form or on a status page, never with an empty 500.</summary>
public sealed class UnavailableApiTests
{
    [Test]
    public async Task SignIn_WithTheTicketsServiceDown_SaysSoOnTheForm()
    {
        await using var console = await ConsoleUnderTest.StartConsoleAsync("console-tickets-down", ConsoleUnderTest.Unreachable, ConsoleUnderTest.SlaTimer.BaseAddress, ConsoleUnderTest.Scoring.BaseAddress, "sla-timer", "scoring");
        await using var context = await OpenAsync(console);
        var page = await context.NewPageAsync();

        await page.GotoAsync("login");
        await page.GetByLabel("用户名").FillAsync("engineer");
        await page.GetByLabel("密码").FillAsync(ConsoleUnderTest.Passwords["engineer"]);
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync(), r => r.Request.Method == "POST");

        Assert.That(answer.Status, Is.EqualTo(200));
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/login"));
        Assert.That(await page.GetByRole(AriaRole.Alert).TextContentAsync(), Is.EqualTo("服务暂时不可用，请稍后再试。"));
        Assert.That(await page.Locator("nav.menu").CountAsync(), Is.Zero);
    }

    [Test]
    public async Task AnApiDown_EndsOnAChineseStatusPage_WithALinkHome()
    {
        await using var console = await ConsoleUnderTest.StartConsoleAsync("console-sla-timer-down", ConsoleUnderTest.Tickets.BaseAddress, ConsoleUnderTest.Unreachable, ConsoleUnderTest.Scoring.BaseAddress, "tickets", "scoring");
        await using var context = await OpenAsync(console);
        var page = await context.NewPageAsync();
        await BrowserSession.SignInAsAsync(page, "engineer");
        await Assertions.Expect(page.Locator("nav.menu")).ToBeVisibleAsync();

        var queue = await page.GotoAsync("queue"); // the queue asks the sla-timer for its clocks

        Assert.That(queue!.Status, Is.EqualTo((int)HttpStatusCode.InternalServerError));
        Assert.That(await page.Locator(".status").TextContentAsync(), Does.Contain("服务暂时不可用，请稍后再试。"));
        Assert.That(await page.Locator("html").GetAttributeAsync("lang"), Is.EqualTo("zh-CN"));
        await page.GetByRole(AriaRole.Link, new() { Name = "返回首页" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"你好，{ConsoleUnderTest.DisplayNames["engineer"]}");
    }

    private static Task<IBrowserContext> OpenAsync(ServiceProcess console) =>
        ConsoleUnderTest.Browser.NewContextAsync(new() { BaseURL = console.BaseAddress.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai" });
}
