using System.Text.Json.Nodes;
using Ops.Scoring.Reports;
using Ops.Testing;

namespace Ops.Scoring.Tests.Reports;

/// <summary>The same facts on SQLite and on PostgreSQL make the same reports: every figure, and the digest of the ticket list.</summary>
public class ReportOnBothStoresTests
{
    [Test]
    public async Task AMonthsReports_HaveTheSameFiguresAndTicketDigest_OnPostgresAsOnSqlite()
    {
        await using var sqlite = await TempDatabase.CreateAsync(TestStore.Sqlite, typeof(ReportStore).Assembly);
        await using var postgres = await TempDatabase.CreateAsync(TestStore.Postgres, typeof(ReportStore).Assembly);
        var figures = new List<List<JsonNode>>();
        foreach (var database in new[] { sqlite, postgres })
        {
            var (ledger, _, reports) = OctoberFacts.On(database.Database);
            await OctoberFacts.RecordAsync(ledger);
            var made = new List<JsonNode>();
            foreach (var (period, site) in new[] { (OctoberFacts.October, (string?)null), (OctoberFacts.October, "SHM"), (OctoberFacts.November, null) })
            {
                var (report, _) = await reports.GenerateAsync(Seed.Terms, period, site, ReportStore.System, OctoberFacts.AfterOctober);
                made.Add(Comparable((await reports.FindAsync(report.Id, workbook: false))!.Figures!));
            }

            figures.Add(made);
        }

        Assert.That(figures[0][0]["whole"]!["faults"]!.GetValue<long>(), Is.EqualTo(8), "the month's faults, on SQLite");
        Assert.That(figures[0][0]["ticketsSha256"]!.GetValue<string>(), Has.Length.EqualTo(64));
        for (var i = 0; i < figures[0].Count; i++)
        {
            Assert.That(figures[1][i].ToJsonString(), Is.EqualTo(figures[0][i].ToJsonString()), $"report {i}");
        }
    }

    /// <summary>
    /// The figures with each ledger entry's id (made afresh on each store) replaced by its number, and the entry it takes
    /// back by that entry's number.
    /// </summary>
    private static JsonNode Comparable(string json)
    {
        var figures = JsonNode.Parse(json)!;
        var ledger = figures["ledger"]!.AsArray();
        var numbers = ledger.ToDictionary(e => e!["id"]!.GetValue<string>(), e => e!["entryNo"]!.GetValue<long>());
        foreach (var entry in ledger)
        {
            entry!["id"] = numbers[entry["id"]!.GetValue<string>()];
            if (entry["compensates"] is { } compensates)
            {
                entry["compensates"] = numbers.TryGetValue(compensates.GetValue<string>(), out var number) ? number : "an entry of another period";
            }
        }

        return figures;
    }
}
