using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>The 值班表 (week view, rotations, overrides) and the queue's 今日值班, over the sla-timer's on-call API.</summary>
public sealed class OnCallPageTests
{
    private const string Contract = "OTQ-2026-OPS";

    /// <summary>The rota these tests keep: 李工 and 张伟 take the 主班 in turn each day at 08:30; 王芳 holds the 备班, handing over weekly at 09:00.</summary>
    private static readonly object[] Engineers =
    [
        new { id = "ligong", name = "李工", mobile = "13912345678", weComUserId = "LiGong", username = "engineer" },
        new { id = "zhangwei", name = "张伟", mobile = "13800138000", weComUserId = (string?)null, username = (string?)null },
        new { id = "wangfang", name = "王芳", mobile = "13700137000", weComUserId = (string?)null, username = (string?)null },
    ];

    private static readonly object[] Rotations =
    [
        new { name = "主班轮换", layer = "primary", turn = "daily", handover = "08:30", start = "2026-02-28", engineers = new[] { "ligong", "zhangwei" } },
        new { name = "备班轮换", layer = "secondary", turn = "weekly", handover = "09:00", start = "2026-02-23", engineers = new[] { "wangfang" } },
    ];

    [Test]
    public async Task Manager_SavesTheRotationsThroughThePage_AfterARefusalNamingTheField_AndSeesTheWeekFilled()
    {
        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        await browser.SignInAsAsync("manager");
        var page = browser.Page;
        await page.Locator("nav.menu").GetByRole(AriaRole.Link, new() { Name = "值班表" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("值班表");
        await page.GetByRole(AriaRole.Link, new() { Name = "编辑轮换与值班人员" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("编辑轮换");

        var people = new[] { ("ligong", "李工", "13912345678", "LiGong", "engineer"), ("zhangwei", "张伟", "13800138000", "", ""), ("wangfang", "王芳", "13700137000", "", "") };
        for (var i = 0; i < people.Length; i++)
        {
            var (id, name, mobile, weCom, username) = people[i];
            await page.Locator($"input[name='e{i}.name']").FillAsync(name);
            await page.Locator($"input[name='e{i}.mobile']").FillAsync(mobile);
            await page.Locator($"input[name='e{i}.wecom']").FillAsync(weCom);
            await page.Locator($"input[name='e{i}.username']").FillAsync(username);
            await page.Locator($"input[name='e{i}.id']").FillAsync(id);
        }

        await page.Locator("input[name='r0.name']").FillAsync("主班轮换");
        await page.Locator("select[name='r0.layer']").SelectOptionAsync("primary");
        await page.Locator("select[name='r0.turn']").SelectOptionAsync("daily");
        await page.Locator("input[name='r0.handover']").FillAsync("08:30");
        await page.Locator("input[name='r0.start']").FillAsync("2026-02-28");
        // The 主班 rotation with nobody on it (the rows may hold a rota saved before): refused, the field named in Chinese, and nothing typed lost.
        await page.Locator("input[name='r0.engineers']").FillAsync("");
        await page.Locator("input[name='r1.name']").FillAsync("备班轮换");
        await page.Locator("select[name='r1.layer']").SelectOptionAsync("secondary");
        await page.Locator("select[name='r1.turn']").SelectOptionAsync("weekly");
        await page.Locator("input[name='r1.handover']").FillAsync("09:00");
        await page.Locator("input[name='r1.start']").FillAsync("2026-02-23");
        await page.Locator("input[name='r1.engineers']").FillAsync("王芳");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存轮换" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToHaveTextAsync("“轮换 1 的值班人员”须至少列出一名工程师：没有人的轮值不能值班。");
        Assert.That(await page.Locator("input[name='e1.name']").InputValueAsync(), Is.EqualTo("张伟"), "typed text kept");
        Assert.That(await page.Locator("input[name='r1.engineers']").InputValueAsync(), Is.EqualTo("王芳"));
        Assert.That(await page.Locator("select[name='r1.turn']").InputValueAsync(), Is.EqualTo("weekly"));
        await browser.ScreenshotAsync("oncall-rotations-manager-1280");

        // Engineers named in turn order, by name or by code.
        await page.Locator("input[name='r0.engineers']").FillAsync("李工、zhangwei");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存轮换" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("轮换已保存。");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("值班表");

        using var timer = ConsoleUnderTest.SlaTimer.Anonymous().As("manager", "王经理");
        var rota = await timer.GetFromJsonAsync<JsonElement>($"api/oncall/{Contract}/rotations");
        Assert.That(rota.GetProperty("source").GetString(), Is.EqualTo("api"));
        var primary = rota.GetProperty("rotations").EnumerateArray().Single(r => r.GetProperty("layer").GetString() == "primary");
        Assert.That(primary.GetProperty("engineers").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "ligong", "zhangwei" }));
        Assert.That(primary.GetProperty("handover").GetString(), Is.EqualTo("08:30"));

        // Every day of the week as the API resolves it: each layer's engineers in order, none missing.
        var days = page.Locator("ol.week > li.day");
        await Assertions.Expect(days).ToHaveCountAsync(7);
        var monday = DateOnly.ParseExact(await days.First.GetAttributeAsync("data-date") ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.That(monday.DayOfWeek, Is.EqualTo(DayOfWeek.Monday));
        var start = new DateTimeOffset(monday.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        var shifts = await ScheduleAsync(timer, start, start.AddDays(7));
        for (var d = 0; d < 7; d++)
        {
            var dayStart = start.AddDays(d);
            foreach (var layer in new[] { "primary", "secondary" })
            {
                var expected = shifts.Where(s => s.Layer == layer && s.From < dayStart.AddDays(1) && s.To > dayStart).Select(s => s.Name).ToList();
                Assert.That(expected, Is.Not.Empty, $"day {d} {layer}");
                Assert.That(await days.Nth(d).Locator($".layer.{layer} .shift .person").AllTextContentsAsync(), Is.EqualTo(expected), $"day {d} {layer}");
            }
        }

        Assert.That(await page.Locator(".layer.primary .person").AllTextContentsAsync(), Has.Some.EqualTo("李工").And.Some.EqualTo("张伟"));
        Assert.That(await page.Locator(".layer.secondary .shift:not(.override) .person").AllTextContentsAsync(), Has.All.EqualTo("王芳"), "the weekly rotation of one");
        Assert.That(await page.Locator(".day.today").CountAsync(), Is.EqualTo(1));
        Assert.That(await page.Locator("table.engineers .mobile a").First.GetAttributeAsync("href"), Is.EqualTo("tel:13912345678"));
        await browser.ScreenshotAsync("oncall-manager-1280");

        await page.SetViewportSizeAsync(375, 740);
        await page.GotoAsync("oncall/rotations");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("oncall-rotations-manager-375");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Manager_AddsAnOverride_AndSeesTheDayChange_AnOverlappingOneIsRefusedInChinese_ThenRemovesIt()
    {
        using var timer = await RotaAsync();
        var nextMonday = Monday(DateTimeOffset.UtcNow).AddDays(7);
        var wednesday = nextMonday.AddDays(2);
        var week = Iso(nextMonday);

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("manager");
        var page = browser.Page;
        await page.GotoAsync("oncall");
        await page.GetByRole(AriaRole.Link, new() { Name = "下一周" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, $"oncall?week={week}&contract={Contract}").ToString());
        var day = page.Locator($"li.day[data-date='{Iso(wednesday)}']");
        var before = await day.Locator(".layer.primary .person").AllTextContentsAsync();
        Assert.That(before, Has.Count.EqualTo(2).And.No.EqualTo("王芳"), "the rotation's two engineers hand over at 08:30");

        await page.GetByLabel("班次").SelectOptionAsync("primary");
        await page.GetByLabel("值班工程师").SelectOptionAsync(new SelectOptionValue { Label = "王芳" });
        await page.GetByLabel("开始时间（北京时间）").FillAsync($"{Iso(wednesday)}T09:00");
        await page.GetByLabel("结束时间（北京时间）").FillAsync($"{Iso(wednesday)}T18:00");
        await page.GetByLabel("原因").FillAsync("李工参加应急演练");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记换班" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("换班已登记。");

        var swapped = day.Locator(".layer.primary .shift.override");
        await Assertions.Expect(swapped).ToHaveCountAsync(1);
        Assert.That(await swapped.Locator(".person").TextContentAsync(), Is.EqualTo("王芳"));
        Assert.That(await swapped.Locator(".hours").TextContentAsync(), Is.EqualTo("09:00–18:00"));
        Assert.That(await swapped.Locator(".swap").TextContentAsync(), Is.EqualTo("换班：李工参加应急演练"));
        Assert.That(await day.Locator(".layer.primary .person").AllTextContentsAsync(), Has.Count.EqualTo(before.Count + 2), "the rotation's shift is cut around the override");
        Assert.That(await page.Locator("table.overrides .reason").AllTextContentsAsync(), Is.EqualTo(new[] { "李工参加应急演练" }));
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("oncall-manager-375");

        // Overlapping the first on the same layer: refused in Chinese, what was typed still there.
        await page.GetByLabel("值班工程师").SelectOptionAsync(new SelectOptionValue { Label = "张伟" });
        await page.GetByLabel("开始时间（北京时间）").FillAsync($"{Iso(wednesday)}T12:00");
        await page.GetByLabel("结束时间（北京时间）").FillAsync($"{Iso(wednesday)}T20:00");
        await page.GetByLabel("原因").FillAsync("张伟临时顶班");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记换班" }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToBeVisibleAsync();
        Assert.That(await alert.TextContentAsync(), Does.Match(@"\p{IsCJKUnifiedIdeographs}").And.Not.Match("[A-Za-z]{4,}"));
        Assert.That(await page.GetByLabel("原因").InputValueAsync(), Is.EqualTo("张伟临时顶班"));
        Assert.That(await page.GetByLabel("开始时间（北京时间）").InputValueAsync(), Is.EqualTo($"{Iso(wednesday)}T12:00"));
        Assert.That(await page.GetByLabel("值班工程师").InputValueAsync(), Is.EqualTo("zhangwei"));
        var overrides = (await timer.GetFromJsonAsync<JsonElement>($"api/oncall/{Contract}/rotations")).GetProperty("overrides").EnumerateArray().ToList();
        Assert.That(overrides.Select(o => o.GetProperty("reason").GetString()), Has.Member("李工参加应急演练").And.No.Member("张伟临时顶班"));
        await browser.ScreenshotAsync("oncall-refused-manager-375");

        // Removal asks first, on the page; then the rotation holds again.
        await page.GotoAsync($"oncall?week={week}&contract={Contract}");
        await page.Locator("table.overrides").GetByRole(AriaRole.Link, new() { Name = "删除" }).ClickAsync();
        await Assertions.Expect(page.Locator(".confirm-question")).ToBeVisibleAsync();
        Assert.That(await page.Locator(".override-facts").TextContentAsync(), Does.Contain("李工参加应急演练").And.Contain($"{Iso(wednesday)} 09:00"));
        Assert.That(await swapped.CountAsync(), Is.EqualTo(1), "nothing removed before the confirmation");
        await browser.ScreenshotAsync("oncall-remove-manager-375");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认删除" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("换班已删除。");
        await Assertions.Expect(swapped).ToHaveCountAsync(0);
        Assert.That(await day.Locator(".layer.primary .person").AllTextContentsAsync(), Is.EqualTo(before));
        await browser.AssertWellBehavedAsync();
    }

    [TestCase("0001-01-01", "1999-12-27 至 2000-01-02")]
    [TestCase("9999-12-31", "2099-12-28 至 2100-01-03")]
    public async Task AWeekBeyondTheYearsRotasCover_ShowsTheNearestWeekWithin_NotAnError(string week, string shown)
    {
        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        await browser.SignInAsAsync("manager");
        var page = browser.Page;

        var response = await page.GotoAsync($"oncall?week={week}&contract={Contract}");

        Assert.That(response!.Status, Is.EqualTo(200));
        await Assertions.Expect(page.Locator(".week-nav .range")).ToHaveTextAsync(shown);
        await Assertions.Expect(page.Locator("ol.week > li.day")).ToHaveCountAsync(7);
    }

    [Test]
    public async Task Auditor_SeesTheWeek_WithNoChangeButtons_AndMaskedMobiles_AndGets403OnTheEditPage()
    {
        using var timer = await RotaAsync();
        // An override from now on the 备班 (past duty cannot be rewritten), so the auditor sees one marked today.
        var from = DateTimeOffset.UtcNow;
        var added = await timer.PostAsJsonAsync($"api/oncall/{Contract}/overrides", new { layer = "secondary", engineer = "zhangwei", from, to = from.AddHours(4), reason = "王芳外出培训" });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());

        foreach (var (width, height) in new[] { (1280, 900), (375, 740) })
        {
            await using var browser = await BrowserSession.OpenAsync(width, height);
            await browser.SignInAsAsync("auditor");
            var page = browser.Page;
            await page.Locator("nav.menu").GetByRole(AriaRole.Link, new() { Name = "值班表" }).ClickAsync();
            await Assertions.Expect(page.Locator("ol.week > li.day")).ToHaveCountAsync(7);

            var todayCell = page.Locator("li.day.today");
            Assert.That(await todayCell.Locator(".layer.primary .person").CountAsync(), Is.GreaterThan(0));
            Assert.That(await todayCell.Locator(".layer.secondary .shift.override .swap").TextContentAsync(), Is.EqualTo("换班：王芳外出培训"));
            Assert.That(await page.Locator("main button").AllTextContentsAsync(), Is.EqualTo(new[] { "查看" }), "only the contract choice's button: nothing that changes anything");
            Assert.That(await page.Locator("main form[method='post']").CountAsync(), Is.Zero);
            Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = "删除" }).CountAsync(), Is.Zero);
            Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = "编辑轮换与值班人员" }).CountAsync(), Is.Zero);
            var mobiles = await page.Locator("table.engineers .mobile").AllTextContentsAsync();
            Assert.That(mobiles.Select(m => m.Trim()).ToList(), Has.Count.EqualTo(3).And.All.Match(@"^\d{3}\*{4}\d{4}$"), "masked");
            Assert.That(await page.Locator("table.engineers a[href^='tel:']").CountAsync(), Is.Zero);
            Assert.That(await page.Locator("main").TextContentAsync(), Does.Not.Contain("13912345678"));
            Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(width));
            await browser.ScreenshotAsync($"oncall-auditor-{width}");

            var edit = await page.GotoAsync($"oncall/rotations?contract={Contract}");
            Assert.That(edit!.Status, Is.EqualTo(403));
            Assert.That(await page.Locator("h1").TextContentAsync(), Is.EqualTo("无权访问"));
            await browser.AssertWellBehavedAsync();
        }
    }

    [Test]
    public async Task EngineersQueue_ShowsWhoIsOnDutyToday_ThePrimaryByName_WithAMobileToCall()
    {
        using var timer = await RotaAsync();
        var now = await timer.GetFromJsonAsync<JsonElement>($"api/oncall/{Contract}/now");
        var primary = now.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("layer").GetString() == "primary").GetProperty("shift").GetProperty("engineer");

        await using var browser = await BrowserSession.OpenAsync(375, 740);
        await browser.SignInAsAsync("engineer");
        var page = browser.Page;
        await page.GotoAsync("queue");
        var panel = page.Locator("section.on-duty");
        await Assertions.Expect(panel.Locator("h2")).ToHaveTextAsync("今日值班");
        var onDuty = panel.Locator(".layer.primary");
        Assert.That(await onDuty.Locator(".layer-name").TextContentAsync(), Is.EqualTo("主班"));
        Assert.That(await onDuty.Locator(".person").TextContentAsync(), Is.EqualTo(primary.GetProperty("name").GetString()));
        Assert.That(await onDuty.Locator("a.mobile").GetAttributeAsync("href"), Is.EqualTo($"tel:{primary.GetProperty("mobile").GetString()}"));
        Assert.That(await panel.Locator(".layer.secondary .layer-name").TextContentAsync(), Is.EqualTo("备班"));
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await browser.ScreenshotAsync("queue-oncall-engineer-375");
        await browser.AssertWellBehavedAsync();
    }

    /// <summary>Saves the tests' rota through the API (as a manager) and gives that manager's client.</summary>
    private static async Task<HttpClient> RotaAsync()
    {
        var timer = ConsoleUnderTest.SlaTimer.Anonymous().As("manager", "王经理");
        var saved = await timer.PutAsJsonAsync($"api/oncall/{Contract}/rotations", new { engineers = Engineers, rotations = Rotations });
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        return timer;
    }

    private static async Task<List<(string Layer, string Name, DateTimeOffset From, DateTimeOffset To)>> ScheduleAsync(HttpClient timer, DateTimeOffset from, DateTimeOffset to)
    {
        var schedule = await timer.GetFromJsonAsync<JsonElement>(
            $"api/oncall/{Contract}/schedule?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");
        return schedule.GetProperty("shifts").EnumerateArray()
            .Select(s => (s.GetProperty("layer").GetString()!, s.GetProperty("engineer").GetProperty("name").GetString()!, s.GetProperty("from").GetDateTimeOffset(), s.GetProperty("to").GetDateTimeOffset()))
            .OrderBy(s => s.Item3)
            .ToList();
    }

    private static DateOnly Monday(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        return today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
