using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ops.Hosting.Archive;
using Ops.Scoring.Archive;
using Ops.Scoring.Assessment;
using Ops.Scoring.Reports;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>The yearly archives of the seed contract run for two service years (2026-02-28 – 2028-02-27).</summary>
public class ArchiveOfALongContractTests : ServiceTests<Program>
{
    private static readonly string SigningKey = ArchiveSignature.NewKeyPair().PrivateKey;

    protected override void Configure(ServiceFactory<Program> service)
    {
        service.Settings[$"Contracts:{Seed.Contract}:ServiceEnd"] = "2028-02-27";
        service.Settings["Archive:SigningKey"] = SigningKey;
        var tickets = new ArchivePartStandIn("tickets", "ticket-timeline", new() { ["tickets/tickets.jsonl"] = "" });
        var clocks = new ArchivePartStandIn("sla-timer", "clock-outcomes", new() { ["clocks/clocks.jsonl"] = "" });
        service.TestServices.Add(s =>
        {
            s.AddHttpClient(ArchiveAssembler.TicketsClient).ConfigurePrimaryHttpMessageHandler(() => tickets);
            s.AddHttpClient(ArchiveAssembler.SlaTimerClient).ConfigurePrimaryHttpMessageHandler(() => clocks);
        });
    }

    [Test]
    public async Task AReportAcrossTheEdgeOfTwoServiceYears_IsInTheArchiveOfEach()
    {
        // February 2027 runs to the 28th in the first year and on from it in the second.
        await GenerateAsync(ReportKind.Month, "2026-11", new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        await GenerateAsync(ReportKind.Month, "2027-02", new DateTimeOffset(2027, 3, 2, 0, 0, 0, TimeSpan.Zero));
        await GenerateAsync(ReportKind.Month, "2027-05", new DateTimeOffset(2027, 6, 2, 0, 0, 0, TimeSpan.Zero));

        var first = await ArchiveAsync(2026);
        var second = await ArchiveAsync(2027);

        Assert.That(PeriodsOf(first), Is.EqualTo(new[] { "2026-11", "2027-02" }));
        Assert.That(PeriodsOf(second), Is.EqualTo(new[] { "2027-02", "2027-05" }));
        var workbook = ReportFiles(second).Single(f => f.Contains("2027-02", StringComparison.Ordinal) && f.EndsWith(".xlsx", StringComparison.Ordinal));
        Assert.That(second[workbook], Is.EqualTo(first[workbook]), "the same stored workbook in both");
    }

    [Test]
    public async Task TheSecondYearsAssessment_CountsFromTheContractsStart_ItsLedgerOnlyTheYear()
    {
        var deducted = await Client.PostAsJsonAsync("/api/assessment/deductions", new { contract = Seed.Contract, item = 13, points = 2, reason = "档案缺少三月的巡检记录" });
        Assert.That(deducted.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var second = await ArchiveAsync(2027);

        var assessment = JsonDocument.Parse(second[ScoringArchive.Assessment]).RootElement;
        Assert.That(assessment.GetProperty("firstDay").GetString(), Is.EqualTo("2027-02-28"));
        Assert.That(assessment.GetProperty("assessment").GetProperty("totalDeduction").GetDecimal(), Is.EqualTo(2m), "the first year's deduction counts");
        Assert.That(second[ScoringArchive.Ledger], Is.Empty, "the ledger file holds the year's entries alone");
    }

    private async Task GenerateAsync(ReportKind kind, string key, DateTimeOffset now)
    {
        var terms = Service.Services.GetRequiredService<ContractBook>().Contracts[Seed.Contract];
        var period = ReportPeriods.Of(terms, kind, key) ?? throw new AssertionException($"no period {key}");
        await Service.Services.GetRequiredService<ReportStore>().GenerateAsync(terms, period, null, ReportStore.System, now);
    }

    private async Task<Dictionary<string, byte[]>> ArchiveAsync(int year)
    {
        var response = await Client.GetAsync($"/api/archive?contract={Seed.Contract}&year={year}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var archive = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        });
    }

    private static IEnumerable<string> PeriodsOf(Dictionary<string, byte[]> entries) =>
        Encoding.UTF8.GetString(entries[ScoringArchive.Reports]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("period").GetString()!);

    private static IEnumerable<string> ReportFiles(Dictionary<string, byte[]> entries) => entries.Keys.Where(k => k.StartsWith("reports/", StringComparison.Ordinal));
}
