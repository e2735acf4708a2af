using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

public sealed class AssessmentTests
{
    private const string Script = "<img src=x onerror=alert(1)>";

    [Test]
    public async Task Assessment_ForAManager_AfterABreach_ShowsEveryFigureAsTheApiStatesIt()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        using var scoring = ConsoleUnderTest.Scoring.Client();
        // Reported two hours ago: its response clock breached long since, which deducts from item 6.
        var number = await Apis.ReportFaultAsync(desk, "OTQ", "政务服务网", "政务服务网首页无法打开", reportedAt: DateTimeOffset.UtcNow.AddHours(-2));
        await Eventually.HoldsAsync(async () => Entries(await AssessmentAsync(scoring)).Any(e => e.TicketNumber() == number), TimeSpan.FromSeconds(60));
        // Enough manual deductions that the total passes 20 points and a fee reduction is due.
        foreach (var (item, points) in new[] { (13, 5m), (14, 10m), (8, 5m) })
        {
            await DeductAsync(scoring, item, points, $"第 {item} 项季度检查不合格");
        }

        await using var browser = await BrowserSession.SignedInAsync("manager", 1280, 900);
        var page = browser.Page;
        await Assertions.Expect(page.Locator(".menu a", new() { HasText = "考核" })).ToBeVisibleAsync();

        // Breaches of other tests may land meanwhile: the page and the API are read until both tell of the same ledger.
        JsonElement api = default;
        await Eventually.HoldsAsync(async () =>
        {
            await page.GotoAsync("assessment?item=6");
            var shownTotal = await page.Locator(".summary .total").TextContentAsync();
            api = await AssessmentAsync(scoring);
            return shownTotal == Points(api.GetProperty("totalDeduction").GetDecimal());
        }, TimeSpan.FromSeconds(20));

        Assert.That(await page.Locator(".summary .score").TextContentAsync(), Is.EqualTo(Points(api.GetProperty("score").GetDecimal())));
        Assert.That(await page.Locator(".summary .tier").TextContentAsync(), Is.EqualTo(api.GetProperty("tier").GetString()));
        var fee = api.GetProperty("feeReduction").GetDecimal();
        Assert.That(fee, Is.GreaterThan(0m), "more than 20 points cost money");
        Assert.That(await page.Locator(".summary .fee").TextContentAsync(), Is.EqualTo("¥" + fee.ToString("#,##0.00", CultureInfo.InvariantCulture)));
        Assert.That(await page.Locator(".summary .rectification").TextContentAsync(),
            Is.EqualTo(api.GetProperty("rectificationRequired").GetBoolean() ? "须整改" : "无须整改"));
        Assert.That(await page.Locator("table.items tfoot .total").TextContentAsync(), Is.EqualTo(Points(api.GetProperty("totalDeduction").GetDecimal())));

