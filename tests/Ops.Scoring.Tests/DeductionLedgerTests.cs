using Dapper;
using Ops.Contracts.Scoring;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Audit;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Scoring.Ledger;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>The deduction ledger on each store: what SLA events deduct, once; retractions; manual entries; thresholds; the seal.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class DeductionLedgerTests(TestStore store)
{
    private static readonly DateTimeOffset Now = Clocks.Reported.AddDays(1);

    private static readonly Actor LiNa = new("user:lina", "李娜");

    private TempDatabase database = null!;
    private DeductionLedger ledger = null!;

    [SetUp]
    public async Task CreateLedger()
    {
        database = await TempDatabase.CreateAsync(store, typeof(DeductionLedger).Assembly);
        ledger = Seed.LedgerOn(database.Database);
    }

    [TearDown]
    public async Task DropLedger() => await database.DisposeAsync();

    private async Task<IReadOnlyList<Deduction>> EntriesAsync() =>
        (await database.Database.ReadAsync(c => c.QueryAsync<Deduction>(LedgerSql.For(database.Database.Provider).LedgerInChainOrder))).AsList();

    private async Task<ChainReport> VerifyAsync() =>
        (await new EvidenceVerifier(database.Database, TestSecrets.Evidence(database.Database),
            [new ChainedTable<Deduction>(DeductionLedger.LedgerChain, ("", ""), LedgerSql.For(database.Database.Provider).LedgerInChainOrder)]).VerifyAsync()).Single();

    private async Task<decimal> Item6Async() =>
        (await ledger.ItemTotalsAsync(Seed.Terms)).Where(t => t.Item == 6).Sum(t => t.Hundredths) / 100m;

    [TestCase(ClockKind.Response, Severity.Severe, 1)]
    [TestCase(ClockKind.Repair, Severity.General, 1)]
    [TestCase(ClockKind.Repair, Severity.Severe, 2)]
    public async Task ABreachedClock_DeductsTheRulesPoints_FromItem6(ClockKind which, Severity severity, decimal points)
    {
        var clock = Clocks.Running(which, severity);

        await ledger.RecordClockAsync(clock, Now);
        await ledger.RecordClockAsync(clock.Breached(), Now);

        var entry = (await EntriesAsync()).Single();
        Assert.That((entry.Item, entry.Points, entry.Source), Is.EqualTo((6, points, DeductionSource.Breach)));
        Assert.That((entry.TicketNumber, entry.Deadline, entry.OccurredAt), Is.EqualTo((clock.TicketNumber, clock.Deadline, clock.Deadline)));
        Assert.That(entry.Reason, Does.Contain(clock.TicketNumber).And.Contain("（北京时间）"));
        var published = (await database.Database.MessagesAsync<DeductionRecorded>()).Single();
        Assert.That((published.DeductionId, published.Points, published.ClockId), Is.EqualTo((entry.Id, points, (Guid?)clock.ClockId)));
    }

    [TestCase(ClockKind.Response, 0.5)]
    [TestCase(ClockKind.Completion, 1)]
    public async Task ALateServiceRequest_DeductsFromItem9_NotItem6(ClockKind which, decimal points)
    {
        var clock = Clocks.Request(which).Breached();

        await ledger.RecordClockAsync(clock, Now);

        var entry = (await EntriesAsync()).Single();
        Assert.That((entry.Item, entry.Points), Is.EqualTo((9, points)));
        Assert.That(entry.Reason, Does.StartWith($"服务请求（一般）{(which == ClockKind.Response ? "响应" : "办结")}超时"));
    }

    [Test]
    [SetUICulture("en")]
    public async Task ABreachDeductionsReason_IsChinese_WithTheOverrunInWords_WhateverLanguageTheCallerReads()
    {
        var clock = Clocks.Running(ClockKind.Repair, Severity.Severe);

        await ledger.RecordClockAsync(clock.StoppedAfter(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(135)), Now);

        Assert.That((await EntriesAsync()).Single().Reason,
            Is.EqualTo($"严重故障修复超时 2小时15分：工单 {clock.TicketNumber}，截止时间 2026-11-24 13:00:00（北京时间）。"));
    }

    [Test]
    public async Task ABreachRecordedAtItsDeadline_SaysWhenItWasDue_WithoutAnOverrunOfSeconds()
    {
        var clock = Clocks.Running(ClockKind.Response, Severity.General);

        await ledger.RecordClockAsync(clock.Breached(), Now);

        Assert.That((await EntriesAsync()).Single().Reason,
            Is.EqualTo($"一般故障响应超时：工单 {clock.TicketNumber}，截止时间 2026-11-24 09:30:00（北京时间）。"));
    }

    [Test]
    public async Task ARunningOrMetClock_DeductsNothing()
    {
        var clock = Clocks.Running();

        await ledger.RecordClockAsync(clock, Now);
        await ledger.RecordClockAsync(clock.StoppedAfter(TimeSpan.FromHours(3)), Now);

        Assert.That(await EntriesAsync(), Is.Empty);
    }

    [Test]
    public async Task ABreachDeliveredTwice_OrAfterAnOlderEvent_DeductsOnce()
    {
        var started = Clocks.Running();
        var breached = started.Breached();

        Assert.That(await ledger.RecordClockAsync(breached, Now), Is.True);
        Assert.That(await ledger.RecordClockAsync(breached, Now), Is.False);
        Assert.That(await ledger.RecordClockAsync(started, Now), Is.False);
        Assert.That(await ledger.RecordClockAsync(breached.StoppedAfter(TimeSpan.FromHours(6)), Now), Is.True);

        Assert.That((await EntriesAsync()).Count, Is.EqualTo(1));
        Assert.That(await Item6Async(), Is.EqualTo(2m));
        Assert.That((await database.Database.MessagesAsync<DeductionRecorded>()).Count, Is.EqualTo(1));
    }

    [Test]
    public async Task AStopInTime_ThatArrivesAfterTheBreach_TakesTheDeductionBack_Once()
    {
        var breached = Clocks.Running().Breached();
        await ledger.RecordClockAsync(breached, Now);

        var metLate = breached.StoppedAfter(TimeSpan.FromHours(3));
        await ledger.RecordClockAsync(metLate, Now);
        await ledger.RecordClockAsync(metLate with { Sequence = metLate.Sequence + 1 }, Now);

        var entries = await EntriesAsync();
        Assert.That(entries.Select(e => (e.Source, e.Points)), Is.EqualTo(new[] { (DeductionSource.Breach, 2m), (DeductionSource.Retraction, -2m) }));
        Assert.That(entries[1].Compensates, Is.EqualTo(entries[0].Id));
        Assert.That(await Item6Async(), Is.EqualTo(0m));
    }

    [Test]
    public async Task ABreachTakenBack_ThenBreachedAgainAfterAReopen_IsDeductedAgain_AndItsRepeatsChangeNothing()
    {
        var breached = Clocks.Running().Breached();
        var metLate = breached.StoppedInTime();
        var breachedAgain = metLate.Reopened(TimeSpan.FromHours(2)).Breached();
        foreach (var clock in new[] { breached, metLate, metLate.Reopened(TimeSpan.FromHours(2)), breachedAgain })
        {
            Assert.That(await ledger.RecordClockAsync(clock, Now), Is.True);
        }

        Assert.That(await ledger.RecordClockAsync(breachedAgain, Now), Is.False, "the second breach delivered twice");
        Assert.That(await ledger.RecordClockAsync(breachedAgain.StoppedAfter(TimeSpan.FromHours(9)), Now), Is.True, "stopped late: still the second breach");

        var entries = await EntriesAsync();
        Assert.That(entries.Select(e => (e.Source, e.Points)), Is.EqualTo(new[]
        {
            (DeductionSource.Breach, 2m), (DeductionSource.Retraction, -2m), (DeductionSource.Breach, 2m),
        }));
        Assert.That(entries.Select(e => e.ClockId), Is.All.EqualTo(breached.ClockId));
        Assert.That((entries[1].Compensates, entries[1].OccurredAt), Is.EqualTo(((Guid?)entries[0].Id, entries[0].OccurredAt)));
        Assert.That((entries[0].BreachedAt, entries[2].BreachedAt), Is.EqualTo((breached.BreachedAt, breachedAgain.BreachedAt)));
        Assert.That(entries[2].Deadline, Is.EqualTo(breachedAgain.Deadline), "the reopened clock's deadline, later by the time resolved");
        Assert.That(await Item6Async(), Is.EqualTo(2m), "one live breach deduction for the clock");
        Assert.That((await database.Database.MessagesAsync<DeductionRecorded>()).Select(m => m.Source), Is.EqualTo(new[] { "breach", "retraction", "breach" }));
        Assert.That((await VerifyAsync()).Intact, Is.True);
    }

    [Test]
    public async Task TheSecondBreachAlsoStoppedInTime_IsTakenBackToo_Once()
    {
        var breached = Clocks.Running().Breached();
        var breachedAgain = breached.StoppedInTime().Reopened(TimeSpan.FromHours(2)).Breached();
        foreach (var clock in new[] { breached, breached.StoppedInTime(), breachedAgain })
        {
            await ledger.RecordClockAsync(clock, Now);
        }

        var metAgain = breachedAgain.StoppedInTime();
        await ledger.RecordClockAsync(metAgain, Now);
        await ledger.RecordClockAsync(metAgain with { Sequence = metAgain.Sequence + 1 }, Now);

        var entries = await EntriesAsync();
        Assert.That(entries.Select(e => e.Source), Is.EqualTo(new[] { DeductionSource.Breach, DeductionSource.Retraction, DeductionSource.Breach, DeductionSource.Retraction }));
        Assert.That((entries[1].Compensates, entries[3].Compensates), Is.EqualTo(((Guid?)entries[0].Id, (Guid?)entries[2].Id)));
        Assert.That(await Item6Async(), Is.EqualTo(0m));
    }

    [Test]
    public async Task TheSecondBreach_ArrivingBeforeTheStopThatEndedTheFirst_StillLeavesOneLiveDeduction()
    {
        var breached = Clocks.Running().Breached();
        var metLate = breached.StoppedInTime();
        var breachedAgain = metLate.Reopened(TimeSpan.FromHours(2)).Breached();

        await ledger.RecordClockAsync(breached, Now);
        await ledger.RecordClockAsync(breachedAgain, Now);
        Assert.That(await ledger.RecordClockAsync(metLate, Now), Is.False, "older than what scoring knows");

        var entries = await EntriesAsync();
        Assert.That(entries.Select(e => e.Source), Is.EqualTo(new[] { DeductionSource.Breach, DeductionSource.Retraction, DeductionSource.Breach }));
        Assert.That(entries[1].Compensates, Is.EqualTo(entries[0].Id));
        Assert.That(await Item6Async(), Is.EqualTo(2m));
    }

    [Test]
    public async Task AWaivedBreach_StaysWaived_AndTheClocksNextBreach_IsDeductedAndCanBeWaivedToo()
    {
        var breached = Clocks.Running().Breached();
        await ledger.RecordClockAsync(breached, Now);
        var first = (await EntriesAsync()).Single();
        await ledger.WaiveAsync(first.Id, "非乙方责任", LiNa, Now, Scope.All);
        var breachedAgain = breached.StoppedInTime().Reopened(TimeSpan.FromHours(2)).Breached();
        await ledger.RecordClockAsync(breached.StoppedInTime(), Now);
        await ledger.RecordClockAsync(breachedAgain, Now);
        var second = (await EntriesAsync()).Last();

        var (waiver, refusal) = await ledger.WaiveAsync(second.Id, "仍非乙方责任", LiNa, Now, Scope.All);

        Assert.That(refusal, Is.Null);
        Assert.That((await EntriesAsync()).Select(e => e.Source), Is.EqualTo(new[] { DeductionSource.Breach, DeductionSource.Waiver, DeductionSource.Breach, DeductionSource.Waiver }),
            "no retraction of the waived breach");
        Assert.That(waiver!.Compensates, Is.EqualTo(second.Id));
        Assert.That(await Item6Async(), Is.EqualTo(0m));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task ABreachPublishedAgain_ByATimerRestoredFromABackup_IsNotDeductedTwice_NorWhenItsClockStopsLater(bool waived)
    {
        var running = Clocks.Running();
        var breached = running.Breached();
        await ledger.RecordClockAsync(running, Now);
        await ledger.RecordClockAsync(breached, Now);
        if (waived)
        {
            await ledger.WaiveAsync((await EntriesAsync()).Single().Id, "非乙方责任", LiNa, Now, Scope.All);
        }

        // The timer's store restored to the running clock: it breaches the clock again, later, with the same change number.
        var breachedAgain = running.Breached() with { BreachedAt = breached.BreachedAt!.Value.AddHours(3) };
        Assert.That(await ledger.RecordClockAsync(breachedAgain, Now), Is.False, "the same change of the clock");
        Assert.That(await ledger.RecordClockAsync(breachedAgain.StoppedAfter(TimeSpan.FromHours(9)), Now), Is.True, "the ticket resolved after the restore");

        var entries = await EntriesAsync();
        Assert.That(entries.Select(e => e.Source), Is.EqualTo(waived ? new[] { DeductionSource.Breach, DeductionSource.Waiver } : new[] { DeductionSource.Breach }),
            "one breach of one deadline: neither taken back and deducted anew, nor deducted again after its waiver");
        Assert.That(await Item6Async(), Is.EqualTo(waived ? 0m : 2m));
        Assert.That((await database.Database.MessagesAsync<DeductionRecorded>()).Count, Is.EqualTo(entries.Count));
    }

    [Test]
    public async Task ABreachTakenBack_ThenABreachOfAnEqualDeadline_AfterAReopenAndAnUpgrade_IsDeductedAgain()
    {
        var running = Clocks.Running(severity: Severity.General);
        await ledger.RecordClockAsync(running, Now);
        var breached = running.Breached();
        await ledger.RecordClockAsync(breached, Now);
        var met = breached.StoppedInTime();
        await ledger.RecordClockAsync(met, Now);

        // Reopened after 20 hours resolved and raised to severe: 4 hours plus 20 excluded end where the 24 hours did.
        var reopened = met with
        {
            Sequence = met.Sequence + 1, State = ClockState.Running, StoppedAt = null, BreachedAt = null, Reopens = 1,
            Severity = Severity.Severe, Target = TimeSpan.FromHours(4), Excluded = TimeSpan.FromHours(20), Deadline = running.Deadline,
        };
        await ledger.RecordClockAsync(reopened, Now);
        await ledger.RecordClockAsync(reopened with { Sequence = reopened.Sequence + 1, State = ClockState.Breached, BreachedAt = running.Deadline.AddSeconds(5) }, Now);

        Assert.That((await EntriesAsync()).Select(e => e.Source), Is.EqualTo(new[] { DeductionSource.Breach, DeductionSource.Retraction, DeductionSource.Breach }),
            "a breach taken back is not the same breach as a new one of an equal deadline");
    }

    [Test]
    public async Task ASecondCompensationOfOneEntry_IsRefusedByTheLedgerItself()
    {
        await ledger.RecordClockAsync(Clocks.Running().Breached(), Now);
        var breach = (await EntriesAsync()).Single();
        await ledger.WaiveAsync(breach.Id, "非乙方责任", LiNa, Now, Scope.All);
        var waiver = (await EntriesAsync())[1];

        Assert.That(async () => await database.Database.WriteAsync(t => t.ExecuteAsync(
                "INSERT INTO deductions (id, contract, item, points_hundredths, source, reason, compensates, occurred_at, recorded_at, recorded_by) " +
                "SELECT @Id, contract, item, points_hundredths, 'retraction', reason, compensates, occurred_at, recorded_at, recorded_by FROM deductions WHERE id = @Waiver",
                new { Id = Guid.NewGuid(), Waiver = waiver.Id })),
            Throws.Exception.With.Matches<Exception>(e => database.Database.Provider.IsUniqueViolation(e)));
    }

    [Test]
    public async Task AWaiver_TakesTheDeductionBack_InTheManagersName_AndKeepsBothEntries()
    {
        await ledger.RecordClockAsync(Clocks.Running().Breached(), Now);
        var breach = (await EntriesAsync()).Single();

        var (waiver, refusal) = await ledger.WaiveAsync(breach.Id, "盟级统一平台故障，非乙方责任", LiNa, Now, Scope.All);

        Assert.That(refusal, Is.Null);
        Assert.That((waiver!.Source, waiver.Points, waiver.Compensates, waiver.RecordedBy, waiver.Item), Is.EqualTo((DeductionSource.Waiver, -2m, (Guid?)breach.Id, "李娜", 6)));
        Assert.That((await EntriesAsync()).Count, Is.EqualTo(2));
        Assert.That(await Item6Async(), Is.EqualTo(0m));
        Assert.That((await database.Database.MessagesAsync<DeductionRecorded>()).Last().Source, Is.EqualTo("waiver"));
    }

    [Test]
    public async Task ADeductionIsTakenBackOnce_WhetherByWaiverOrByALateStopInTime()
    {
        var breached = Clocks.Running().Breached();
        await ledger.RecordClockAsync(breached, Now);
        var breach = (await EntriesAsync()).Single();
        await ledger.WaiveAsync(breach.Id, "非乙方责任", LiNa, Now, Scope.All);

        var (again, refusal) = await ledger.WaiveAsync(breach.Id, "again", LiNa, Now, Scope.All);
        var (ofAWaiver, notADeduction) = await ledger.WaiveAsync((await EntriesAsync())[1].Id, "again", LiNa, Now, Scope.All);
        await ledger.RecordClockAsync(breached.StoppedAfter(TimeSpan.FromHours(3)), Now);

        Assert.That((again, ofAWaiver), Is.EqualTo(((Deduction?)null, (Deduction?)null)));
        var waiver = (await EntriesAsync())[1];
        Assert.That(refusal, Is.EqualTo($"Ledger entry {breach.Id} was already taken back by entry {waiver.Id} (waiver)."), "named by the ids the assessment shows");
        Assert.That(notADeduction, Is.EqualTo($"Ledger entry {waiver.Id} is a waiver of -2 points, not a deduction; only deductions can be waived."));
        Assert.That((await EntriesAsync()).Count, Is.EqualTo(2), "no retraction after the waiver");
        Assert.That(await Item6Async(), Is.EqualTo(0m));
    }

    [Test]
    public async Task WaivingAnEntryThatDoesNotExist_ChangesNothing()
    {
        var (waiver, refusal) = await ledger.WaiveAsync(Guid.NewGuid(), "x", LiNa, Now, Scope.All);

        Assert.That((waiver, refusal), Is.EqualTo(((Deduction?)null, (string?)null)));
        Assert.That(await EntriesAsync(), Is.Empty);
    }

    [Test]
    public async Task AClockOfAContractNobodyConfigured_IsRefused_AndRecordsNothing()
    {
        var stranger = Clocks.Running().Breached() with { Contract = "NOT-A-CONTRACT" };

        Assert.That(async () => await ledger.RecordClockAsync(stranger, Now), Throws.InvalidOperationException.With.Message.Contains("NOT-A-CONTRACT"));
        Assert.That(await EntriesAsync(), Is.Empty);
    }

    [Test]
    public async Task AManualDeduction_IsRecordedInTheManagersName_OnItsItem()
    {
        var entry = await ledger.AddManualAsync(Seed.Terms, 8, 1.5m, "10月月报逾期5天提交", Now, LiNa, Now);

        Assert.That((entry.Item, entry.Points, entry.Source, entry.RecordedBy), Is.EqualTo((8, 1.5m, DeductionSource.Manual, "李娜")));
        Assert.That((await ledger.ItemTotalsAsync(Seed.Terms)).Single(), Is.EqualTo(new ItemTotal { Item = 8, Hundredths = 150, Entries = 1 }));
    }

    [Test]
    public async Task PassingTwentyAndFortyPoints_IsAnnouncedOnceEach()
    {
        foreach (var item in new[] { 4, 5, 6, 7, 14 })
        {
            await ledger.AddManualAsync(Seed.Terms, item, 10, "整改未完成", Now, LiNa, Now);
        }

        await ledger.AddManualAsync(Seed.Terms, 1, 5, "人员缺岗", Now, LiNa, Now);

        var crossed = await database.Database.MessagesAsync<AssessmentThresholdCrossed>();
        Assert.That(crossed.Select(c => (c.Threshold, c.TotalDeduction)), Is.EqualTo(new[] { (20m, 30m), (40m, 50m) }));
    }

    [Test]
    public async Task AnEntryOutsideTheServiceYear_IsKept_ButDoesNotCount()
    {
        var lastYear = Clocks.Running(reportedAt: Seed.Terms.Period.From.AddDays(-2)).Breached();

        await ledger.RecordClockAsync(lastYear, Now);

        Assert.That((await EntriesAsync()).Count, Is.EqualTo(1));
        Assert.That(await ledger.ItemTotalsAsync(Seed.Terms), Is.Empty);
    }

    [Test]
    public async Task APageAndAnExport_ListTheFiltersEntries_InLedgerOrder()
    {
        await ledger.RecordClockAsync(Clocks.Running().Breached(), Now);
        await ledger.AddManualAsync(Seed.Terms, 13, 1, "档案缺失", Now, LiNa, Now);
        await ledger.AddManualAsync(Seed.Terms, 12, 0.5m, "巡检报告未按时提交", Now.AddDays(-3), LiNa, Now);
        await ledger.WaiveAsync((await EntriesAsync())[0].Id, "非乙方责任", LiNa, Now, Scope.All);
        var entries = await EntriesAsync();
        var all = new LedgerFilter(Seed.Terms, null, null, null, null, LedgerFilter.MaxLimit, 0);

        Assert.That((await ledger.PageAsync(all)).Select(e => e.Id), Is.EqualTo(entries.Select(e => e.Id)));
        Assert.That((await ledger.PageAsync(all with { Limit = 2, After = entries[0].EntryNo })).Select(e => e.Id), Is.EqualTo(entries.Skip(1).Take(2).Select(e => e.Id)));
        var manualOfTheDay = all with { Source = DeductionSource.Manual, From = Now.AddDays(-1), To = Now.AddDays(1) };
        Assert.That((await ledger.PageAsync(manualOfTheDay)).Select(e => e.Item), Is.EqualTo(new[] { 13 }));

        var lines = new List<LedgerLine>();
        await foreach (var line in ledger.ExportAsync(all with { Item = 6 }))
        {
            lines.Add(line);
        }

        Assert.That(lines.Select(l => (l.EntryNo, l.Source, l.CompensatesEntryNo)), Is.EqualTo(new[]
        {
            (entries[0].EntryNo, DeductionSource.Breach, (long?)null),
            (entries[3].EntryNo, DeductionSource.Waiver, (long?)entries[0].EntryNo),
        }));
    }

    [Test]
    public async Task EveryEntry_IsSealedIntoTheLedgerChain_AndTheLedgerIsAppendOnly()
    {
        await ledger.RecordClockAsync(Clocks.Running().Breached(), Now);
        await ledger.AddManualAsync(Seed.Terms, 13, 1, "档案缺失", Now, LiNa, Now);

        var verifier = new EvidenceVerifier(database.Database, TestSecrets.Evidence(database.Database),
            [new ChainedTable<Deduction>(DeductionLedger.LedgerChain, ("", ""), LedgerSql.For(database.Database.Provider).LedgerInChainOrder)]);
        var report = (await verifier.VerifyAsync()).Single();

        Assert.That((report.Entries, report.Intact), Is.EqualTo((2L, true)));
        Assert.That(async () => await database.Database.WriteAsync(t => t.ExecuteAsync("UPDATE deductions SET points_hundredths = 0")),
            Throws.Exception.With.Message.Contains("append-only"));
        Assert.That(async () => await database.Database.WriteAsync(t => t.ExecuteAsync("DELETE FROM deductions")),
            Throws.Exception.With.Message.Contains("append-only"));
    }
}
