using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MiniExcelLibs;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>The deduction ledger as a list (ledger order, keyset paging, filters) and as a CSV or Excel file with the same filters.</summary>
public class LedgerTests : ServiceTests<Program>
{
    private static readonly string[] Headers =
        ["序号", "考核项目", "分值", "来源", "原因", "工单号", "时限类型", "时限", "超时时间", "冲抵条目", "发生时间", "记录时间", "记录人"];

    /// <summary>A breach (item 6), four manual deductions (items 8, 8, 4, 8, in the order recorded) and a waiver of the first.</summary>
    private async Task<(ClockFacts Breach, Guid Waived)> SeedAsync()
    {
        var breached = Clocks.Running(ClockKind.Repair, Severity.Severe).Breached();
        await Service.Harness.Bus.Publish(new SlaBreached(breached));
        await EventuallyAsync(async () => (await ItemsAsync("/api/ledger")).Count == 1);
        using var manager = Service.ClientAs(Roles.Manager, "李娜");
        var ids = new List<Guid>();
        foreach (var (item, points, reason, occurredAt) in new[]
        {
            (8, 1m, "10月月报逾期5天提交，\"已补交\"", "2026-11-05T10:00:00+08:00"),
            (8, 0.5m, "周报缺两期", "2026-10-12T10:00:00+08:00"),
            (4, 2m, "升级改造延期\n未报备", "2026-09-01T09:00:00+08:00"),
            (8, 1.25m, "季度报告逾期", "2026-11-20T10:00:00+08:00"),
        })
        {
            var created = await manager.PostAsJsonAsync("/api/assessment/deductions", new { item, points, reason, occurredAt });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        var waived = await manager.PostAsJsonAsync("/api/assessment/waivers", new { deduction = ids[0], reason = "局方同意延期" });
        Assert.That(waived.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        return (breached, ids[0]);
    }

    private async Task<List<JsonElement>> ItemsAsync(string path, HttpClient? client = null) =>
        [.. (await (client ?? Client).GetFromJsonAsync<JsonElement>(path)).GetProperty("items").EnumerateArray()];

    private static async Task<List<string[]>> CsvAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/api/ledger/export?format=csv{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return CsvText.Parse(await response.Content.ReadAsByteArrayAsync());
    }

    [Test]
    public async Task TheLedger_ListsEveryEntryInLedgerOrder_PagedByEntryNumber()
    {
        var (breach, waived) = await SeedAsync();

        var all = await ItemsAsync("/api/ledger");
        var pages = new List<JsonElement>();
        var after = "";
        for (var i = 0; i < 10; i++)
        {
            var page = await Client.GetFromJsonAsync<JsonElement>($"/api/ledger?limit=4{after}");
            pages.AddRange(page.GetProperty("items").EnumerateArray());
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                break;
            }

            after = $"&after={page.GetProperty("next").GetInt64()}";
        }

        Assert.That(all.Select(e => e.GetProperty("source").GetString()), Is.EqualTo(new[] { "breach", "manual", "manual", "manual", "manual", "waiver" }));
        Assert.That(all[0].GetProperty("ticketNumber").GetString(), Is.EqualTo(breach.TicketNumber));
        Assert.That(all[^1].GetProperty("compensates").GetGuid(), Is.EqualTo(waived));
        Assert.That(pages.Select(e => e.GetProperty("id").GetGuid()), Is.EqualTo(all.Select(e => e.GetProperty("id").GetGuid())), "two pages of four, nothing lost or repeated");
    }

    [TestCase("", 6)]
    [TestCase("&item=8", 4)]
    [TestCase("&source=manual", 4)]
    [TestCase("&source=waiver&item=8", 1)]
    [TestCase("&from=2026-10-01T00:00:00%2B08:00&to=2026-11-06T00:00:00%2B08:00", 3)]
    [TestCase("&contract=OTQ-2026-OPS&item=4&source=breach", 0)]
    public async Task TheExport_GivesTheListsEntries_ForTheSameFilters(string query, int count)
    {
        await SeedAsync();

        var listed = await ItemsAsync($"/api/ledger?limit=200{query}");
        var exported = await CsvAsync(Client, query);

        Assert.That(listed, Has.Count.EqualTo(count));
        Assert.That(exported[0], Is.EqualTo(Headers));
        Assert.That(exported.Skip(1).Select(r => r[4]), Is.EqualTo(listed.Select(e => e.GetProperty("reason").GetString())));
        Assert.That(exported.Skip(1).Select(r => decimal.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(listed.Select(e => e.GetProperty("points").GetDecimal())));
    }

    [Test]
    public async Task TheWorkbook_HasChineseHeaders_DatesNotText_PointsAsNumbers_AndNamesTheEntryAWaiverTakesBack()
    {
        var (breach, _) = await SeedAsync();
        using var auditor = Service.ClientAs(Roles.Auditor, "审计");

        using var response = await auditor.GetAsync("/api/ledger/export?format=xlsx");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentDisposition?.FileNameStar, Is.EqualTo("扣分台账-OTQ-2026-OPS-20261124.xlsx"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        var rows = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.That(rows, Has.Count.EqualTo(6));
        Assert.That(rows[0].Keys, Is.EqualTo(Headers));
        Assert.That(rows[0]["考核项目"], Is.EqualTo("6 应急响应"));
        Assert.That(rows[0]["来源"], Is.EqualTo("超时扣分"));
        Assert.That(rows[0]["工单号"], Is.EqualTo(breach.TicketNumber));
        Assert.That(rows[0]["时限类型"], Is.EqualTo("修复"));
        Assert.That(rows[0]["时限"], Is.EqualTo(breach.Deadline.ToOffset(TimeSpan.FromHours(8)).DateTime), "a date in Beijing time, not text");
        Assert.That(rows[3]["原因"], Is.EqualTo("升级改造延期\n未报备"));
        Assert.That(rows[5]["来源"], Is.EqualTo("豁免"));
        Assert.That(rows[5]["冲抵条目"], Is.EqualTo(rows[1]["序号"]), "the waiver names the entry it takes back by its number");
        Assert.That(rows[5]["记录人"], Is.EqualTo("李娜"));
        using var zip = new ZipArchive(new MemoryStream(bytes));
        using var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        using var styles = new StreamReader(zip.GetEntry("xl/styles.xml")!.Open());
        Assert.That(await sheet.ReadToEndAsync(), Does.Contain("state=\"frozen\"").And.Match(@"<x:c r=""C2"" s=""\d+""><x:v>2</x:v>"));
        Assert.That(await styles.ReadToEndAsync(), Does.Contain("formatCode=\"0.00\"").And.Contain("formatCode=\"yyyy-mm-dd hh:mm\""));
    }

    [Test]
    public async Task AuditorsMayReadAndExport_EngineersAndTheDeskMayNot()
    {
        await SeedAsync();

        foreach (var role in new[] { Roles.Auditor, Roles.Manager })
        {
            using var client = Service.ClientAs(role);
            Assert.That(await ItemsAsync("/api/ledger", client), Has.Count.EqualTo(6), role);
            Assert.That(await CsvAsync(client, ""), Has.Count.EqualTo(7), role);
        }

        foreach (var role in new[] { Roles.Engineer, Roles.Operator, Roles.Intake })
        {
            using var client = Service.ClientAs(role);
            await Problems.AssertAsync(await client.GetAsync("/api/ledger"), HttpStatusCode.Forbidden);
            await Problems.AssertAsync(await client.GetAsync("/api/ledger/export?format=xlsx"), HttpStatusCode.Forbidden);
        }

        using var otherContract = Service.ClientAs(Roles.Auditor, Scope.Of(["OTQ-2026-OPS"], ["SHM"]));
        await Problems.AssertAsync(await otherContract.GetAsync("/api/ledger/export"), HttpStatusCode.BadRequest, "contract");
    }

    [TestCase("/api/ledger/export?format=pdf", "format")]
    [TestCase("/api/ledger/export?item=16", "item")]
    [TestCase("/api/ledger/export?source=deduction", "source")]
    [TestCase("/api/ledger?after=-1", "after")]
    [TestCase("/api/ledger?limit=201", "limit")]
    [TestCase("/api/ledger?contract=NOPE", "contract")]
    [TestCase("/api/ledger?from=2026-11-25T00:00:00%2B08:00&to=2026-11-24T00:00:00%2B08:00", "to")]
    public async Task ABadQuery_Is400_NamingIt(string path, string field)
    {
        await Problems.AssertAsync(await Client.GetAsync(path), HttpStatusCode.BadRequest, field);
    }
}
