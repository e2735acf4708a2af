using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>The records people check afterwards: what the sla-timer told the escalation chain (通知记录), and whether each service's evidence is whole (证据校验).</summary>
public sealed class RecordsTests
{
    [Test]
    public async Task Notices_OfABreachedFault_ShowWhatWasSentToWhom_WithTheApisResults_AndNoRobotKey()
    {
        var number = await BreachedFaultAsync("政务服务网首页无法访问");
        using var timer = ConsoleUnderTest.SlaTimer.Anonymous().As("manager", "王经理");
        // Both clocks breach at once: each tells the robot (sent) and the bureau's webhook, which nothing answers (failed).
        var notices = new List<JsonElement>();
        await Eventually.HoldsAsync(async () =>
        {
            var page = await timer.GetFromJsonAsync<JsonElement>($"api/notifications?ticket={number}");
            notices = page.GetProperty("items").EnumerateArray().ToList();
            return notices.Count == 4 && notices.All(n => n.GetProperty("status").GetString() != "sending");
        }, TimeSpan.FromSeconds(30));
        Assert.That(ConsoleUnderTest.Escalation.To("/wecom").Select(c => c.Text), Has.Some.Contains(number), $"the robot was told: {string.Join(" | ", ConsoleUnderTest.Escalation.Calls.Select(c => $"{c.Path} {c.Text}"))}");

        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        var page = browser.Page;
        await browser.SignInAsAsync("manager");
        await page.GetByRole(AriaRole.Link, new() { Name = "通知记录" }).First.ClickAsync();
        await page.GetByLabel("工单编号").FillAsync(number);
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, $"notices?status=&ticket={number}").ToString());

        var rows = page.Locator("table.notices tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        for (var i = 0; i < notices.Count; i++)
        {
            var notice = notices[i];
            var row = rows.Nth(i);
            var status = notice.GetProperty("status").GetString();
            Assert.That(await row.Locator("time").TextContentAsync(), Is.EqualTo(Shanghai(notice.GetProperty("createdAt").GetDateTimeOffset())));
            Assert.That(await row.Locator("a.ticket-number").GetAttributeAsync("href"), Is.EqualTo($"tickets/{number}"));
            Assert.That(await row.Locator(".stage").TextContentAsync(), Is.EqualTo($"{ClockName(notice.GetProperty("clock").GetString())} · 已超时"));
            Assert.That(await row.Locator(".level").TextContentAsync(), Is.EqualTo(notice.GetProperty("level").GetString()));
            Assert.That(await row.Locator(".channel").TextContentAsync(), Is.EqualTo(notice.GetProperty("level").GetString() == "值班工程师" ? "企业微信" : "其他接口（Webhook）"));
            Assert.That(await row.Locator(".outcome").TextContentAsync(), Is.EqualTo(status == "sent" ? "已发送" : "失败"));
            Assert.That(await row.Locator(".attempts").TextContentAsync(), Is.EqualTo(notice.GetProperty("attempts").GetInt32().ToString(CultureInfo.InvariantCulture)));
            if (status == "failed")
            {
                // In Chinese for people; the channel's own error text, often English, folded away for the technician.
                Assert.That(await row.Locator(".reason summary").TextContentAsync(), Is.EqualTo("发送失败"));
                Assert.That(await row.Locator(".reason .raw-error").IsVisibleAsync(), Is.False);
                Assert.That(await row.Locator(".reason .raw-error").TextContentAsync(), Is.EqualTo(notice.GetProperty("error").GetString()).And.Not.Empty);
                Assert.That(await row.Locator(".outcome").EvaluateAsync<string>("e => getComputedStyle(e).color"), Is.EqualTo("rgb(185, 28, 28)"), "a failed notice is red");
            }
        }

        Assert.That(notices.Select(n => n.GetProperty("status").GetString()), Is.EquivalentTo(new[] { "sent", "sent", "failed", "failed" }));
        Assert.That(await page.ContentAsync(), Does.Not.Contain(ConsoleUnderTest.RobotKey).And.Not.Contain(ConsoleUnderTest.Escalation.BaseAddress), "a robot's URL carries its key");
        await browser.ScreenshotAsync("notices-manager-1280");

        await page.Locator("select[name=status]").SelectOptionAsync("failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, $"notices?status=failed&ticket={number}").ToString());
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        Assert.That(await page.Locator("table.notices .outcome").AllTextContentsAsync(), Is.All.EqualTo("失败"));
        Assert.That(await page.Locator("tr.notice.failed").CountAsync(), Is.EqualTo(2));
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Notices_OnAPhone_ForAnAuditorAndAnEngineer_AreCardsWithoutSidewaysScroll_AndPagedAsTheApiIs()
    {
        // More notices of the first contract (the engineer's) than one page holds: each breached severe fault makes four.
        using (var firstContract = ConsoleUnderTest.SlaTimer.Anonymous().As("auditor", "赵审计", Scope.Of([ConsoleUnderTest.FirstContract])))
        {
            var had = (await firstContract.GetFromJsonAsync<JsonElement>("api/notifications?limit=1")).GetProperty("total").GetInt64();
            for (var i = 0; i <= Math.Max(0, (NoticesOnAPage - had) / 4); i++)
            {
                await SettledNoticesAsync(firstContract, await BreachedFaultAsync($"好差评系统评价提交失败（{i + 1}）"));
            }
        }

        var number = await BreachedFaultAsync("好差评系统评价提交失败");
        using (var desk = ConsoleUnderTest.SlaTimer.Anonymous().As("auditor", "赵审计"))
        {
            await SettledNoticesAsync(desk, number); // every notice is recorded before the page and the API are compared
        }

        foreach (var role in new[] { "auditor", "engineer" })
        {
            // Each reads the notices of their own contracts: the engineer works the first contract only.
            using var timer = ConsoleUnderTest.SlaTimer.Anonymous().As(role, "", role == "engineer" ? Scope.Of([ConsoleUnderTest.FirstContract]) : null);
            var first = default(JsonElement);
            await Eventually.HoldsAsync(async () =>
            {
                first = await timer.GetFromJsonAsync<JsonElement>($"api/notifications?limit={NoticesOnAPage}");
                return first.GetProperty("total").GetInt64() > NoticesOnAPage && first.GetProperty("items").EnumerateArray().All(n => n.GetProperty("status").GetString() != "sending");
            }, TimeSpan.FromSeconds(30));

            await using var browser = await BrowserSession.OpenAsync(375, 740);
            var page = browser.Page;
            await browser.SignInAsAsync(role);
            var answer = await page.GotoAsync("notices");

            Assert.That(answer!.Status, Is.EqualTo(200), role);
            Assert.That(await page.Locator(".total").TextContentAsync(), Is.EqualTo($"共 {first.GetProperty("total").GetInt64()} 条"));
            var shown = await page.Locator("table.notices a.ticket-number").AllTextContentsAsync();
            Assert.That(shown, Is.EqualTo(first.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("ticketNumber").GetString())));
            Assert.That(await page.Locator("table.notices thead").IsVisibleAsync(), Is.False, "a card per notice on a phone");
            Assert.That(await page.Locator(".pager span").TextContentAsync(), Is.EqualTo($"第 1 / {Pages(first)} 页"));
            await page.Locator(".pager a[rel=next]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, "notices?page=2").ToString());
            // The address changes before the page's enhanced navigation shows the second page: its pager says when it has.
            await Assertions.Expect(page.Locator(".pager span")).ToHaveTextAsync(new Regex(@"^第 2 / \d+ 页$"));
            var second = await timer.GetFromJsonAsync<JsonElement>($"api/notifications?limit={NoticesOnAPage}&offset={NoticesOnAPage}");
            Assert.That(await page.Locator("table.notices a.ticket-number").AllTextContentsAsync(),
                Is.EqualTo(second.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("ticketNumber").GetString())), "the second page is the API's second page");
            await Assertions.Expect(page.Locator(".pager a[rel=prev]")).ToBeVisibleAsync();
            Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
            Assert.That(await page.Locator("nav.menu a", new() { HasText = "证据校验" }).CountAsync(), Is.EqualTo(role == "auditor" ? 1 : 0));
            await page.GotoAsync($"notices?ticket={number}");
            await Assertions.Expect(page.Locator("table.notices tbody tr")).ToHaveCountAsync(4);
            await browser.ScreenshotAsync($"notices-{role}-375");

            var bad = await page.GotoAsync("notices?ticket=F2026%27%20OR%201%3D1");
            Assert.That(bad!.Status, Is.EqualTo(200));
            await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync("“工单编号”须为工单编号，如 F20261124-0001。");
            await browser.AssertWellBehavedAsync();
        }
    }

    [Test]
    public async Task Notices_OfALevelWhoseRotaNamesNobody_ShowItForwardedToTheNextLevelWithWhy_ThenTheEngineerOnDutyOnceTheRotaNamesOne()
    {
        // The second contract's first level targets its rota's primary engineer; the rota is empty, so the 二线工程师 is told instead.
        var number = await BreachedFaultAsync("乌审旗一网通办证照调用超时", "WSQ", "一网通办平台");
        using var timer = ConsoleUnderTest.SlaTimer.Anonymous().As("manager", "王经理");
        var notices = await SettledNoticesAsync(timer, number);
        Assert.That(notices.Select(n => $"{n.GetProperty("level").GetString()}:{n.GetProperty("status").GetString()}"),
            Is.EquivalentTo(new[] { "值班工程师:skipped", "值班工程师:skipped", "二线工程师:sent", "二线工程师:sent" }));
        Assert.That(notices.Where(n => n.GetProperty("status").GetString() == "skipped").Select(n => n.GetProperty("reason").GetString()),
            Is.All.Matches("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}（北京时间）值班表主班无人值班，已转告下一级“二线工程师”$"));
        // The 二线工程师 is a level of the chain in its own right: its notice is sent once, and says whom it stands in for when the forward came first.
        Assert.That(notices.Where(n => n.GetProperty("status").GetString() == "sent").Select(n => n.GetProperty("reason").GetString() ?? "代“值班工程师”："), Is.All.StartsWith("代“值班工程师”："));

        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        var page = browser.Page;
        await browser.SignInAsAsync("manager");
        await page.GotoAsync($"notices?ticket={number}");
        var rows = page.Locator("table.notices tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        for (var i = 0; i < notices.Count; i++)
        {
            var row = rows.Nth(i);
            var skipped = notices[i].GetProperty("status").GetString() == "skipped";
            Assert.That(await row.Locator(".outcome").TextContentAsync(), Is.EqualTo(skipped ? "已转下一级" : "已发送"));
            var reason = notices[i].GetProperty("reason").GetString();
            Assert.That(await row.Locator(".why").AllTextContentsAsync(), Is.EqualTo(reason is null ? Array.Empty<string>() : new[] { reason }));
            Assert.That(await row.Locator(".level").TextContentAsync(), Is.EqualTo(notices[i].GetProperty("level").GetString()));
            Assert.That(await row.Locator(".reason").CountAsync(), Is.Zero, "a skipped level is no failure");
            if (skipped)
            {
                Assert.That(await row.GetAttributeAsync("class"), Is.EqualTo("notice skipped"));
                Assert.That(await row.Locator(".outcome").EvaluateAsync<string>("e => getComputedStyle(e).color"), Is.EqualTo("rgb(29, 78, 216)"), "skipped has its own colour, not the failure's red");
            }
        }

        Assert.That(await page.Locator(".engineer").CountAsync(), Is.Zero, "nobody was on duty");
        await browser.ScreenshotAsync("notices-skipped-manager-1280");

        await page.Locator("select[name=status]").SelectOptionAsync(new SelectOptionValue { Label = "已转下一级" });
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, $"notices?status=skipped&ticket={number}").ToString());
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        Assert.That(await page.Locator("table.notices .outcome").AllTextContentsAsync(), Is.All.EqualTo("已转下一级"));
        await browser.AssertWellBehavedAsync();

        // Once the rota names a primary engineer, the first level's notice @-mentions them by name, never by mobile.
        var saved = await timer.PutAsJsonAsync($"api/oncall/{ConsoleUnderTest.SecondContract}/rotations", new
        {
            engineers = new[] { new { id = "zhaolei", name = "赵磊", mobile = "13600136000", weComUserId = (string?)null, username = (string?)null } },
            rotations = new[] { new { name = "主班轮换", layer = "primary", turn = "daily", handover = "08:30", start = "2026-02-28", engineers = new[] { "zhaolei" } } },
        });
        Assert.That(saved.IsSuccessStatusCode, Is.True, await saved.Content.ReadAsStringAsync());
        var told = await BreachedFaultAsync("乌审旗一网通办事项无法提交", "WSQ", "一网通办平台");
        var direct = await SettledNoticesAsync(timer, told);
        Assert.That(direct.Select(n => $"{n.GetProperty("level").GetString()}:{n.GetProperty("status").GetString()}:{n.GetProperty("engineer").GetString()}"),
            Is.EquivalentTo(new[] { "值班工程师:sent:赵磊", "值班工程师:sent:赵磊", "二线工程师:sent:", "二线工程师:sent:" }));

        await using var phone = await BrowserSession.OpenAsync(375, 740);
        await phone.SignInAsAsync("manager");
        foreach (var ticket in new[] { number, told })
        {
            await phone.Page.GotoAsync($"notices?ticket={ticket}");
            await Assertions.Expect(phone.Page.Locator("table.notices tbody tr")).ToHaveCountAsync(4);
            Assert.That(await phone.Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        }

        Assert.That(await phone.Page.Locator(".engineer").AllTextContentsAsync(), Is.EqualTo(new[] { "值班工程师：赵磊", "值班工程师：赵磊" }));
        Assert.That(await phone.Page.ContentAsync(), Does.Not.Contain("13600136000"), "the notice names the engineer, never their mobile");
        await phone.ScreenshotAsync("notices-engineer-manager-375");
        await phone.Page.GotoAsync($"notices?ticket={number}");
        await Assertions.Expect(phone.Page.Locator("table.notices tbody tr")).ToHaveCountAsync(4);
        await phone.ScreenshotAsync("notices-skipped-manager-375");
        await phone.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Evidence_ShowsEachServicesChainsVerified_AsTheApisCountThem_ThenTheFirstBrokenEntryOfATamperedOne()
    {
        var number = await BreachedFaultAsync("电子监察系统告警推送中断");
        using var timer = ConsoleUnderTest.SlaTimer.Anonymous().As("auditor", "赵审计");
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "repair") == "breached", TimeSpan.FromSeconds(30));

        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        var page = browser.Page;
        await browser.SignInAsAsync("auditor");
        // The services go on appending (events of earlier tests): the page and the APIs agree once both are read between two appends.
        await Eventually.HoldsAsync(async () =>
        {
            await page.GotoAsync("evidence");
            return await ShownAsIntactAsync(page) && await SameAsApisAsync(page);
        }, TimeSpan.FromSeconds(30));
        Assert.That(await page.Locator("section.service h2 .verdict").AllTextContentsAsync(), Is.All.EqualTo("全部完整"));
        await browser.ScreenshotAsync("evidence-auditor-1280");

        // Behind the sla-timer's back: the response breach of this ticket is rewritten as met; then put back as it was.
        await using var database = new SqliteConnection($"Data Source={Path.Combine(ConsoleUnderTest.DataDirectory, "sla-timer.db")}");
        var (seq, outcome) = await database.QuerySingleAsync<(long, string)>(
            "SELECT chain_seq, outcome FROM clock_outcomes WHERE ticket_number = @number AND clock = 'response'", new { number });
        await database.ExecuteAsync("DROP TRIGGER clock_outcomes_no_update; UPDATE clock_outcomes SET outcome = 'met' WHERE chain_seq = @seq", new { seq });
        try
        {
            await page.ReloadAsync();
            var broken = page.Locator("section.service[data-service=sla-timer] tr.chain.broken");
            await Assertions.Expect(broken).ToHaveCountAsync(1);
            Assert.That(await broken.Locator(".outcome").TextContentAsync(), Is.EqualTo("已被篡改"));
            var report = await timer.GetFromJsonAsync<JsonElement>("api/audit/chains");
            var firstBroken = report.GetProperty("chains").EnumerateArray().Single(c => !c.GetProperty("intact").GetBoolean()).GetProperty("firstBroken");
            Assert.That(firstBroken.GetProperty("seq").GetInt64(), Is.EqualTo(seq), "the rewritten entry is the first broken one");
            Assert.That(await broken.Locator(".first-broken").TextContentAsync(), Does.Contain($"第 {seq} 条").And.Contain(number).And.Contain("内容与封印不符（写入后被改动）"));
            Assert.That(await page.Locator("section.service[data-service=sla-timer] .verdict").TextContentAsync(), Is.EqualTo("发现篡改"));
            Assert.That(await page.Locator("section.service[data-service=tickets] .verdict").TextContentAsync(), Is.EqualTo("全部完整"));
            Assert.That(await broken.Locator(".outcome").EvaluateAsync<string>("e => getComputedStyle(e).color"), Is.EqualTo("rgb(185, 28, 28)"));
            await browser.ScreenshotAsync("evidence-broken-auditor-1280");
        }
        finally
        {
            await database.ExecuteAsync(
                "UPDATE clock_outcomes SET outcome = @outcome WHERE chain_seq = @seq; CREATE TRIGGER IF NOT EXISTS clock_outcomes_no_update BEFORE UPDATE ON clock_outcomes BEGIN SELECT RAISE(ABORT, 'clock_outcomes is append-only'); END;",
                new { outcome, seq });
        }

        await page.ReloadAsync();
        Assert.That(await ShownAsIntactAsync(page), Is.True, "put back as it was, the chain is whole again");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Evidence_OnAPhone_ForAManager_AndAServiceThatCannotBeReached_SaysSoForThatServiceOnly()
    {
        await using var console = await ConsoleUnderTest.StartConsoleAsync("console-scoring-down", ConsoleUnderTest.Tickets.BaseAddress, ConsoleUnderTest.SlaTimer.BaseAddress, ConsoleUnderTest.Unreachable, "tickets", "sla-timer");
        await using var context = await ConsoleUnderTest.Browser.NewContextAsync(new()
        {
            BaseURL = console.BaseAddress.ToString(), ViewportSize = new() { Width = 375, Height = 740 }, Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        await BrowserSession.SignInAsAsync(page, "manager");

        var answer = await page.GotoAsync("evidence");

        Assert.That(answer!.Status, Is.EqualTo(200));
        Assert.That(await page.Locator("section.service[data-service=scoring] .verdict").TextContentAsync(), Is.EqualTo("无法连接"));
        Assert.That(await page.Locator("section.service[data-service=scoring] .error").TextContentAsync(), Is.EqualTo("无法连接考核服务，其证据链暂时无法校验。"));
        Assert.That(await page.Locator("section.service[data-service=tickets] tr.chain").CountAsync(), Is.GreaterThan(0));
        Assert.That(await page.Locator("section.service[data-service=sla-timer] tr.chain").CountAsync(), Is.GreaterThan(0));
        Assert.That(await page.Locator("table.chains thead").First.IsVisibleAsync(), Is.False, "a card per chain on a phone");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleUnderTest.Screenshots, "evidence-manager-375.png"), FullPage = true });
    }

    [Test]
    public async Task Evidence_IsNotAnEngineersPage_TheyGetThe403Page_AndNoMenuEntry()
    {
        await using var browser = await BrowserSession.OpenAsync(375, 740);
        var page = browser.Page;
        await browser.SignInAsAsync("engineer");
        Assert.That(await page.Locator("nav.menu a", new() { HasText = "证据校验" }).CountAsync(), Is.Zero);
        Assert.That(await page.Locator("nav.menu a", new() { HasText = "通知记录" }).CountAsync(), Is.EqualTo(1));

        var answer = await page.GotoAsync("evidence");

        Assert.That(answer!.Status, Is.EqualTo((int)HttpStatusCode.Forbidden));
        Assert.That(await page.Locator("h1").TextContentAsync(), Is.EqualTo("无权访问"));
        await browser.AssertWellBehavedAsync();
    }

    /// <summary>The console shows notices 50 to a page.</summary>
    private const int NoticesOnAPage = 50;

    private static long Pages(JsonElement page) => (page.GetProperty("total").GetInt64() + NoticesOnAPage - 1) / NoticesOnAPage;

    /// <summary>Every chain of every service is shown as whole.</summary>
    private static async Task<bool> ShownAsIntactAsync(IPage page) =>
        await page.Locator("section.service").CountAsync() == 3
        && await page.Locator("tr.chain.broken").CountAsync() == 0
        && (await page.Locator("tr.chain .outcome").AllTextContentsAsync()).All(t => t == "完整");

    /// <summary>Each service's chains on the page, with their entries, are those its audit endpoint reports now.</summary>
    private static async Task<bool> SameAsApisAsync(IPage page)
    {
        foreach (var service in new[] { ConsoleUnderTest.Tickets, ConsoleUnderTest.SlaTimer, ConsoleUnderTest.Scoring })
        {
            using var auditor = service.Anonymous().As("auditor", "赵审计");
            var report = await auditor.GetFromJsonAsync<JsonElement>("api/audit/chains");
            var expected = report.GetProperty("chains").EnumerateArray().Select(c => $"{ChainName(c.GetProperty("chain").GetString()!)}:{c.GetProperty("entries").GetInt64()}").ToList();
            var rows = page.Locator($"section.service[data-service={service.Name}] tr.chain");
            var shown = new List<string>();
            for (var i = 0; i < await rows.CountAsync(); i++)
            {
                shown.Add($"{await rows.Nth(i).Locator(".name").TextContentAsync()}:{await rows.Nth(i).Locator(".entries").TextContentAsync()}");
            }

            if (expected.Count == 0 || !shown.SequenceEqual(expected))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A ticket's notices once none is still being sent: both clocks of a breached fault, each told to two levels.</summary>
    private static async Task<List<JsonElement>> SettledNoticesAsync(HttpClient timer, string number)
    {
        var notices = new List<JsonElement>();
        await Eventually.HoldsAsync(async () =>
        {
            var page = await timer.GetFromJsonAsync<JsonElement>($"api/notifications?ticket={number}");
            notices = page.GetProperty("items").EnumerateArray().ToList();
            return notices.Count == 4 && notices.All(n => n.GetProperty("status").GetString() != "sending");
        }, TimeSpan.FromSeconds(30));
        return notices;
    }

    /// <summary>A severe fault reported five hours ago: both its clocks are breached as soon as the sla-timer hears of it.</summary>
    private static async Task<string> BreachedFaultAsync(string title, string site = "OTQ", string system = "政务服务网")
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        return await Apis.ReportAsync(desk, new
        {
            channel = "phone",
            kind = "fault",
            severity = "severe",
            siteCode = site,
            system,
            title,
            reporter = new { name = "刘先生", phone = "13900002222" },
            reportedAt = DateTimeOffset.UtcNow.AddHours(-5),
        });
    }

    /// <summary>The chains' names for people, by the ids the services give them.</summary>
    private static string ChainName(string chain) => chain switch
    {
        "ticket-timeline" => "工单处理记录",
        "clock-outcomes" => "时限结果",
        "deduction-ledger" => "扣分台账",
        "reports" => "报表",
        _ => chain,
    };

    private static string ClockName(string? clock) => clock == "response" ? "响应时限" : "修复时限";

    private static string Shanghai(DateTimeOffset time) =>
        time.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
