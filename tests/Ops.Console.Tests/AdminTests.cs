using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Ops.Console.Components.Layout;
using Ops.Testing;

namespace Ops.Console.Tests;

public sealed class AdminTests
{
    [Test]
    public async Task ApiKey_IsShownOnce_FilesAReport_IsListedWithoutIt_AndOnceRevokedIsRefused()
    {
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("admin");
        var page = browser.Page;
        await page.GotoAsync("admin/keys");
        await browser.ScreenshotAsync("admin-keys-admin-1280");
        await page.GetByRole(AriaRole.Link, new() { Name = "新建 API 密钥" }).ClickAsync();
        await Assertions.Expect(page.Locator("h2")).ToHaveTextAsync("新建 API 密钥");
        Assert.That(await page.Locator("select option").AllTextContentsAsync(), Does.Contain("接入网关").And.Contain("管理员"), "the roles in Chinese");

        var name = $"热线网关 {Guid.NewGuid():N}"[..12];
        await page.GetByLabel("名称").FillAsync(name);
        await page.GetByLabel("角色").SelectOptionAsync(new SelectOptionValue { Label = "接入网关" });
        await page.GetByLabel("合同").FillAsync("OTQ-2026-OPS");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建密钥" }).ClickAsync();

        await Assertions.Expect(page.Locator("h2")).ToHaveTextAsync("API 密钥已创建");
        var secret = (await page.Locator(".secret.key").TextContentAsync())!;
        Assert.That(secret, Does.StartWith("ops_").And.Length.GreaterThan(30));
        Assert.That(await page.GetByRole(AriaRole.Alert).TextContentAsync(), Does.StartWith("密钥只显示这一次"));
        var shown = browser.Documents.Last();
        Assert.That(shown.Request.Method, Is.EqualTo("POST"), "the key is in the answer to the form, never in an address");
        Assert.That((await shown.AllHeadersAsync()).GetValueOrDefault("cache-control"), Does.Contain("no-store"));
        await browser.ScreenshotAsync("admin-key-created-admin-1280");

        using var gateway = ConsoleUnderTest.Tickets.Anonymous();
        gateway.DefaultRequestHeaders.Add("X-Api-Key", secret);
        var number = await Apis.ReportAsync(gateway, Report("网关报修：政务服务网无法登录"));
        Assert.That(number, Is.Not.Empty);

        await page.GetByRole(AriaRole.Link, new() { Name = "返回密钥列表" }).ClickAsync();
        var row = page.Locator("tr.key", new() { Has = page.Locator("td.name", new() { HasTextString = name }) });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.That(await row.Locator("td").Nth(1).TextContentAsync(), Is.EqualTo("接入网关"));
        Assert.That(await row.Locator("td").Nth(2).TextContentAsync(), Is.EqualTo("OTQ-2026-OPS"));
        Assert.That(await row.Locator(".state").TextContentAsync(), Is.EqualTo("有效"));
        Assert.That(await page.ContentAsync(), Does.Not.Contain(secret), "the list never shows a key");
        await page.GotoAsync("admin/keys/new");
        Assert.That(await page.ContentAsync(), Does.Not.Contain(secret), "nor does the form, asked again");

        await page.GotoAsync("admin/keys");
        await row.GetByRole(AriaRole.Link, new() { Name = "吊销" }).ClickAsync();
        await Assertions.Expect(page.Locator("h2")).ToHaveTextAsync("吊销 API 密钥");
        Assert.That(await page.Locator(".confirm .name").TextContentAsync(), Is.EqualTo(name));
        await browser.ScreenshotAsync("admin-key-revoke-admin-1280");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认吊销" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, "admin/keys").ToString());
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("已吊销");
        Assert.That(await row.GetByRole(AriaRole.Link, new() { Name = "吊销" }).CountAsync(), Is.Zero);
        await Eventually.HoldsAsync(async () =>
        {
            using var refused = await gateway.PostAsJsonAsync("api/tickets", Report("吊销后的报修"));
            return refused.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(30));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task ApiKeyForm_PostedAgain_ByARefresh_CreatesNoSecondKey_AndSaysTheKeyIsNotShownAgain()
    {
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("admin");
        var page = browser.Page;
        await page.GotoAsync("admin/keys/new");
        var name = $"刷新 {Guid.NewGuid():N}"[..12];
        await page.GetByLabel("名称").FillAsync(name);
        var form = page.Locator("form.admin-form");
        var fields = await AssessmentTests.FieldsAsync(form);
        var url = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = "创建密钥" }).ClickAsync();
        await Assertions.Expect(page.Locator("h2")).ToHaveTextAsync("API 密钥已创建");
        var secret = (await page.Locator(".secret.key").TextContentAsync())!;

        // What a refresh of the answer sends: the same form again.
        var again = await AssessmentTests.PostAsync(page, url, fields);
        var body = WebUtility.HtmlDecode(await again.TextAsync());
        Assert.That(again.Status, Is.EqualTo(200));
        Assert.That(body, Does.Contain("这个密钥已经创建，出于安全不再显示"));
        Assert.That(body, Does.Not.Contain(secret).And.Not.Contain("ops_"), "no key, neither the first nor a new one");

        await page.GotoAsync("admin/keys");
        await Assertions.Expect(page.Locator("tr.key", new() { Has = page.Locator("td.name", new() { HasTextString = name }) })).ToHaveCountAsync(1);
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task ApiKeyForm_OnAPhone_ShowsTheApisRefusalBesideTheField_KeepsWhatWasTyped_ThenShowsTheKeyWithoutSidewaysScroll()
    {
        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("admin");
        var page = browser.Page;
        await page.GotoAsync("admin/keys/new");
        await page.GetByLabel("名称").FillAsync("微信网关");
        await page.GetByLabel("合同").FillAsync("NO-SUCH-CONTRACT");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建密钥" }).ClickAsync();

        var beside = page.Locator("label:has-text('合同') + .validation-message");
        await Assertions.Expect(beside).ToContainTextAsync("NO-SUCH-CONTRACT");
        Assert.That(await beside.TextContentAsync(), Does.Match("[\u4e00-\u9fff]").And.Not.Contain("contracts"), "Chinese, naming the field as the page does");
        Assert.That(await page.GetByLabel("名称").InputValueAsync(), Is.EqualTo("微信网关"));
        Assert.That(await page.GetByLabel("合同").InputValueAsync(), Is.EqualTo("NO-SUCH-CONTRACT"));
        Assert.That(await page.Locator(".secret").CountAsync(), Is.Zero, "nothing was issued");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("admin-key-new-admin-375");

        await page.GetByLabel("合同").FillAsync("");
        await page.GetByLabel("站点").FillAsync("SHM");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建密钥" }).ClickAsync();
        await Assertions.Expect(page.Locator("h2")).ToHaveTextAsync("API 密钥已创建");
        Assert.That(await page.Locator(".once .facts").TextContentAsync(), Does.Contain("OTQ-2026-OPS（SHM）"));
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("admin-key-created-admin-375");

        await page.GotoAsync("admin/keys");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("admin-keys-admin-375");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task LocalUser_CreatedWithAPasswordShownOnce_SignsIn_AndOnceDisabled_IsRefusedSignIn()
    {
        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("admin");
        var page = browser.Page;
        await page.GotoAsync("admin/users");
        await page.GetByRole(AriaRole.Link, new() { Name = "新建用户" }).ClickAsync();
        var username = $"zhou.{Guid.NewGuid():N}"[..13];
        await page.GetByLabel("用户名").FillAsync(username);
        await page.GetByLabel("姓名").FillAsync("周值班");
        await page.GetByLabel("角色").SelectOptionAsync(new SelectOptionValue { Label = "工程师" });
        await browser.ScreenshotAsync("admin-user-new-admin-375");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建用户" }).ClickAsync();

        await Assertions.Expect(page.Locator("h2")).ToHaveTextAsync("用户已创建");
        var password = (await page.Locator(".secret.password").TextContentAsync())!;
        Assert.That(password, Has.Length.EqualTo(16));
        Assert.That(await page.GetByRole(AriaRole.Alert).TextContentAsync(), Does.StartWith("初始密码只显示这一次"));
        Assert.That((await browser.Documents.Last().AllHeadersAsync()).GetValueOrDefault("cache-control"), Does.Contain("no-store"));
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("admin-user-created-admin-375");

        await using (var person = await BrowserSession.OpenAsync(375, 740))
        {
            Assert.That(await SignInAsync(person, username, password), Is.EqualTo("/"));
            Assert.That(await person.Page.Locator("h1").TextContentAsync(), Is.EqualTo("你好，周值班"));
            Assert.That(await person.Page.Locator("nav.menu a").AllTextContentsAsync(), Is.EqualTo(Menu.Entries.Where(e => e.Roles.Contains(Menu.Engineer)).Select(e => e.Title)), "an engineer's menu");
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "返回用户列表" }).ClickAsync();
        var row = page.Locator($"tr.user[data-username='{username}']");
        Assert.That(await row.Locator(".state").TextContentAsync(), Is.EqualTo("启用"));
        Assert.That(await page.Locator("tr.user[data-username='admin'] a").CountAsync(), Is.Zero, "no way to disable oneself");
        await browser.ScreenshotAsync("admin-users-admin-375");
        await row.GetByRole(AriaRole.Link, new() { Name = "停用" }).ClickAsync();
        await Assertions.Expect(page.Locator("h2")).ToHaveTextAsync("停用用户");
        Assert.That(await page.Locator(".confirm .username").TextContentAsync(), Is.EqualTo(username));
        await browser.ScreenshotAsync("admin-user-disable-admin-375");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认停用" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, "admin/users").ToString());
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("已停用");
        Assert.That(await row.GetByRole(AriaRole.Link, new() { Name = "停用" }).CountAsync(), Is.Zero);
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));

