using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>报表: the list, generate now, the workbook's download and check, the printable page; the export buttons of the queue and the assessment.</summary>
public sealed class ReportPageTests
{
    /// <summary>The Shanghai month that ended last, as the API keys it (<c>2026-11</c>) and names it (<c>2026年11月</c>).</summary>
    private static (string Key, string Name) LastMonth()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var month = new DateTime(now.Year, now.Month, 1).AddMonths(-1);
        return (month.ToString("yyyy-MM", CultureInfo.InvariantCulture), $"{month.Year}年{month.Month}月");
    }

    private static (string Key, string Name) ThisMonth()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        return (now.ToString("yyyy-MM", CultureInfo.InvariantCulture), $"{now.Year}年{now.Month}月");
    }

    [Test]
    public async Task Reports_AManagerGeneratesAMonthFromThePage_SeesVersion1_DownloadsTheWorkbook_AndItsBytesVerify()
    {
        var (key, name) = LastMonth();
        await using var browser = await BrowserSession.SignedInAsync("manager", 1280, 900);
        var page = browser.Page;
        await page.Locator("nav.menu").GetByRole(AriaRole.Link, new() { Name = "报表" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("报表");

        // One site's report of the month that ended: a closed period, so generating it again changes nothing.
        var form = page.Locator("form.generate-form");
        await form.GetByLabel("报表期间").SelectOptionAsync($"month:{key}");
        await form.GetByLabel("范围").SelectOptionAsync("SHM");
        await form.GetByRole(AriaRole.Button, new() { Name = "立即生成" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("已生成第 1 版。");

        var row = page.Locator("tr.report.made");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.That(await row.Locator(".period span").First.TextContentAsync(), Is.EqualTo(name));
        Assert.That(await row.Locator(".kind").TextContentAsync(), Is.EqualTo("月报"));
        Assert.That(await row.Locator(".scope").TextContentAsync(), Is.EqualTo("SHM"));
        Assert.That(await row.Locator(".version").TextContentAsync(), Is.EqualTo("v1"));
        Assert.That(await row.Locator(".period .tag").CountAsync(), Is.Zero, "a month that ended is not 未结束");
        Assert.That(await row.Locator(".generated").TextContentAsync(), Does.Match(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        Assert.That(await row.Locator(".by").TextContentAsync(), Is.Not.Empty);
        var sha = await row.Locator(".sha code").GetAttributeAsync("title");
        Assert.That(sha, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(await row.Locator(".sha code").TextContentAsync(), Is.EqualTo(sha![..12]));

        // The same figures again: the newest version stays.
        await form.GetByLabel("报表期间").SelectOptionAsync($"month:{key}");
        await form.GetByLabel("范围").SelectOptionAsync("SHM");
        await form.GetByRole(AriaRole.Button, new() { Name = "立即生成" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("数据未变，仍为第 1 版。");
        Assert.That(await page.Locator($"tr.report[data-id='{await row.GetAttributeAsync("data-id")}']").CountAsync(), Is.EqualTo(1));
        await browser.ScreenshotAsync("reports-manager-1280");

        // The download goes through the console as the manager: the API's workbook, its name and bytes.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("tr.report.made a.download").ClickAsync());
        Assert.That(download.SuggestedFilename, Does.EndWith(".xlsx").And.Contain("月报").And.Contain(key));
        var file = Path.Combine(ConsoleUnderTest.DataDirectory, $"report-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(file);
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.That(bytes[..2], Is.EqualTo("PK"u8.ToArray()), "an xlsx is a zip");
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(bytes)), Is.EqualTo(sha), "the bytes whose SHA-256 the list shows");

        var verify = page.Locator("form.verify-form");
        await verify.Locator("input[type=file]").SetInputFilesAsync(file);
        await verify.GetByRole(AriaRole.Button, new() { Name = "校验文件" }).ClickAsync();
        await Assertions.Expect(page.Locator(".verdict.match")).ToContainTextAsync("文件与存档一致");
        Assert.That(await page.Locator(".verdict.match .which").TextContentAsync(), Is.EqualTo($"{ConsoleUnderTest.FirstContract} {name} 月报（SHM）第 1 版"));

        // One byte changed: it matches nothing.
        bytes[^10] ^= 0xFF;
        var tampered = Path.Combine(ConsoleUnderTest.DataDirectory, $"tampered-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(tampered, bytes);
        await page.Locator("form.verify-form input[type=file]").SetInputFilesAsync(tampered);
        await page.Locator("form.verify-form").GetByRole(AriaRole.Button, new() { Name = "校验文件" }).ClickAsync();
        await Assertions.Expect(page.Locator(".verdict.mismatch")).ToContainTextAsync("文件与任何存档的报表都不一致");
        Assert.That(await page.Locator(".verdict.mismatch code").TextContentAsync(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
        await browser.AssertWellBehavedAsync();

        await using var phone = await BrowserSession.SignedInAsync("manager", 375, 740);
        await phone.Page.GotoAsync("reports");
        await Assertions.Expect(phone.Page.Locator("tr.report").First).ToBeVisibleAsync();
        Assert.That(await phone.Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375), "no sideways scrolling on a phone");
        await phone.ScreenshotAsync("reports-manager-375");
        await phone.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Reports_AnAuditor_SeesTheListAndDownloads_ButNoGenerateForm_AndAPostAnywayIsRefused()
    {
        using var scoring = ConsoleUnderTest.Scoring.Client();
        var made = await scoring.PostAsJsonAsync("api/reports", new { contract = ConsoleUnderTest.FirstContract, kind = "quarter", period = "Q2", site = "OTQ" });
        Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.OK), await made.Content.ReadAsStringAsync());
        var id = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await using var browser = await BrowserSession.SignedInAsync("auditor", 1280, 900);
        var page = browser.Page;
        await page.GotoAsync("reports?kind=quarter");
        var row = page.Locator($"tr.report[data-id='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        Assert.That(await row.Locator(".kind").TextContentAsync(), Is.EqualTo("季报"));
        Assert.That(await row.Locator("a.download").GetAttributeAsync("href"), Is.EqualTo($"reports/{id}/xlsx"));
        Assert.That(await row.Locator("a.print").GetAttributeAsync("href"), Is.EqualTo($"reports/{id}/print"));
        Assert.That(await page.GetByRole(AriaRole.Button, new() { Name = "立即生成" }).CountAsync(), Is.Zero, "an auditor generates nothing");
        Assert.That(await page.Locator("form.generate-form").CountAsync(), Is.Zero);
        Assert.That(await page.GetByRole(AriaRole.Button, new() { Name = "校验文件" }).CountAsync(), Is.EqualTo(1), "an auditor checks files");

        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("a.download").ClickAsync());
        Assert.That(download.SuggestedFilename, Does.EndWith(".xlsx").And.Contain("季报"));

        // The generate form's handler posted anyway, with the antiforgery token of the auditor's own page.
        var (key, _) = LastMonth();
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.GetAttributeAsync("value");
        var post = page.APIRequest.CreateFormData();
        post.Set("__RequestVerificationToken", token!);
        post.Set("_handler", "generate");
        post.Set("Period", $"month:{key}");
        post.Set("GenerateSite", "OTQ");
        var response = await page.APIRequest.PostAsync("reports", new() { Form = post, MaxRedirects = 0 });
        var body = WebUtility.HtmlDecode(await response.TextAsync());
        Assert.That(response.Status, Is.EqualTo(200), "the page answers with the refusal, not a redirect to a new report");
        Assert.That(body, Does.Contain("无权"), "refused in Chinese");
        Assert.That(body, Does.Not.Contain("Exception"));

        using var auditor = ConsoleUnderTest.Scoring.Anonymous().As("auditor", "console tests auditor");
        var direct = await auditor.PostAsJsonAsync("api/reports", new { contract = ConsoleUnderTest.FirstContract, kind = "month", period = key, site = "OTQ" });
        Assert.That(direct.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var listed = await scoring.GetFromJsonAsync<JsonElement>($"api/reports?contract={ConsoleUnderTest.FirstContract}&kind=month&site=OTQ");
        Assert.That(listed.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("period").GetString() == key), Is.Empty, "the auditor generated nothing");
        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task Reports_AnEngineer_GetsThe403Page_AndNoWorkbook()
    {
        await using var browser = await BrowserSession.SignedInAsync("engineer");
        var page = browser.Page;
        Assert.That(await page.Locator("nav.menu a", new() { HasText = "报表" }).CountAsync(), Is.Zero);
        var response = await page.GotoAsync("reports");
        Assert.That(response!.Status, Is.EqualTo(403));
        Assert.That(await page.Locator("h1").TextContentAsync(), Is.EqualTo("无权访问"));

        foreach (var path in new[] { $"reports/{Guid.NewGuid()}/print", $"reports/{Guid.NewGuid()}/xlsx", $"ledger/export?format=csv&contract={ConsoleUnderTest.FirstContract}" })
        {
            var refused = await page.APIRequest.GetAsync(path);
            Assert.That(refused.Status, Is.EqualTo(403), path);
        }

        await browser.AssertWellBehavedAsync();
    }

    [Test]
    public async Task ReportPrint_ShowsThePeriodTheKpisAndTheWorkbooksSha_AndPrintedHasNoMenuNorButtons()
    {
        // The running month, with a breach in it: 未结束, and a breach to list.
        using var desk = ConsoleUnderTest.Tickets.Client();
        var number = await Apis.ReportFaultAsync(desk, "OTQ", "政务服务网", "报表打印页超时工单", reportedAt: DateTimeOffset.UtcNow.AddHours(-1));
        using var timer = ConsoleUnderTest.SlaTimer.Client();
        await Eventually.HoldsAsync(async () => await Apis.StateAsync(timer, number, "response") == "breached", TimeSpan.FromSeconds(30));
        var (key, name) = ThisMonth();
        using var scoring = ConsoleUnderTest.Scoring.Client();
        // Scoring has the breach in its ledger before a report is made: each report made is a workbook built and stored.
        await Eventually.HoldsAsync(async () => AssessmentTests.Entries(await AssessmentTests.AssessmentAsync(scoring)).Any(e => e.TicketNumber() == number), TimeSpan.FromSeconds(30));
        JsonElement report = default;
        await Eventually.HoldsAsync(async () =>
        {
            var made = await scoring.PostAsJsonAsync("api/reports", new { contract = ConsoleUnderTest.FirstContract, kind = "month", period = key });
            Assert.That(made.IsSuccessStatusCode, Is.True, await made.Content.ReadAsStringAsync());
            report = await made.Content.ReadFromJsonAsync<JsonElement>();
            var figures = await scoring.GetFromJsonAsync<JsonElement>($"api/reports/{report.GetProperty("id").GetGuid()}");
            return figures.GetProperty("figures").GetProperty("breaches").EnumerateArray().Any(b => b.GetProperty("ticketNumber").GetString() == number);
        }, TimeSpan.FromSeconds(30));
        var id = report.GetProperty("id").GetGuid();

        await using var browser = await BrowserSession.OpenAsync(1280, 900);
        await browser.Page.AddInitScriptAsync("window.print = () => { window.__printed = (window.__printed || 0) + 1; };");
        await browser.SignInAsAsync("manager");
        var page = browser.Page;
        await page.GotoAsync($"reports?kind=month");
        await page.Locator($"tr.report[data-id='{id}'] a.print").ClickAsync();
        await Assertions.Expect(page.Locator("article.report-print")).ToBeVisibleAsync();

        Assert.That(await page.Locator("h1").InnerTextAsync(), Does.Contain("智慧政务平台建设及运维服务").And.Contain($"月报 {name}"));
        Assert.That(await page.Locator(".in-progress").TextContentAsync(), Does.StartWith("未结束"));
        Assert.That(await page.Locator(".facts").First.TextContentAsync(), Does.Contain("鄂托克前旗政务服务与数据管理局").And.Contain("上海卓繁信息技术股份有限公司").And.Contain("¥515,136.00"));
        var kpis = page.Locator("table.kpis tbody tr");
        Assert.That(await kpis.CountAsync(), Is.GreaterThanOrEqualTo(5));
        Assert.That(await page.Locator("table.kpis tr[data-figure='responseRate'] td").Nth(1).TextContentAsync(), Is.EqualTo("100%"), "against the contract's 100 % target");
        Assert.That(await page.Locator("table.kpis tr[data-figure='responseRate'] td.value").TextContentAsync(), Does.Match(@"^(\d+(\.\d+)?%|—)$"));
        Assert.That(await page.Locator("table.breaches .number").AllTextContentsAsync(), Does.Contain(number), "every breach");
        Assert.That(await page.Locator("footer.evidence .sha").TextContentAsync(), Is.EqualTo(report.GetProperty("sha256").GetString()));
        Assert.That(await page.Locator("footer.evidence .id").TextContentAsync(), Is.EqualTo(id.ToString()));
        Assert.That(await page.Locator("footer.evidence .version").TextContentAsync(), Is.EqualTo(report.GetProperty("version").GetInt32().ToString(CultureInfo.InvariantCulture)));

        await page.GetByRole(AriaRole.Button, new() { Name = "打印" }).ClickAsync();
        await Eventually.HoldsAsync(async () => await page.EvaluateAsync<int>("window.__printed || 0") == 1, TimeSpan.FromSeconds(5));
        await browser.ScreenshotAsync("report-print-manager-1280");

        await Assertions.Expect(page.Locator("header.top")).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "打印" })).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("footer.evidence .sha")).ToBeVisibleAsync();
        Assert.That(await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('table.breaches thead')).display"), Is.EqualTo("table-header-group"));
        Assert.That(await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('table.items tfoot')).display"), Is.EqualTo("table-row-group"), "the total printed once, not on every page as a subtotal");
        await browser.ScreenshotAsync("report-print-manager-print");
        await browser.AssertWellBehavedAsync();

        // On a phone a breach's row reads across: 一般故障 on one line, and a time breaks between its day and hour only.
        await using var phone = await BrowserSession.SignedInAsync("manager", 375, 740);
        await phone.Page.GotoAsync($"reports/{id}/print");
        var row = phone.Page.Locator("table.breaches tr.breach").Filter(new() { HasText = number });
        await Assertions.Expect(row).ToBeVisibleAsync();
        Assert.That(await row.Locator("td").Nth(1).TextContentAsync(), Is.EqualTo("一般故障"));
        Assert.That(await row.Locator("td").Nth(1).EvaluateAsync<int>(Lines), Is.EqualTo(1), "a word of four characters is not stood on end");
        Assert.That(await row.Locator("td").Nth(4).TextContentAsync(), Does.Match(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        var parts = row.Locator("td .nowrap");
        Assert.That(await parts.CountAsync(), Is.GreaterThanOrEqualTo(4), "the deadline's and the breach's day and hour");
        foreach (var part in await parts.AllAsync())
        {
            Assert.That(await part.EvaluateAsync<int>(Lines), Is.EqualTo(1), await part.TextContentAsync());
        }

        Assert.That(await phone.Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375), "the table scrolls in its section, not the page");
        await phone.ScreenshotAsync("report-print-manager-375");
        await phone.AssertWellBehavedAsync();
    }

    [Test]
    public async Task ExportButtons_OnTheQueueAndTheAssessment_DownloadACsvThatStartsWithTheBom()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        await Apis.ReportFaultAsync(desk, "SHM", "其他", "导出检查，含逗号, 与\"引号\"", "severe");

        await using var engineer = await BrowserSession.SignedInAsync("engineer");
        await engineer.Page.GotoAsync("queue?site=SHM&level=severe");
        var csv = engineer.Page.Locator("a.export", new() { HasText = "导出 CSV" });
        Assert.That(await csv.GetAttributeAsync("href"), Is.EqualTo("tickets/export?format=csv&siteCode=SHM&kind=fault&severity=severe"), "the page's filters in the API's names");
        Assert.That(await engineer.Page.Locator("a.export", new() { HasText = "导出 Excel" }).GetAttributeAsync("href"), Is.EqualTo("tickets/export?format=xlsx&siteCode=SHM&kind=fault&severity=severe"));
        var tickets = await engineer.Page.RunAndWaitForDownloadAsync(() => csv.ClickAsync());
        var ticketBytes = await ReadAsync(tickets);
        Assert.That(ticketBytes[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "a BOM, so Excel reads Chinese");
        Assert.That(tickets.SuggestedFilename, Does.StartWith("工单-").And.EndWith(".csv"), "the API's file name, passed through");
        Assert.That(System.Text.Encoding.UTF8.GetString(ticketBytes), Does.Contain("\"导出检查，含逗号, 与\"\"引号\"\"\""), "the filtered ticket, quoted");
        await engineer.AssertWellBehavedAsync();

        await using var manager = await BrowserSession.SignedInAsync("manager");
        await manager.Page.GotoAsync("assessment");
        var ledger = await manager.Page.RunAndWaitForDownloadAsync(() => manager.Page.Locator("a.export", new() { HasText = "导出 CSV" }).ClickAsync());
        var ledgerBytes = await ReadAsync(ledger);
        Assert.That(ledgerBytes[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.That(ledger.SuggestedFilename, Is.EqualTo($"扣分台账-{ConsoleUnderTest.FirstContract}-{DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)):yyyyMMdd}.csv"));
        var excel = await manager.Page.RunAndWaitForDownloadAsync(() => manager.Page.Locator("a.export", new() { HasText = "导出 Excel" }).ClickAsync());
        Assert.That((await ReadAsync(excel))[..2], Is.EqualTo("PK"u8.ToArray()));
        await manager.AssertWellBehavedAsync();
    }

    /// <summary>How many lines an element's text stands on.</summary>
    private const string Lines = "e => { const r = document.createRange(); r.selectNodeContents(e); return new Set([...r.getClientRects()].map(c => Math.round(c.top))).size; }";

    private static async Task<byte[]> ReadAsync(IDownload download)
    {
        var path = Path.Combine(ConsoleUnderTest.DataDirectory, $"download-{Guid.NewGuid():N}");
        await download.SaveAsAsync(path);
        return await File.ReadAllBytesAsync(path);
    }
}
