using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>Two contracts: the manager chooses one on the dashboard and on the assessment, and sees that contract's own figures and ledger.</summary>
public sealed class ContractChoiceTests
{
    private const string First = ConsoleUnderTest.FirstContract;
    private const string Second = ConsoleUnderTest.SecondContract;

    private static readonly string[] Choices = [$"智慧政务平台建设及运维服务（{First}）", $"乌审旗政务服务平台运维服务（{Second}）"];

    [Test]
    public async Task OnTheDashboard_TheManagerChoosesTheSecondContract_AndSeesItsFiguresSitesAndBreachesAsScoringAnswersThem()
    {
        var wsq = ReportBreachedFaultAsync("WSQ", "一网通办平台", "乌审旗一网通办无法登录");
        var otq = ReportBreachedFaultAsync("OTQ", "政务服务网", "政务服务网办件查询超时");
        var (atWsq, atOtq) = (await wsq, await otq);
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("manager");
        var page = browser.Page;

        await page.GotoAsync("dashboard");
        var chooser = page.Locator("form.contract-choice select[name=contract]");
        Assert.That(await chooser.Locator("option").AllTextContentsAsync(), Is.EqualTo(Choices), "both contracts, by name and code");
        Assert.That(await chooser.InputValueAsync(), Is.EqualTo(First), "the first contract until another is chosen");
        await Assertions.Expect(page.Locator("[data-figure=responseRate]")).ToBeVisibleAsync();

        await chooser.SelectOptionAsync(Second);
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, $"dashboard?contract={Second}").ToString());
        await DashboardTests.AssertFiguresAsync(page, null, "", Second);

        Assert.That(await page.Locator("form.contract-choice select option:checked").TextContentAsync(), Is.EqualTo(Choices[1]), "the chosen contract is named");
        Assert.That(await page.Locator(".period").TextContentAsync(), Does.Contain("统计期间 2026-07-01 至 2027-06-30"), "the second contract's service year");
        Assert.That(await page.Locator("select[name=site] option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"), Is.EqualTo(new[] { "", "GLT", "WSQ" }), "its sites");
        Assert.That(await page.Locator("select[name=system] option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"), Is.EqualTo(new[] { "", "一网通办平台", "政务服务网", "其他" }), "its systems");
        Assert.That(await page.Locator(".breaches a").AllTextContentsAsync(), Is.EqualTo(new[] { atWsq }), $"its open breach only, not the first contract's ({atOtq})");
        await browser.ScreenshotAsync("dashboard-contracts-manager-1280");

        // The filters keep the contract, so the view can be shared.
        await page.Locator("select[name=site]").SelectOptionAsync("WSQ");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"dashboard\\?contract={Second}&from=.*&site=WSQ&"));
        var year = $"from={Uri.EscapeDataString("2026-07-01T00:00:00+08:00")}&to={Uri.EscapeDataString("2027-07-01T00:00:00+08:00")}";
        await DashboardTests.AssertFiguresAsync(page, null, $"{year}&siteCode=WSQ", Second);
        await browser.AssertWellBehavedAsync();

        await using var phone = await BrowserSession.OpenAsync(375, 740);
        await phone.SignInAsAsync("manager");
        await phone.Page.GotoAsync($"dashboard?contract={Second}");
        await Assertions.Expect(phone.Page.Locator("[data-figure=responseRate]")).ToBeVisibleAsync();
        Assert.That(await phone.Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375), "no sideways scrolling on a phone");
        await phone.ScreenshotAsync("dashboard-contracts-manager-375");
        await phone.AssertWellBehavedAsync();
    }

    [Test]
    public async Task OnTheAssessment_TheManagerChoosesTheSecondContract_SeesItsFigures_AndADeductionThereStaysOffTheFirst()
    {
        using var scoring = ConsoleUnderTest.Scoring.Client();
        var reason = $"乌审旗满意度回访不合格 {Guid.NewGuid():N}";
        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        await browser.SignInAsAsync("manager");
        var page = browser.Page;

        await page.GotoAsync("assessment");
        var chooser = page.Locator("form.contract-choice select[name=contract]");
        Assert.That(await chooser.Locator("option").AllTextContentsAsync(), Is.EqualTo(Choices), "both contracts, by name and code");
        Assert.That(await page.Locator(".contract .code").TextContentAsync(), Is.EqualTo(First), "the first contract until another is chosen");
        await chooser.SelectOptionAsync(Second);
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(BrowserSession.Origin, $"assessment?contract={Second}").ToString());
        Assert.That(await page.Locator(".contract .code").TextContentAsync(), Is.EqualTo(Second));
        Assert.That(await page.Locator(".contract").TextContentAsync(), Does.Contain("乌审旗政务服务平台运维服务").And.Contain("¥300,000.00"));
        await AssertAssessmentAsync(page, scoring, $"assessment?contract={Second}");

        var form = page.Locator("form.deduct");
        await form.GetByLabel("考核项目").SelectOptionAsync("3");
        await form.GetByLabel("扣分").FillAsync("4.5");
        await form.GetByLabel("原因").FillAsync(reason);
        await form.GetByRole(AriaRole.Button, new() { Name = "记录扣分" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("扣分已记录。");
        Assert.That(new Uri(page.Url).Query, Does.StartWith($"?contract={Second}&"), "still the second contract");

        var second = await AssessmentTests.AssessmentAsync(scoring, Second);
        var deduction = AssessmentTests.Entries(second).Single(e => e.GetProperty("reason").GetString() == reason);
        Assert.That(deduction.GetProperty("item").GetInt32(), Is.EqualTo(3));
        Assert.That(deduction.GetProperty("points").GetDecimal(), Is.EqualTo(4.5m));
        Assert.That(await page.Locator($".entry[data-id='{deduction.GetProperty("id").GetGuid()}'] .reason").TextContentAsync(), Is.EqualTo($"人工扣分：{reason}"));
        await AssertAssessmentAsync(page, scoring, $"assessment?contract={Second}");
        await browser.ScreenshotAsync("assessment-contracts-manager-1280");

        Assert.That(AssessmentTests.Entries(await AssessmentAsync(scoring, First)).Any(e => e.GetProperty("reason").GetString() == reason), Is.False, "not in the first contract's ledger");
        await page.GotoAsync($"assessment?contract={First}");
        await Assertions.Expect(page.Locator(".contract .code")).ToHaveTextAsync(First);
        Assert.That(await page.Locator("main").TextContentAsync(), Does.Not.Contain(reason), "not on the first contract's page");
        await AssertAssessmentAsync(page, scoring, $"assessment?contract={First}");
        await browser.AssertWellBehavedAsync();

        await using var phone = await BrowserSession.OpenAsync(375, 740);
        await phone.SignInAsAsync("manager");
        await phone.Page.GotoAsync($"assessment?contract={Second}");
        await Assertions.Expect(phone.Page.Locator("table.items tbody tr")).ToHaveCountAsync(3);
        Assert.That(await phone.Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375), "no sideways scrolling on a phone");
        await phone.ScreenshotAsync("assessment-contracts-manager-375");
        await phone.AssertWellBehavedAsync();
    }

    [Test]
    public async Task AnUnknownContractInTheAddress_IsRefusedInChinese_OnBothPages_WithTheChoiceOffered()
    {
        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsAsync("auditor");
        var page = browser.Page;

        foreach (var (path, refusal) in new[] { ("dashboard", ".refusal"), ("assessment", ".error") })
        {
            var answer = await page.GotoAsync($"{path}?contract=NO-SUCH-1");
            Assert.That(answer!.Status, Is.EqualTo((int)HttpStatusCode.OK), path);
            Assert.That(await page.Locator(refusal).TextContentAsync(), Does.StartWith("没有合同“NO-SUCH-1”，或它不在你可查看的范围内。").And.Contain(Second), path);
            Assert.That(await page.Locator("form.contract-choice select option").CountAsync(), Is.EqualTo(2), $"{path}: the contracts to choose from");
            Assert.That(await page.Locator(".kpis, .summary").CountAsync(), Is.Zero, $"{path}: no figures of any contract");
        }

        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task AManagerOfOneContract_SeesNoChoice_AndTheAddressNamesNone()
    {
        const string username = "manager-otq";
        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        using (var admin = ConsoleUnderTest.Tickets.Anonymous().As("admin", "console tests admin"))
        {
            var created = await admin.PostAsJsonAsync("api/admin/users", new { username, displayName = "钱经理", role = "manager", password, contracts = new[] { First } });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        }

        await using var browser = await BrowserSession.OpenAsync();
        await browser.SignInAsync(username, password);
        var page = browser.Page;

        await page.GotoAsync("dashboard");
        await DashboardTests.AssertFiguresAsync(page, null, "", First);
        Assert.That(await page.Locator("form.contract-choice").CountAsync(), Is.Zero);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("dashboard\\?from="), new() { Timeout = 10_000 });

        await page.GotoAsync("assessment");
        Assert.That(await page.Locator(".contract .code").TextContentAsync(), Is.EqualTo(First));
        Assert.That(await page.Locator("form.contract-choice").CountAsync(), Is.Zero);
        Assert.That(await page.Locator("a.waive-link, table.items a").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))"), Has.None.Contain("contract="));
        await browser.AssertWellBehavedAsync();
    }

    /// <summary>A general fault reported three hours ago, so its response clock breached; once scoring counts it as an open breach.</summary>
    private static async Task<string> ReportBreachedFaultAsync(string site, string system, string title)
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        using var timer = ConsoleUnderTest.SlaTimer.Client();
        var number = await Apis.ReportAsync(desk, new
        {
            channel = "phone",
            kind = "fault",
            severity = "general",
            siteCode = site,
            system,
            title,
            reporter = new { name = "白女士", phone = "13900003333" },
            reportedAt = DateTimeOffset.UtcNow.AddHours(-3),
        });
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "response") == "breached", TimeSpan.FromSeconds(30));
        return number;
    }

    private static Task<JsonElement> AssessmentAsync(HttpClient scoring, string contract) => AssessmentTests.AssessmentAsync(scoring, contract);

    /// <summary>The page's summary and every item's figures equal scoring's for the contract the page shows, read until a breach landing meanwhile is on both.</summary>
    private static async Task AssertAssessmentAsync(IPage page, HttpClient scoring, string path)
    {
        var contract = (await page.Locator(".contract .code").TextContentAsync())!;
        JsonElement api = default;
        await Eventually.HoldsAsync(async () =>
        {
            await page.GotoAsync(path);
            api = await AssessmentAsync(scoring, contract);
            return await page.Locator(".summary .total").TextContentAsync() == Points(api.GetProperty("totalDeduction").GetDecimal());
        }, TimeSpan.FromSeconds(20));

        Assert.That(await page.Locator(".summary .score").TextContentAsync(), Is.EqualTo(Points(api.GetProperty("score").GetDecimal())));
        Assert.That(await page.Locator(".summary .tier").TextContentAsync(), Is.EqualTo(api.GetProperty("tier").GetString()));
        Assert.That(await page.Locator(".summary .fee").TextContentAsync(), Is.EqualTo("¥" + api.GetProperty("feeReduction").GetDecimal().ToString("#,##0.00", CultureInfo.InvariantCulture)));
        Assert.That(await page.Locator(".summary .rectification").TextContentAsync(), Is.EqualTo(api.GetProperty("rectificationRequired").GetBoolean() ? "须整改" : "无须整改"));
        var items = api.GetProperty("items").EnumerateArray().ToList();
        var rows = page.Locator("table.items tbody tr");
        Assert.That(await rows.CountAsync(), Is.EqualTo(items.Count), "the contract's own items");
        for (var i = 0; i < items.Count; i++)
        {
            Assert.That((await rows.Nth(i).Locator(".name").TextContentAsync())!.Trim(), Is.EqualTo(items[i].GetProperty("name").GetString()));
            Assert.That(await rows.Nth(i).Locator(".max").TextContentAsync(), Is.EqualTo(Points(items[i].GetProperty("maxPoints").GetDecimal())));
            Assert.That(await rows.Nth(i).Locator(".deducted").TextContentAsync(), Is.EqualTo(Points(items[i].GetProperty("deducted").GetDecimal())), $"item {i + 1}");
        }
    }

    private static string Points(decimal points) => points.ToString("0.############################", CultureInfo.InvariantCulture);
}