        var items = api.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items, Has.Count.EqualTo(15));
        var rows = page.Locator("table.items tbody tr");
        Assert.That(await rows.CountAsync(), Is.EqualTo(15));
        for (var i = 0; i < items.Count; i++)
        {
            var row = rows.Nth(i);
            Assert.That(await row.Locator(".number").TextContentAsync(), Is.EqualTo(items[i].GetProperty("item").GetInt32().ToString(CultureInfo.InvariantCulture)));
            Assert.That((await row.Locator(".name").TextContentAsync())!.Trim(), Is.EqualTo(items[i].GetProperty("name").GetString()));
            Assert.That(await row.Locator(".max").TextContentAsync(), Is.EqualTo(Points(items[i].GetProperty("maxPoints").GetDecimal())));
            Assert.That(await row.Locator(".deducted").TextContentAsync(), Is.EqualTo(Points(items[i].GetProperty("deducted").GetDecimal())), $"item {i + 1}");
        }

        // The breach: its reason, its ticket linked, when it happened and who recorded it.
        var breach = Entries(api).Single(e => e.TicketNumber() == number && e.GetProperty("source").GetString() == "breach");
        var shown = page.Locator($".entry[data-id='{breach.GetProperty("id").GetGuid()}']");
        Assert.That(await shown.Locator(".points").TextContentAsync(), Is.EqualTo(Points(breach.GetProperty("points").GetDecimal())));
        Assert.That(await shown.Locator(".reason").TextContentAsync(), Does.Contain(breach.GetProperty("reason").GetString()).And.Contain("超时扣分"));
        Assert.That(await shown.Locator(".ticket-link a").GetAttributeAsync("href"), Is.EqualTo($"tickets/{number}"));
        Assert.That(await shown.Locator("time").TextContentAsync(), Is.EqualTo(Shanghai(breach.GetProperty("occurredAt").GetDateTimeOffset())));
        Assert.That(await shown.Locator(".recorded").TextContentAsync(), Does.StartWith(breach.GetProperty("recordedBy").GetString()!));
        Assert.That(await shown.Locator(".waive-link").TextContentAsync(), Is.EqualTo("豁免"), "a manager may waive it");
        Assert.That(await page.GetByRole(AriaRole.Button, new() { Name = "记录扣分" }).CountAsync(), Is.EqualTo(1));

        await browser.ScreenshotAsync("assessment-manager-1280");
        await shown.Locator(".ticket-link a").ClickAsync();
        await Assertions.Expect(page.Locator(".ticket-facts .number")).ToHaveTextAsync(number);
        await browser.AssertWellBehavedAsync();

        await using var phone = await BrowserSession.SignedInAsync("manager", 375, 740);
        await phone.Page.GotoAsync("assessment");
        await Assertions.Expect(phone.Page.Locator("table.items tbody tr")).ToHaveCountAsync(15);
        Assert.That(await phone.Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375), "no sideways scrolling on a phone");
        await phone.ScreenshotAsync("assessment-manager-375");
        await phone.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Assessment_AManagerRecordsADeduction_ThenWaivesItWithAReasonAndAConfirmation_AndTheApiShowsBoth()
    {
        using var scoring = ConsoleUnderTest.Scoring.Client();
        var reason = $"制度执行检查记录缺失 {Guid.NewGuid():N}";
        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        var dialogs = new List<string>();
        browser.Page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        await browser.SignInAsAsync("manager");
        var page = browser.Page;
        await page.GotoAsync("assessment");

        var form = page.Locator("form.deduct");
        await form.GetByLabel("考核项目").SelectOptionAsync("3");
        await form.GetByLabel("原因").FillAsync(reason);
        await form.GetByRole(AriaRole.Button, new() { Name = "记录扣分" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync("“points”为必填项。");
        Assert.That(Entries(await AssessmentAsync(scoring)).Any(e => e.GetProperty("reason").GetString() == reason), Is.False, "a refusal stores nothing");

        await form.GetByLabel("扣分").FillAsync("1.5");
        await form.GetByRole(AriaRole.Button, new() { Name = "记录扣分" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("扣分已记录。");
        var deduction = Entries(await AssessmentAsync(scoring)).Single(e => e.GetProperty("reason").GetString() == reason);
        Assert.That(deduction.GetProperty("source").GetString(), Is.EqualTo("manual"));
        Assert.That(deduction.GetProperty("item").GetInt32(), Is.EqualTo(3));
        Assert.That(deduction.GetProperty("points").GetDecimal(), Is.EqualTo(1.5m));
        Assert.That(deduction.GetProperty("recordedBy").GetString(), Is.EqualTo("王经理"));
        var id = deduction.GetProperty("id").GetGuid();
        var row = page.Locator($".entry[data-id='{id}']");
        Assert.That(await row.Locator(".points").TextContentAsync(), Is.EqualTo("1.5"));
        Assert.That(await row.Locator(".reason").TextContentAsync(), Is.EqualTo($"人工扣分：{reason}"));
        Assert.That(await row.Locator(".recorded").TextContentAsync(), Does.StartWith("王经理"));

        await row.GetByRole(AriaRole.Link, new() { Name = "豁免" }).ClickAsync();
        var waive = page.Locator("section.waive");
        await Assertions.Expect(waive.Locator(".reason")).ToHaveTextAsync(reason);
        await waive.GetByRole(AriaRole.Button, new() { Name = "下一步" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync("请填写豁免理由。");
        await waive.GetByLabel("豁免理由").FillAsync("经核实为甲方制度调整所致");
        await waive.GetByRole(AriaRole.Button, new() { Name = "下一步" }).ClickAsync();

        await Assertions.Expect(waive.Locator(".waiver-reason")).ToHaveTextAsync("经核实为甲方制度调整所致");
        Assert.That(await waive.Locator(".reason").TextContentAsync(), Is.EqualTo(reason), "the second step shows what will be waived");
        Assert.That(await waive.GetByRole(AriaRole.Link, new() { Name = "取消" }).CountAsync(), Is.EqualTo(1));
        Assert.That(Entries(await AssessmentAsync(scoring)).Any(e => e.Compensates() == id), Is.False, "nothing is waived before it is confirmed");
        await waive.GetByRole(AriaRole.Button, new() { Name = "确认豁免" }).ClickAsync();

        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("已豁免");
        var entries = Entries(await AssessmentAsync(scoring)).ToList();
        var waiver = entries.Single(e => e.Compensates() == id);
        Assert.That(waiver.GetProperty("source").GetString(), Is.EqualTo("waiver"));
        Assert.That(waiver.GetProperty("points").GetDecimal(), Is.EqualTo(-1.5m));
        Assert.That(waiver.GetProperty("reason").GetString(), Is.EqualTo("经核实为甲方制度调整所致"));
        Assert.That(waiver.GetProperty("recordedBy").GetString(), Is.EqualTo("王经理"));
        Assert.That(entries.Any(e => e.GetProperty("id").GetGuid() == id), Is.True, "the ledger keeps the deduction beside its waiver");

        row = page.Locator($".entry[data-id='{id}']");
        Assert.That(await row.Locator(".state .tag").TextContentAsync(), Is.EqualTo("已豁免"));
        Assert.That(await row.Locator(".state .waiver").TextContentAsync(), Does.Contain("经核实为甲方制度调整所致").And.Contain("王经理"));
        Assert.That(await row.Locator(".waive-link").CountAsync(), Is.Zero, "a waived deduction is not waived again");
        Assert.That(dialogs, Is.Empty, "the confirmation is a page, not a dialog");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Assessment_ForAnAuditor_HasNoChangeButtons_AndAChangePostedAnywayIsRefusedInChinese()
    {
        using var scoring = ConsoleUnderTest.Scoring.Client();
        var deduction = await DeductAsync(scoring, 2, 0.5m, "制度文件未按期修订");
        await using var browser = await BrowserSession.SignedInAsync("auditor", 1280, 900);
        var page = browser.Page;
        await page.GotoAsync($"assessment?item=2&waive={deduction}");
        await Assertions.Expect(page.Locator($".entry[data-id='{deduction}']")).ToBeVisibleAsync();
        Assert.That(await page.Locator("main form[method=post]").CountAsync(), Is.Zero, "no form that changes anything");
        Assert.That(await page.Locator("main button").AllTextContentsAsync(), Is.EqualTo(new[] { "查看" }), "only the contract choice's button");
        Assert.That(await page.Locator(".waive-link").CountAsync(), Is.Zero);
        Assert.That(await page.Locator(".summary .score").TextContentAsync(), Is.Not.Empty, "the auditor reads the assessment");
        await browser.ScreenshotAsync("assessment-auditor-1280");

        // The forms' handlers posted directly, with the antiforgery token of the auditor's own page.
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.GetAttributeAsync("value");
        var posts = new[]
        {
            ("assessment", new Dictionary<string, string> { ["_handler"] = "deduct", ["DeductionItem"] = "2", ["DeductionPoints"] = "1", ["DeductionReason"] = "审计员试图扣分" }),
            ($"assessment?item=2&waive={deduction}", new Dictionary<string, string> { ["_handler"] = "waive-confirm", ["WaiverReason"] = "审计员试图豁免" }),
        };
        foreach (var (url, fields) in posts)
        {
            var form = page.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", token!);
            foreach (var (name, value) in fields)
            {
                form.Set(name, value);
            }

            var response = await page.APIRequest.PostAsync(url, new() { Form = form, MaxRedirects = 0 });
            var body = WebUtility.HtmlDecode(await response.TextAsync());
            Assert.That(response.Status is 200 or 403, Is.True, $"{fields["_handler"]}: {response.Status}");
            Assert.That(body, Does.Contain("无权执行此操作"), $"{fields["_handler"]}: refused in Chinese");
            Assert.That(body, Does.Not.Contain("Exception"));
        }

        var entries = Entries(await AssessmentAsync(scoring)).ToList();
        Assert.That(entries.Any(e => e.GetProperty("reason").GetString() is "审计员试图扣分" or "审计员试图豁免"), Is.False, "the auditor changed nothing");
        Assert.That(entries.Any(e => e.Compensates() == deduction), Is.False);
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Assessment_AReasonWithMarkup_IsShownAsText_AndNoScriptRuns()
    {
        using var scoring = ConsoleUnderTest.Scoring.Client();
        await using var browser = await BrowserSession.OpenAsync(375, 740);
        var dialogs = new List<string>();
        browser.Page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        await browser.SignInAsAsync("manager");
        var page = browser.Page;
        await page.GotoAsync("assessment");
        var form = page.Locator("form.deduct");
        await form.GetByLabel("考核项目").SelectOptionAsync("1");
        await form.GetByLabel("扣分").FillAsync("0.25");
        await form.GetByLabel("原因").FillAsync(Script);
        await form.GetByRole(AriaRole.Button, new() { Name = "记录扣分" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("扣分已记录。");

        var id = Entries(await AssessmentAsync(scoring)).Where(e => e.GetProperty("reason").GetString() == Script).Select(e => e.GetProperty("id").GetGuid()).First();
        var row = page.Locator($".entry[data-id='{id}']");
        Assert.That(await row.Locator(".reason").TextContentAsync(), Is.EqualTo($"人工扣分：{Script}"));
        Assert.That(await page.Locator(".entries img").CountAsync(), Is.Zero, "the reason is text, not markup");

        await row.GetByRole(AriaRole.Link, new() { Name = "豁免" }).ClickAsync();
        await page.Locator("section.waive").GetByLabel("豁免理由").FillAsync(Script);
        await page.GetByRole(AriaRole.Button, new() { Name = "下一步" }).ClickAsync();
        await Assertions.Expect(page.Locator("section.waive .waiver-reason")).ToHaveTextAsync(Script);
        Assert.That(await page.Locator("section.waive img").CountAsync(), Is.Zero);
        await browser.ScreenshotAsync("assessment-waive-375");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认豁免" }).ClickAsync();
        await Assertions.Expect(page.Locator($".entry[data-id='{id}'] .state .waiver")).ToContainTextAsync(Script);
        Assert.That(await page.Locator("main img").CountAsync(), Is.Zero);
        Assert.That(dialogs, Is.Empty, "no script runs");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Assessment_TheSameDeductionOrWaiverFormPostedTwice_IsRecordedOnce()
    {
        using var scoring = ConsoleUnderTest.Scoring.Client();
        var reason = $"巡检记录缺失 {Guid.NewGuid():N}";
        await using var browser = await BrowserSession.SignedInAsync("manager", 1280, 900);
        var page = browser.Page;
        await page.GotoAsync("assessment");

        // A double click, or the form sent again: the same fields, the same one-time key, posted twice.
        var form = page.Locator("form.deduct");
        await form.GetByLabel("考核项目").SelectOptionAsync("4");
        await form.GetByLabel("扣分").FillAsync("0.5");
        await form.GetByLabel("原因").FillAsync(reason);
        var fields = await FieldsAsync(form);
        var url = page.Url;
        await form.GetByRole(AriaRole.Button, new() { Name = "记录扣分" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("扣分已记录。");
        var again = await PostAsync(page, url, fields);
        Assert.That(again.Status, Is.EqualTo(302), "the second post is answered as the first: stored");
        Assert.That(again.Headers["location"], Does.Contain("done=deducted"));
        var deductions = Entries(await AssessmentAsync(scoring)).Where(e => e.GetProperty("reason").GetString() == reason).ToList();
        Assert.That(deductions, Has.Count.EqualTo(1), "one deduction, not two");
        var id = deductions[0].GetProperty("id").GetGuid();

        await page.GotoAsync($"assessment?item=4&waive={id}#waive");
        await page.Locator("section.waive").GetByLabel("豁免理由").FillAsync("经核实为停电所致");
        await page.GetByRole(AriaRole.Button, new() { Name = "下一步" }).ClickAsync();
        var confirm = page.Locator("section.waive form");
        await Assertions.Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "确认豁免" })).ToBeVisibleAsync();
        fields = await FieldsAsync(confirm);
        url = page.Url;
        await confirm.GetByRole(AriaRole.Button, new() { Name = "确认豁免" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("已豁免");
        again = await PostAsync(page, url, fields);
        Assert.That(again.Status, Is.EqualTo(302), "the second confirmation is answered as the first, not refused");
        Assert.That(again.Headers["location"], Does.Contain("done=waived"));
        Assert.That(Entries(await AssessmentAsync(scoring)).Count(e => e.Compensates() == id), Is.EqualTo(1));
        await browser.AssertWellBehavedAsync();
    }

    /// <summary>The fields a form would post, read from the page before it is submitted.</summary>
    internal static Task<Dictionary<string, string>> FieldsAsync(ILocator form) =>
        form.EvaluateAsync<Dictionary<string, string>>("f => Object.fromEntries(new FormData(f))");

    /// <summary>Posts <paramref name="fields"/> to <paramref name="url"/> with the page's cookies, as the browser would post the form again.</summary>
    internal static async Task<IAPIResponse> PostAsync(IPage page, string url, Dictionary<string, string> fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return await page.APIRequest.PostAsync(url, new() { Form = form, MaxRedirects = 0 });
    }

    internal static async Task<JsonElement> AssessmentAsync(HttpClient scoring, string contract = ConsoleUnderTest.FirstContract) =>
        await scoring.GetFromJsonAsync<JsonElement>($"api/assessment?evidence={1000}&contract={contract}");

    internal static IEnumerable<JsonElement> Entries(JsonElement assessment) =>
        assessment.GetProperty("items").EnumerateArray().SelectMany(i => i.GetProperty("evidence").EnumerateArray());

    /// <summary>Records a manual deduction through the API and gives its id.</summary>
    private static async Task<Guid> DeductAsync(HttpClient scoring, int item, decimal points, string reason)
    {
        using var response = await scoring.PostAsJsonAsync("api/assessment/deductions", new { contract = ConsoleUnderTest.FirstContract, item, points, reason });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The console's way of writing points (<c>Services/Points.cs</c>): never rounded, no trailing zeros.</summary>
    private static string Points(decimal points) => points.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Shanghai(DateTimeOffset time) =>
        time.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

internal static class LedgerEntryJson
{
    public static string? TicketNumber(this JsonElement entry) =>
        entry.TryGetProperty("ticketNumber", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;

    public static Guid? Compensates(this JsonElement entry) =>
        entry.TryGetProperty("compensates", out var c) && c.ValueKind == JsonValueKind.String ? c.GetGuid() : null;
}
