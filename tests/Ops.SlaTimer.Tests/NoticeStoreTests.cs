using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.Storage;
using Ops.SlaTimer.WeCom;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>What the notices keep on each store: the notices owed, the record of each notice, the hand-over notices and the WeCom card presses.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class NoticeStoreTests(TestStore kind)
{
    private const string Contract = "OTQ-2026-OPS";
    private static readonly DateTimeOffset At = Tickets.Reported;

    private static readonly EscalationBook Chain = new(new Dictionary<string, EscalationChain>
    {
        [Contract] = new() { Levels = [new EscalationLevel { Name = "项目经理", Url = "http://127.0.0.1:9/hook", From = 80 }] },
    });

    private TempDatabase database = null!;

    [SetUp]
    public async Task CreateDatabase() => database = await TempDatabase.CreateAsync(kind, typeof(ClockStore).Assembly);

    [TearDown]
    public async Task DropDatabase() => await database.DisposeAsync();

    private static ClockFacts Clock(TicketFacts ticket) =>
        ClockRules.Apply(ticket, new SlaTargets(), [], ticket.ReportedAt, Guid.NewGuid).Changed.Single(c => c.Clock == ClockKind.Response).ToFacts();

    [Test]
    public async Task NoticesAreOwed_ForTheStagesTheChainHasALevelFor_AndToldOnce_OldestFirst()
    {
        var pending = new PendingNotices(database.Database, Chain);
        var clock = Clock(Tickets.Fault());
        await database.Database.WriteAsync(t => pending.AddAllAsync(t, [new Notice(clock, 50), new Notice(clock, 80), new Notice(clock, 100)]));
        await database.Database.WriteAsync(t => pending.AddAsync(t, clock with { ClockId = Guid.NewGuid() }, 100));

        var owed = await pending.NextAsync(2);
        var told = new List<Notice>();
        Assert.That(await pending.TellAsync(owed[0], (notice, _) => { told.Add(notice); return Task.CompletedTask; }), Is.True);
        await pending.DoneAsync(owed[1].Id);

        Assert.That(owed.Select(p => p.Notice.Stage), Is.EqualTo(new[] { 80, 100 }), "50 % has no level");
        Assert.That(told.Single().Clock.ClockId, Is.EqualTo(clock.ClockId));
        var left = await pending.NextAsync(10);
        Assert.That(left.Select(p => (p.Notice.Stage, p.Notice.Clock.ClockId == clock.ClockId)), Is.EqualTo(new[] { (100, false) }));
    }

    [Test]
    public async Task ANoticeThatFailsToBeTold_IsOwedStill()
    {
        var pending = new PendingNotices(database.Database, Chain);
        await database.Database.WriteAsync(t => pending.AddAsync(t, Clock(Tickets.Fault()), 100));
        var owed = (await pending.NextAsync(10)).Single();

        Assert.That(async () => await pending.TellAsync(owed, (_, _) => throw new TimeoutException("the robot did not answer")), Throws.TypeOf<TimeoutException>());

        Assert.That((await pending.NextAsync(10)).Select(p => p.Id), Is.EqualTo(new[] { owed.Id }));
    }

    private static Notification Notification(Guid clockId, string ticket, int stage, string level, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at),
        ClockId = clockId,
        TicketNumber = ticket,
        Contract = Contract,
        Clock = "response",
        Stage = stage,
        Level = level,
        Channel = NotificationChannel.WeCom,
        Status = NotificationStatus.Sending,
        Attempts = 0,
        CreatedAt = at,
    };

    [Test]
    public async Task ANotice_IsClaimedOncePerClockStageAndLevel_AndListedWithinTheCallersScope()
    {
        var clocks = new ClockStore(database.Database, new Outbox(TimeProvider.System), TestSecrets.Evidence(database.Database),
            new ContractTargets(new Dictionary<string, SlaTargets> { [Contract] = new() }), new PendingNotices(database.Database, EscalationBook.None));
        var here = Tickets.Fault();
        var there = Tickets.Fault() with { SiteCode = "HQ" };
        await clocks.ApplyTicketAsync(here, At);
        await clocks.ApplyTicketAsync(there, At);
        var hereClock = (await clocks.OfTicketAsync(here.Number)).Single(c => c.Clock == ClockKind.Response).Id;
        var thereClock = (await clocks.OfTicketAsync(there.Number)).Single(c => c.Clock == ClockKind.Response).Id;
        var store = new NotificationStore(database.Database);

        var first = Notification(hereClock, here.Number, 100, "项目经理", At.AddMinutes(30));
        Assert.That(await store.ClaimAsync(first), Is.True);
        Assert.That(await store.ClaimAsync(Notification(hereClock, here.Number, 100, "项目经理", At.AddMinutes(31))), Is.False, "claimed before");
        Assert.That(await store.ClaimAsync(Notification(hereClock, here.Number, 100, "部门领导", At.AddMinutes(32)) with { Reason = "代“项目经理”" }), Is.True);
        Assert.That(await store.ClaimAsync(Notification(thereClock, there.Number, 80, "项目经理", At.AddMinutes(33))), Is.True);
        await store.FinishAsync(first.Id, NotificationStatus.Failed, 3, "HTTP 502", At.AddMinutes(34), reason: "已转告");

        var (all, total) = await store.ListAsync(null, null, 10, 0, Scope.All);
        var (failed, failedTotal) = await store.ListAsync(NotificationStatus.Failed, here.Number, 10, 0, Scope.All);
        var (site, siteTotal) = await store.ListAsync(null, null, 1, 1, Scope.Of([Contract], ["OTQ"]));

        Assert.That(all.Select(n => (n.TicketNumber, n.Level)), Is.EqualTo(new[] { (there.Number, "项目经理"), (here.Number, "部门领导"), (here.Number, "项目经理") }), "newest first");
        Assert.That(total, Is.EqualTo(3));
        var finished = failed.Single();
        Assert.That((finished.Status, finished.Attempts, finished.Error, finished.Reason, finished.FinishedAt, failedTotal),
            Is.EqualTo((NotificationStatus.Failed, 3, (string?)"HTTP 502", (string?)"已转告", (DateTimeOffset?)At.AddMinutes(34), 1L)));
        Assert.That((site.Single().Id, siteTotal), Is.EqualTo((first.Id, 2L)), "the second of the site's two, newest first");
        Assert.That(await store.FailedSinceAsync(At.AddMinutes(30)), Is.EqualTo(1));
        Assert.That(await store.FailedSinceAsync(At.AddMinutes(31)), Is.Zero);
    }

    [Test]
    public async Task AHandover_IsClaimedOnce_UnlessTheClaimWasAbandoned()
    {
        var store = new HandoverStore(database.Database);
        var handover = At.AddHours(8);

        Assert.That(await store.ClaimAsync(Contract, "primary", handover, "eng-1", "张工", 3, At), Is.True);
        Assert.That(await store.ClaimAsync(Contract, "primary", handover, "eng-1", "张工", 3, At.AddMinutes(1)), Is.False, "another sla-timer is telling it");
        Assert.That(await store.ClaimAsync(Contract, "primary", handover, "eng-2", "李工", 3, At.AddMinutes(1)), Is.True, "another engineer takes over");
        Assert.That(await store.ClaimAsync(Contract, "primary", handover, "eng-1", "张工", 4, At + HandoverStore.Abandoned + TimeSpan.FromSeconds(1)), Is.True, "abandoned");
        await store.FinishAsync(Contract, "primary", handover, "eng-1", null, At.AddMinutes(6));
        Assert.That(await store.ClaimAsync(Contract, "primary", handover, "eng-1", "张工", 4, At.AddHours(1)), Is.False, "told");
    }

    [Test]
    public async Task ACardPress_AcknowledgesItsTicketOnce()
    {
        var presses = new WeComPresses(database.Database, new Outbox(TimeProvider.System));
        var ticket = Guid.NewGuid();
        var press = new AcknowledgeTicket(ticket, "F20261124-0001", "张工", "eng-1", null, "wecom", At, "event-1");

        Assert.That(await presses.RecordAsync(Contract, "zhangsan", press), Is.EqualTo(PressOutcome.Recorded));
        Assert.That(await presses.RecordAsync(Contract, "zhangsan", press), Is.EqualTo(PressOutcome.Replayed));
        Assert.That(await presses.RecordAsync(Contract, "lisi", press with { Engineer = "李工", EngineerId = "eng-2", EventId = "event-2" }), Is.EqualTo(PressOutcome.TicketTaken));

        Assert.That((await database.Database.MessagesAsync<AcknowledgeTicket>()).Single(), Is.EqualTo(press));
    }
}