        await using var refused = await BrowserSession.OpenAsync(375, 740);
        Assert.That(await SignInAsync(refused, username, password), Is.EqualTo("/login"));
        Assert.That(await refused.Page.GetByRole(AriaRole.Alert).TextContentAsync(), Is.EqualTo("用户名或密码错误"));
        Assert.That(await refused.Page.Locator("nav.menu").CountAsync(), Is.Zero);
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task DuplicateUsername_ShowsTheChineseRefusalBesideTheField_KeepingWhatWasTyped()
    {
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("admin");
        var page = browser.Page;
        await page.GotoAsync("admin/users");
        await Assertions.Expect(page.Locator("tr.user[data-username='auditor'] .state")).ToHaveTextAsync("启用");
        await browser.ScreenshotAsync("admin-users-admin-1280");
        await page.GotoAsync("admin/users/new");
        await page.GetByLabel("用户名").FillAsync("Auditor");
        await page.GetByLabel("姓名").FillAsync("又一个审计员");
        await page.GetByLabel("角色").SelectOptionAsync(new SelectOptionValue { Label = "审计员" });
        await page.GetByLabel("站点").FillAsync("SHM");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建用户" }).ClickAsync();

        await Assertions.Expect(page.Locator("label:has-text('用户名') + .validation-message")).ToHaveTextAsync("已有同名用户。");
        Assert.That(await page.GetByLabel("用户名").InputValueAsync(), Is.EqualTo("Auditor"));
        Assert.That(await page.GetByLabel("姓名").InputValueAsync(), Is.EqualTo("又一个审计员"));
        Assert.That(await page.GetByLabel("角色").InputValueAsync(), Is.EqualTo("auditor"));
        Assert.That(await page.GetByLabel("站点").InputValueAsync(), Is.EqualTo("SHM"));
        Assert.That(await page.Locator(".secret").CountAsync(), Is.Zero, "nobody was created, no password shown");
        await browser.ScreenshotAsync("admin-user-refused-admin-1280");

        await page.GetByLabel("用户名").FillAsync("x");
        await page.GetByLabel("姓名").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建用户" }).ClickAsync();
        await Assertions.Expect(page.Locator("label:has-text('姓名') + .validation-message")).ToHaveTextAsync("“姓名”为必填项。");
        Assert.That(await page.Locator("label:has-text('用户名') + .validation-message").TextContentAsync(), Does.StartWith("“用户名”须为 3 至 64 个"));
        await browser.AssertWellBehavedAsync();
    }

