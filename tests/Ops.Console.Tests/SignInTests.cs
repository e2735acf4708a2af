using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

public sealed class SignInTests
{
    [TestCase("operator", new[] { "新建工单" })]
    [TestCase("engineer", new[] { "我的工单", "新建工单", "通知记录", "值班表" })]
    [TestCase("manager", new[] { "新建工单", "SLA 看板", "考核", "报表", "通知记录", "值班表", "证据校验" })]
    [TestCase("auditor", new[] { "SLA 看板", "考核", "报表", "通知记录", "值班表", "证据校验" })]
    [TestCase("admin", new[] { "系统管理" })]
    public async Task EachRole_SignsIn_AndSeesTheMenuOfItsRole(string role, string[] menu)
    {
        await using var browser = await BrowserSession.OpenAsync();

        await browser.SignInThroughTheFormAsAsync(role);

        var page = browser.Page;
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/"));
        Assert.That(await page.Locator("h1").TextContentAsync(), Is.EqualTo($"你好，{ConsoleUnderTest.DisplayNames[role]}"));
        Assert.That(await page.Locator("nav.menu a").AllTextContentsAsync(), Is.EqualTo(menu));
        Assert.That(await page.Locator("html").GetAttributeAsync("lang"), Is.EqualTo("zh-CN"));
        await browser.ScreenshotAsync($"home-{role}");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task WrongPassword_ShowsOnlyAChineseMessage_AndSignsNobodyIn()
    {
        await using var browser = await BrowserSession.OpenAsync(375, 700);

        await browser.SignInAsync("engineer", "not the password at all");

        var page = browser.Page;
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/login"));
        Assert.That(await page.GetByRole(AriaRole.Alert).TextContentAsync(), Is.EqualTo("用户名或密码错误"));
        Assert.That(await page.Locator("nav.menu").CountAsync(), Is.Zero);
        await browser.ScreenshotAsync("login-refused");
        await page.GotoAsync("");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/login"), "the home page asks for sign-in");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task SignOut_EndsTheSession()
    {
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInThroughTheFormAsAsync("admin");
        var page = browser.Page;
        Assert.That(await page.Locator("nav.menu a").AllTextContentsAsync(), Is.EqualTo(new[] { "系统管理" }));
        await page.Locator("nav.menu").GetByRole(AriaRole.Link, new() { Name = "系统管理" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("系统管理");
        await Assertions.Expect(page.Locator("table.list")).ToContainTextAsync("赵审计");
        await browser.ScreenshotAsync("admin-users");
        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "ops.session");
        Assert.That(session.HttpOnly, Is.True);
        Assert.That(session.SameSite, Is.EqualTo(SameSiteAttribute.Strict));
        Assert.That(session.Expires, Is.EqualTo(-1), "a browser-session cookie; the ticket inside ends after the shift");

        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GotoAsync("admin");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/login"), "a signed-out person is asked to sign in again");
        Assert.That((await page.Context.CookiesAsync()).Select(c => c.Name), Has.None.EqualTo("ops.session"));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Auditor_OnTheAdministrationPage_GetsTheChinese403Page()
    {
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("auditor");

        var response = await browser.Page.GotoAsync("admin");

        Assert.That(response!.Status, Is.EqualTo(403));
        Assert.That(await browser.Page.Locator("h1").TextContentAsync(), Is.EqualTo("无权访问"));
        Assert.That(await browser.Page.Locator("table.list").CountAsync(), Is.Zero);
        await browser.ScreenshotAsync("forbidden");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task UnknownPage_GetsTheChinese404Page()
    {
        await using var browser = await BrowserSession.OpenAsync();

        var response = await browser.Page.GotoAsync("no-such-page");

        Assert.That(response!.Status, Is.EqualTo(404));
        Assert.That(await browser.Page.Locator("h1").TextContentAsync(), Is.EqualTo("页面不存在"));
        await browser.ScreenshotAsync("not-found");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task ATokenTheApiRefuses_EndsTheSession_AndAsksForSignInAgain()
    {
        using var admin = ConsoleUnderTest.Tickets.Anonymous().As("admin", "console tests admin");
        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        var created = await admin.PostAsJsonAsync("api/admin/users", new { username = "engineer.leaving", displayName = "离职工程师", role = "engineer", password });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsync("engineer.leaving", password, "login?ReturnUrl=%2Fqueue");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("我的工单");

        Assert.That((await admin.DeleteAsync("api/admin/users/engineer.leaving")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        // The services learn of the disabled user within seconds; until then the queue still opens.
        await Eventually.HoldsAsync(async () =>
        {
            await page.GotoAsync("queue");
            return new Uri(page.Url).AbsolutePath == "/login";
        }, TimeSpan.FromSeconds(30));
        Assert.That(new Uri(page.Url).Query, Is.EqualTo("?ReturnUrl=%2Fqueue"));
        Assert.That((await page.Context.CookiesAsync()).Select(c => c.Name), Has.None.EqualTo("ops.session"));
        await browser.AssertWellBehavedAsync();
    }
}
