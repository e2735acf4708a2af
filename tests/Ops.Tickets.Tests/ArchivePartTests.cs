using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ops.Hosting.Archive;
using Ops.Hosting.Security;
using Ops.Testing;
using Ops.Tickets.Archive;

namespace Ops.Tickets.Tests;

/// <summary>The tickets' part of the yearly archive, as scoring fetches it: the listing with the timeline chain's head, and each file.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class ArchivePartTests(TestStore store) : ServiceTests<Program>(store)
{
    private const string Year = "contract=OTQ-2026-OPS&year=2026";

    private async Task<JsonElement> ReportAsync(DateTimeOffset reportedAt)
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid(reportedAt: reportedAt));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<byte[]> FileAsync(string name, HttpClient? client = null)
    {
        var response = await (client ?? Client).GetAsync($"/api/archive/part/file?{Year}&name={Uri.EscapeDataString(name)}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Test]
    public async Task EveryTicketOfTheYear_IsThere_WithItsTimeline_InUtc_ThePhoneMasked()
    {
        var later = await ReportAsync(Service.Time.GetUtcNow().AddHours(-1));
        var earlier = await ReportAsync(Service.Time.GetUtcNow().AddHours(-3));
        Assert.That((await Client.PostAsync($"/api/tickets/{earlier.GetProperty("id").GetGuid()}/acknowledge", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var lines = Encoding.UTF8.GetString(await FileAsync(TicketArchive.Tickets)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        Assert.That(lines.Select(l => l.GetProperty("number").GetString()), Is.EqualTo(new[] { earlier.GetProperty("number").GetString(), later.GetProperty("number").GetString() }));
        Assert.That(lines[0].GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "reported", "acknowledged" }));
        Assert.That(lines[0].GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo("138****5678"));
        Assert.That(lines[0].GetProperty("reportedAt").GetString(), Is.EqualTo("2026-11-23T23:00:00.0000000Z"));
    }

    [Test]
    public async Task TheListing_GivesItsFiles_AndTheTimelineChainsHead()
    {
        await ReportAsync(Service.Time.GetUtcNow().AddHours(-1));
        await ReportAsync(Service.Time.GetUtcNow().AddHours(-2));

        var listing = await Client.GetFromJsonAsync<ArchivePartListing>($"/api/archive/part?{Year}");

        Assert.That(listing!.Files, Is.EqualTo(new[] { TicketArchive.Tickets, TicketArchive.TicketsCsv, TicketArchive.TimelineCsv }));
        var head = listing.Chains.Single(c => c.Chain == "ticket-timeline");
        Assert.That((head.Service, head.LastSeq, head.LastHash.Length), Is.EqualTo(("tickets", 2L, 64)));
    }

    [Test]
    public async Task TheCsvFiles_StartWithAByteOrderMark_InBeijingTime()
    {
        await ReportAsync(new DateTimeOffset(2026, 11, 24, 8, 5, 0, TimeSpan.FromHours(8)));

        var tickets = await FileAsync(TicketArchive.TicketsCsv);
        var timeline = await FileAsync(TicketArchive.TimelineCsv);

        Assert.That((tickets.Take(3), timeline.Take(3)), Is.EqualTo((new byte[] { 0xEF, 0xBB, 0xBF }, new byte[] { 0xEF, 0xBB, 0xBF })));
        var rows = CsvText.Parse(tickets);
        Assert.That(rows[1][rows[0].ToList().IndexOf("报修时间")], Is.EqualTo("2026-11-24 08:05"));
        Assert.That(rows[1][rows[0].ToList().IndexOf("报修人电话")], Is.EqualTo("138****5678"));
        Assert.That(CsvText.Parse(timeline).Select(r => r.Length > 3 ? r[3] : ""), Has.Member("reported"));
    }

    [Test]
    public async Task Auditors_MayReadThePart_EngineersMayNot()
    {
        using var auditor = Service.ClientAs(Roles.Auditor);
        using var engineer = Service.ClientAs(Roles.Engineer);

        Assert.That((await auditor.GetAsync($"/api/archive/part?{Year}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await engineer.GetAsync($"/api/archive/part?{Year}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await engineer.GetAsync($"/api/archive/part/file?{Year}&name={TicketArchive.Tickets}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task AYearOutsideTheContract_IsRefused_NamingYear_AndAnUnknownFileNamingName()
    {
        await Problems.AssertAsync(await Client.GetAsync("/api/archive/part?contract=OTQ-2026-OPS&year=2027"), HttpStatusCode.BadRequest, "year");
        await Problems.AssertAsync(await Client.GetAsync($"/api/archive/part/file?contract=OTQ-2026-OPS&year=2024&name={TicketArchive.Tickets}"), HttpStatusCode.BadRequest, "year");
        await Problems.AssertAsync(await Client.GetAsync($"/api/archive/part/file?{Year}&name=tickets/../scoring.db"), HttpStatusCode.BadRequest, "name");
    }
}
