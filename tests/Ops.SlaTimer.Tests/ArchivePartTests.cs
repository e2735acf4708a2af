using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ops.Contracts.Tickets;
using Ops.Hosting.Archive;
using Ops.Hosting.Security;
using Ops.SlaTimer.Archive;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The sla-timer's part of the yearly archive, as scoring fetches it: every clock of the year's tickets and its outcome.</summary>
public class ArchivePartTests : ServiceTests<Program>
{
    private const string Year = "contract=OTQ-2026-OPS&year=2026";

    private async Task<TicketFacts> ReportAsync(DateTimeOffset reportedAt)
    {
        var ticket = Tickets.Fault(Severity.Severe, reportedAt);
        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        await EventuallyAsync(async () => (await StatesAsync(ticket)).Count == 2);
        return ticket;
    }

    /// <summary>The states of the ticket's clocks; none while it has none (404).</summary>
    private async Task<List<string?>> StatesAsync(TicketFacts ticket)
    {
        var response = await Client.GetAsync($"/api/tickets/{ticket.TicketId}/clocks");
        return response.IsSuccessStatusCode
            ? [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(c => c.GetProperty("state").GetString())]
            : [];
    }

    private async Task<byte[]> FileAsync(string name)
    {
        var response = await Client.GetAsync($"/api/archive/part/file?{Year}&name={Uri.EscapeDataString(name)}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Test]
    public async Task EveryClockOfTheYear_IsThere_WithItsOutcome()
    {
        var now = Service.Time.GetUtcNow();
        var breached = await ReportAsync(now.AddHours(-5));
        await EventuallyAsync(async () => (await StatesAsync(breached)).All(s => s == "breached"));
        var running = await ReportAsync(now.AddMinutes(-1));

        var lines = Encoding.UTF8.GetString(await FileAsync(ClockArchive.Clocks)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var csv = await FileAsync(ClockArchive.ClocksCsv);

        Assert.That(lines.Select(l => (l.GetProperty("ticketNumber").GetString(), l.GetProperty("state").GetString())), Is.EquivalentTo(new[]
        {
            (breached.Number, "breached"), (breached.Number, "breached"), (running.Number, "running"), (running.Number, "running"),
        }));
        Assert.That(lines[0].GetProperty("ticketNumber").GetString(), Is.EqualTo(breached.Number), "first reported first");
        Assert.That(lines[0].GetProperty("deadline").GetString(), Does.EndWith("Z"));
        Assert.That(csv.Take(3), Is.EqualTo(CsvText.Bom));
        var rows = CsvText.Parse(csv);
        Assert.That(rows.Skip(1).Select(r => r[rows[0].ToList().IndexOf("结果")]), Is.EquivalentTo(new[] { "已超时", "已超时", "计时中", "计时中" }));
    }

    [Test]
    public async Task TheListing_GivesTheClockOutcomesChainsHead_ToManagersAndAuditorsOnly()
    {
        var breached = await ReportAsync(Service.Time.GetUtcNow().AddHours(-5));
        await EventuallyAsync(async () => (await StatesAsync(breached)).All(s => s == "breached"));
        using var auditor = Service.ClientAs(Roles.Auditor);
        using var engineer = Service.ClientAs(Roles.Engineer);

        var listing = await auditor.GetFromJsonAsync<ArchivePartListing>($"/api/archive/part?{Year}");

        Assert.That(listing!.Files, Is.EqualTo(new[] { ClockArchive.Clocks, ClockArchive.ClocksCsv }));
        Assert.That(listing.Chains.Single(c => c.Service == "sla-timer").LastSeq, Is.GreaterThanOrEqualTo(2));
        Assert.That((await engineer.GetAsync($"/api/archive/part?{Year}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        await Problems.AssertAsync(await Client.GetAsync("/api/archive/part?contract=OTQ-2026-OPS&year=2031"), HttpStatusCode.BadRequest, "year");
    }
}