    [TestCase("engineer")]
    [TestCase("manager")]
    [TestCase("auditor")]
    public async Task NonAdministrators_GetTheChinese403Page_OnEveryAdministrationPage(string role)
    {
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync(role);
        var page = browser.Page;
        Assert.That(await page.Locator("nav.menu a", new() { HasTextString = "系统管理" }).CountAsync(), Is.Zero);

        foreach (var path in new[] { "admin", "admin/users", "admin/users/new", "admin/users/engineer/disable", "admin/keys", "admin/keys/new", $"admin/keys/{Guid.NewGuid()}/revoke" })
        {
            var response = await page.GotoAsync(path);
            Assert.That(response!.Status, Is.EqualTo(403), path);
            Assert.That(await page.Locator("h1").TextContentAsync(), Is.EqualTo("无权访问"), path);
            Assert.That(await page.Locator("form.admin-form, .confirm, table.list").CountAsync(), Is.Zero, path);
        }

        await browser.AssertWellBehavedAsync();
    }

    /// <summary>Signs in through the form, again while the tickets service's per-minute limit refuses; the path the console then shows.</summary>
    private static async Task<string> SignInAsync(BrowserSession browser, string username, string password)
    {
        var path = "";
        await Eventually.HoldsAsync(async () =>
        {
            await browser.SignInAsync(username, password);
            path = new Uri(browser.Page.Url).AbsolutePath;
            return path != "/login" || await browser.Page.GetByRole(AriaRole.Alert).TextContentAsync() != "登录尝试过于频繁，请一分钟后再试";
        }, TimeSpan.FromSeconds(75));
        return path;
    }

    private static object Report(string title) => new
    {
        channel = "phone",
        kind = "fault",
        severity = "general",
        siteCode = "OTQ",
        system = "其他",
        title,
        reporter = new { name = "张女士", phone = "13800001111" },
    };
}
