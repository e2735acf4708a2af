using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Ops.Hosting.Http.Exports;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Testing;
using Ops.Tickets.Storage;

namespace Ops.Tickets.Tests;

/// <summary>
/// The ticket list as a file: CSV for Excel (a byte-order mark, RFC 4180 quoting) and XLSX (Chinese headers, a
/// frozen header row, real dates), with the list's filters and scope, the phone masked for everyone, streamed.
/// </summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class ExportTests(TestStore store) : ServiceTests<Program>(store)
{
    private static readonly string[] Headers =
        ["工单号", "类型", "标题", "站点", "系统", "严重程度/等级", "状态", "报修时间", "响应时间", "解决时间", "报修人", "报修人电话", "处理结果"];

    private const string Awkward = "综窗无法出件，\"加急\",两台, 都坏";

    private async Task<JsonElement> ReportAsync(Ops.Tickets.Intake.ReportTicketRequest report)
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", report);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<List<string[]>> CsvAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync($"/api/tickets/export?format=csv{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return CsvText.Parse(await response.Content.ReadAsByteArrayAsync());
    }

    [Test]
    public async Task ACsv_StartsWithTheBom_QuotesCommasQuotesAndLineBreaks_AndSaysItIsAFileNotToKeep()
    {
        var ticket = await ReportAsync(Reports.Valid() with { Title = Awkward, ReportedAt = Service.Time.GetUtcNow().AddMinutes(-30) });
        using var engineer = Service.ClientAs(Roles.Engineer, "王工");
        var resolved = await engineer.PostAsJsonAsync($"/api/tickets/{ticket.GetProperty("id")}/resolve", new { resolution = "更换打印模块，\n重启后\"正常\"出件" });
        Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var response = await Client.GetAsync("/api/tickets/export?format=csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/csv; charset=utf-8"));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileNameStar, Is.EqualTo("工单-OTQ-2026-OPS-20261124.csv"));
        Assert.That(response.Content.Headers.GetValues("Content-Disposition").Single(), Does.Contain("filename*=UTF-8''%E5%B7%A5%E5%8D%95-OTQ-2026-OPS-20261124.csv"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(bytes.Take(3), Is.EqualTo(CsvText.Bom), "the byte-order mark makes Excel read UTF-8");
        var text = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.That(text, Does.StartWith(string.Join(',', Headers) + "\r\n"));
        Assert.That(text, Does.Contain("\"综窗无法出件，\"\"加急\"\",两台, 都坏\""), "quoted, its quotes doubled");
        var rows = CsvText.Parse(bytes);
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0], Is.EqualTo(Headers));
        var row = rows[1];
        Assert.That(row[0], Is.EqualTo(ticket.GetProperty("number").GetString()));
        Assert.That(row[1], Is.EqualTo("故障"));
        Assert.That(row[2], Is.EqualTo(Awkward));
        Assert.That(row[3], Is.EqualTo("鄂托克前旗政务服务与数据管理局"));
        Assert.That(row[5], Is.EqualTo("严重"));
        Assert.That(row[6], Is.EqualTo("已解决"));
        Assert.That(row[7], Is.EqualTo("2026-11-24 09:30"), "Beijing time");
        Assert.That(row[9], Is.EqualTo("2026-11-24 10:00"));
        Assert.That(row[11], Is.EqualTo("138****5678"));
        Assert.That(row[12], Is.EqualTo("更换打印模块，\n重启后\"正常\"出件"));
    }

    [Test]
    public async Task AWorkbook_HasChineseHeaders_AFrozenHeaderRow_AndTimesAsExcelDates()
    {
        var ticket = await ReportAsync(Reports.Valid() with { Title = Awkward, ReportedAt = Service.Time.GetUtcNow().AddMinutes(-30) });
        using var engineer = Service.ClientAs(Roles.Engineer, "王工");

        using var response = await engineer.GetAsync("/api/tickets/export?format=xlsx");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileNameStar, Is.EqualTo("工单-OTQ-2026-OPS-20261124.xlsx"));
        var rows = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0].Keys, Is.EqualTo(Headers));
        Assert.That(rows[0]["工单号"], Is.EqualTo(ticket.GetProperty("number").GetString()));
        Assert.That(rows[0]["标题"], Is.EqualTo(Awkward));
        Assert.That(rows[0]["报修时间"], Is.EqualTo(new DateTime(2026, 11, 24, 9, 30, 0)), "a date in Beijing time, not text");
        Assert.That(rows[0]["报修人电话"], Is.EqualTo("138****5678"), "masked for an engineer too, who sees it whole on the ticket");
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var sheet = Read(zip, "xl/worksheets/sheet1.xml");
        var styles = Read(zip, "xl/styles.xml");
        Assert.That(sheet, Does.Contain("ySplit=\"1\"").And.Contain("state=\"frozen\""));
        Assert.That(styles, Does.Contain("formatCode=\"yyyy-mm-dd hh:mm\""));
    }

    [Test]
    public async Task ThePhone_IsMaskedForEveryRole_ThoughManagersAndEngineersSeeItWholeOnTheTicket()
    {
        var ticket = await ReportAsync(Reports.Valid());

        foreach (var role in new[] { Roles.Manager, Roles.Engineer, Roles.Operator, Roles.Auditor })
        {
            using var client = Service.ClientAs(role);
            var rows = await CsvAsync(client);
            var whole = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket.GetProperty("id")}");

            Assert.That(rows[1][11], Is.EqualTo("138****5678"), role);
            Assert.That(string.Join(',', rows[1]), Does.Not.Contain("12345678"), role);
            if (role is Roles.Manager or Roles.Engineer)
            {
                Assert.That(whole.GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo("13812345678"), "the ticket itself shows it whole to who calls back");
            }
        }
    }

    [Test]
    public async Task TheFilters_GiveTheSameTicketsAsTheList_InItsOrder_WithoutItsPaging()
    {
        var now = Service.Time.GetUtcNow();
        for (var i = 0; i < 12; i++)
        {
            await ReportAsync(Reports.Valid(i % 3 == 0 ? "severe" : "general", now.AddMinutes(-10 * i)) with { SiteCode = i % 2 == 0 ? "OTQ" : "SHM", Title = $"故障 {i}" });
        }

        await ReportAsync(Reports.Request());
        string[] queries =
        [
            "", "&siteCode=SHM", "&severity=severe", "&kind=request", "&kind=fault&siteCode=otq",
            "&from=2026-11-24T09:00:00%2B08:00&to=2026-11-24T09:31:00%2B08:00", "&status=open&severity=general",
        ];

        foreach (var query in queries)
        {
            var list = await Client.GetFromJsonAsync<JsonElement>($"/api/tickets?limit=200{query}");
            var listed = list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetString()).ToList();

            var exported = (await CsvAsync(Client, query)).Skip(1).Select(r => r[0]).ToList();

            Assert.That(exported, Is.EqualTo(listed), query);
            Assert.That(exported, Has.Count.LessThanOrEqualTo(13));
        }

        Assert.That((await CsvAsync(Client, "&siteCode=SHM")).Skip(1).Count(), Is.EqualTo(6));
        using var shm = Service.ClientAs(Roles.Engineer, Scope.Of(["OTQ-2026-OPS"], ["SHM"]));
        Assert.That((await CsvAsync(shm)).Skip(1).Select(r => r[3]).Distinct(), Is.EqualTo(new[] { "上海庙经济开发区政务服务分中心" }), "only the caller's sites");
    }

    [Test]
    public async Task ABadFormatOrFilter_Is400_NamingIt_AndAnExportOfNothing_StillHasItsHeaders()
    {
        await Problems.AssertAsync(await Client.GetAsync("/api/tickets/export?format=pdf"), HttpStatusCode.BadRequest, "format");
        await Problems.AssertAsync(await Client.GetAsync("/api/tickets/export?format=csv&status=closed"), HttpStatusCode.BadRequest, "status");
        await Problems.AssertAsync(await Client.GetAsync("/api/tickets/export?from=2026-11-24"), HttpStatusCode.BadRequest, "from");
        var both = await Client.GetAsync("/api/tickets/export?format=doc&acknowledgedBy=someone");
        await Problems.AssertAsync(both, HttpStatusCode.BadRequest, "format");
        await Problems.AssertAsync(both, HttpStatusCode.BadRequest, "acknowledgedBy");

        Assert.That(await CsvAsync(Client), Is.EqualTo(new[] { Headers }));
        using var workbook = await Client.GetAsync("/api/tickets/export?format=xlsx");
        var header = MiniExcel.Query(new MemoryStream(await workbook.Content.ReadAsByteArrayAsync())).Cast<IDictionary<string, object?>>().Single();
        Assert.That(header.Values, Is.EqualTo(Headers));
    }

    /// <summary>
    /// Enough rows to fill the writers' buffers and the workbook's compressed sheet many times over; that an export of
    /// 100,000 holds none of them in memory is the benchmark's to measure (export_rows_per_s and its peak memory).
    /// </summary>
    [Test]
    public async Task ThousandsOfTickets_ArriveComplete_AsCsvAndAsAWorkbook()
    {
        const int Count = 2_500;
        var sql = TicketSql.For(Database.Provider);
        var phones = Service.Services.GetRequiredService<PhoneCipher>();
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        foreach (var chunk in Enumerable.Range(0, Count).Chunk(1000))
        {
            await Database.WriteAsync(t => t.ExecuteAsync(sql.Insert, chunk.Select(i =>
            {
                var id = Guid.NewGuid();
                var reportedAt = start.AddMinutes(i);
                return new
                {
                    Id = id, Number = string.Create(CultureInfo.InvariantCulture, $"F2026110{i / 10000}-{i % 10000:0000}"), Version = 1L, Contract = "OTQ-2026-OPS",
                    Kind = "fault", Severity = "general", Grade = (string?)null, Status = "open", Channel = "phone", SiteCode = "OTQ", System = "综合一窗受理平台",
                    Title = $"批量故障 {i}, \"{i}\"", Description = (string?)null, ReporterName = "李女士", ReporterPhone = phones.Encrypt(id, "13812345678"),
                    ReportedAt = reportedAt, AcknowledgedAt = (DateTimeOffset?)null, AcknowledgedBy = (string?)null, ResolvedAt = (DateTimeOffset?)null,
                    ResolvedBy = (string?)null, Resolution = (string?)null, ExternalRef = (string?)null, Reopens = 0, TimeResolvedMs = 0L, PausesJson = "[]",
                    CreatedAt = reportedAt, UpdatedAt = reportedAt,
                };
            })));
        }

        var csv = await CsvAsync(Client);
        using var workbook = await Client.GetAsync("/api/tickets/export?format=xlsx");
        var sheet = MiniExcel.Query(await workbook.Content.ReadAsStreamAsync(), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();

        Assert.That(csv, Has.Count.EqualTo(Count + 1));
        Assert.That(csv.Skip(1).Select(r => r[0]).Distinct().Count(), Is.EqualTo(Count));
        Assert.That(csv[1][2], Is.EqualTo($"批量故障 {Count - 1}, \"{Count - 1}\""), "newest report first");
        Assert.That(csv[^1][7], Is.EqualTo("2026-11-01 00:00"));
        Assert.That(sheet, Has.Count.EqualTo(Count));
        Assert.That(sheet[^1]["报修时间"], Is.EqualTo(new DateTime(2026, 11, 1, 0, 0, 0)));
    }

    [Test]
    public async Task TheWriter_WritesMoneyAsANumberInYuan_AndNeutralisesFormulas_InBothFormats()
    {
        ExportColumn<(string Text, decimal Money, DateTimeOffset Time, int Count)>[] columns =
        [
            new("文字", r => r.Text),
            new("金额", r => r.Money, ExportKind.Money),
            new("时间", r => r.Time, ExportKind.Time),
            new("数量", r => r.Count, ExportKind.Number),
        ];
        var rows = new[] { ("=HYPERLINK(\"http://x\")", 25756.8m, new DateTimeOffset(2026, 12, 1, 13, 5, 0, TimeSpan.Zero), 3) };

        using var csv = new MemoryStream();
        using var xlsx = new MemoryStream();
        Assert.That(await ExportFile.WriteAsync(csv, ExportFormat.Csv, columns, rows.ToAsyncEnumerable()), Is.EqualTo(1));
        Assert.That(await ExportFile.WriteAsync(xlsx, ExportFormat.Xlsx, columns, rows.ToAsyncEnumerable()), Is.EqualTo(1));

        var csvRows = CsvText.Parse(csv.ToArray());
        Assert.That(csvRows[1], Is.EqualTo(new[] { "'=HYPERLINK(\"http://x\")", "25756.80", "2026-12-01 21:05", "3" }));
        xlsx.Position = 0;
        var cells = MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object?>>().Single();
        Assert.That(cells["文字"], Is.EqualTo("=HYPERLINK(\"http://x\")"), "a workbook holds it as text, never as a formula");
        Assert.That(cells["金额"], Is.TypeOf<double>().And.EqualTo(25756.8).Within(0.001), "a number, not text");
        Assert.That(cells["时间"], Is.EqualTo(new DateTime(2026, 12, 1, 21, 5, 0)));
        using var zip = new ZipArchive(new MemoryStream(xlsx.ToArray()));
        var sheet = Read(zip, "xl/worksheets/sheet1.xml");
        Assert.That(Read(zip, "xl/styles.xml"), Does.Contain("formatCode=\"\\¥#,##0.00\""), "¥#,##0.00, the sign escaped");
        Assert.That(sheet, Does.Not.Contain("<x:f>"), "no formula anywhere");
        Assert.That(sheet, Does.Match(@"<x:c r=""B2"" s=""\d+""><x:v>25756\.8</x:v>"), "money is a number (no t=\"str\"), formatted by its style");
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
