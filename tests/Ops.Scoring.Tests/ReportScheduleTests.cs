using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Scoring.Reports;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>The schedule: every period's whole-contract report at 01:00 Shanghai time after it ends, and the ones missed while scoring was down.</summary>
public class ReportScheduleTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private string dataDirectory = null!;

    [SetUp]
    public void CreateDataDirectory() => dataDirectory = TestFolder.Create();

    [TearDown]
    public void DeleteDataDirectory()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }

    /// <summary>Scoring on the test's data directory, its clock at <paramref name="now"/>, once the schedule's run at start-up is over.</summary>
    private async Task<(ServiceFactory<Program> Service, FakeTimeProvider Time)> StartAsync(DateTimeOffset now)
    {
        // Before the factory's own clock, which starts later: the service's clock is this one.
        var time = new FakeTimeProvider(now);
        var service = new ServiceFactory<Program>();
        service.Settings["Database:DataDirectory"] = dataDirectory;
        service.Settings["Reports:Schedule"] = "true";
        service.TestServices.Add(services => services.AddSingleton<TimeProvider>(time));
        service.CreateClient().Dispose();
        await Eventually.HoldsAsync(() => Task.FromResult(service.Services.GetRequiredService<ReportSchedule>().Runs >= 1), TimeSpan.FromSeconds(30));
        return (service, time);
    }

    private static async Task<List<(string Kind, string Period, int Version, string GeneratedBy, bool InProgress)>> ReportsAsync(ServiceFactory<Program> service)
    {
        using var client = service.CreateClient();
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/reports?contract={Seed.Contract}");
        return [.. list.GetProperty("items").EnumerateArray().Select(r => (
            r.GetProperty("kind").GetString()!, r.GetProperty("period").GetString()!, r.GetProperty("version").GetInt32(),
            r.GetProperty("generatedBy").GetString()!, r.GetProperty("inProgress").GetBoolean()))];
    }

    [Test]
    public async Task MonthsMissedWhileScoringWasDown_AreGeneratedAtStart_Once_AndTheRunningMonthIsNot()
    {
        var now = new DateTimeOffset(2026, 4, 1, 2, 0, 0, Shanghai);
        List<(string Kind, string Period, int Version, string GeneratedBy, bool InProgress)> first, second;
        var (service, _) = await StartAsync(now);
        await using (service)
        {
            first = await ReportsAsync(service);
        }

        var (restarted, _) = await StartAsync(now.AddMinutes(5));
        await using (restarted)
        {
            second = await ReportsAsync(restarted);
        }

        var expected = new[] { ("month", "2026-03", 1, "系统", false), ("month", "2026-02", 1, "系统", false) };
        Assert.That(first, Is.EqualTo(expected), "February (one day) and March; April runs, Q1 ends on 2026-05-28");
        Assert.That(second, Is.EqualTo(expected), "the same two, once");
    }

    [Test]
    public async Task TwoInstancesStartingTogether_GenerateEachMissedPeriodOnce()
    {
        var now = new DateTimeOffset(2026, 9, 1, 2, 0, 0, Shanghai);

        var started = await Task.WhenAll(Task.Run(() => StartAsync(now)), Task.Run(() => StartAsync(now)));
        var reports = await ReportsAsync(started[0].Service);
        foreach (var (service, _) in started)
        {
            await service.DisposeAsync();
        }

        Assert.That(reports.Select(r => (r.Kind, r.Period, r.Version)), Is.EqualTo(new[]
        {
            ("month", "2026-08", 1), ("quarter", "Q2", 1), ("month", "2026-07", 1), ("month", "2026-06", 1), ("month", "2026-05", 1),
            ("quarter", "Q1", 1), ("month", "2026-04", 1), ("month", "2026-03", 1), ("month", "2026-02", 1),
        }));
    }

    [Test]
    public async Task AtOneOClockAfterAMonthEnds_ItsReportIsGenerated_AndAtOnceItsQuarterToo()
    {
        var (service, time) = await StartAsync(new DateTimeOffset(2026, 5, 28, 0, 59, 0, Shanghai));
        await using var running = service;
        var before = await ReportsAsync(service);
        var schedule = service.Services.GetRequiredService<ReportSchedule>();

        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.HoldsAsync(() => Task.FromResult(schedule.Runs >= 2), TimeSpan.FromSeconds(30));
        var after = await ReportsAsync(service);

        Assert.That(before.Select(r => r.Period), Is.EqualTo(new[] { "2026-04", "2026-03", "2026-02" }), "Q1 ended at midnight: due at 01:00");
        Assert.That(after.Select(r => (r.Kind, r.Period)), Is.EqualTo(new[] { ("quarter", "Q1"), ("month", "2026-04"), ("month", "2026-03"), ("month", "2026-02") }));
    }

    [Test]
    public async Task ABreachConsumedAfterTheStartUpRun_ReachesTheClosedMonthsNewestVersion_AtTheNextRun()
    {
        // Scoring was down when November ended: the start-up run makes November before the backlog's breach is consumed.
        var (service, time) = await StartAsync(new DateTimeOffset(2026, 12, 1, 2, 0, 0, Shanghai));
        await using var running = service;
        var schedule = service.Services.GetRequiredService<ReportSchedule>();
        await service.Harness.Bus.Publish(new SlaBreached(Clocks.Running(ClockKind.Repair, Severity.Severe, reportedAt: new DateTimeOffset(2026, 11, 20, 9, 0, 0, Shanghai)).Breached()));
        using var client = service.CreateClient();
        await Eventually.HoldsAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/api/ledger?contract=" + Seed.Contract)).GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromDays(1));
        await Eventually.HoldsAsync(() => Task.FromResult(schedule.Runs >= 2), TimeSpan.FromSeconds(30));
        var november = (await ReportsAsync(service)).Where(r => r.Kind == "month" && r.Period == "2026-11").ToList();
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/reports?contract={Seed.Contract}&kind=month");
        var newest = list.GetProperty("items").EnumerateArray().First(r => r.GetProperty("period").GetString() == "2026-11").GetProperty("id").GetGuid();
        var figures = (await client.GetFromJsonAsync<JsonElement>($"/api/reports/{newest}")).GetProperty("figures");

        Assert.That(november.Select(r => (r.Version, r.GeneratedBy, r.InProgress)), Is.EqualTo(new[] { (2, "系统", false), (1, "系统", false) }), "version 1 is kept");
        Assert.That(figures.GetProperty("breaches").GetArrayLength(), Is.EqualTo(1), "the newest version holds the breach");

        // The next run finds the figures unchanged and stores nothing more.
        time.Advance(TimeSpan.FromDays(1));
        await Eventually.HoldsAsync(() => Task.FromResult(schedule.Runs >= 3), TimeSpan.FromSeconds(30));
        Assert.That((await ReportsAsync(service)).Count(r => r.Period == "2026-11"), Is.EqualTo(2));
    }

    [Test]
    public void TheNextRun_IsTheNext0100InShanghai()
    {
        Assert.That(ReportSchedule.NextRun(new DateTimeOffset(2026, 4, 1, 0, 59, 59, Shanghai)), Is.EqualTo(new DateTimeOffset(2026, 4, 1, 1, 0, 0, Shanghai)));
        Assert.That(ReportSchedule.NextRun(new DateTimeOffset(2026, 4, 1, 1, 0, 0, Shanghai)), Is.EqualTo(new DateTimeOffset(2026, 4, 2, 1, 0, 0, Shanghai)));
        Assert.That(ReportSchedule.NextRun(new DateTimeOffset(2026, 3, 31, 20, 0, 0, TimeSpan.Zero)), Is.EqualTo(new DateTimeOffset(2026, 4, 2, 1, 0, 0, Shanghai)), "04:00 on 1 April in Shanghai");
    }
}
