using Microsoft.Extensions.Configuration;
using Ops.Contracts.Sla;
using Ops.Hosting.Contracts;
using Ops.Hosting.Messaging;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.Storage;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>Service requests: a response and a completion clock by grade, in working time across China's 2026 holidays; stored on each store.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class RequestClockTests(TestStore kind)
{
    /// <summary>The seed contract's targets as shipped, with the shipped holiday files.</summary>
    private static readonly SlaTargets Seed = FromSeed();

    private static SlaTargets FromSeed()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "contracts.json"), optional: false).Build();
        return ContractTargets.From(ContractsFile.Read(configuration).Checked(), configuration).For("OTQ-2026-OPS");
    }

    private static DateTimeOffset Shanghai(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static ClockChanges Apply(Contracts.Tickets.TicketFacts ticket, IReadOnlyList<SlaClock> clocks, DateTimeOffset now) =>
        ClockRules.Apply(ticket, Seed, clocks, now, Guid.NewGuid);

    private static SlaClock Of(IEnumerable<SlaClock> clocks, ClockKind which) => clocks.Single(c => c.Clock == which);

    [Test]
    public void ANormalRequest_OnTheEveOfNationalDay_IsDueInWorkingTime_AfterTheHoliday()
    {
        var started = Apply(Tickets.Request("normal", Shanghai(9, 30, 16)), [], Shanghai(9, 30, 16)).Changed;

        // 2 working hours: 16:00–18:00 on 30 September. 14: 2 h that day, 7 h on 8 October, 5 h on 9 October (08:30–12:00, 14:30–16:00).
        Assert.That(started.Select(c => c.Clock), Is.EquivalentTo(new[] { ClockKind.Response, ClockKind.Completion }));
        Assert.That(Of(started, ClockKind.Response).Deadline, Is.EqualTo(Shanghai(9, 30, 18)));
        Assert.That(Of(started, ClockKind.Completion).Deadline, Is.EqualTo(Shanghai(10, 9, 16)));
        Assert.That(started.Select(c => (c.Calendar, c.Grade)), Is.All.EqualTo((ClockCalendar.Working, "normal")));
    }

    [Test]
    public void AWorkingTimeClock_WarnsAtHalfItsWorkingTime_NotHalfTheHoursOnTheWallClock()
    {
        var started = Apply(Tickets.Request("normal", Shanghai(9, 30, 16)), [], Shanghai(9, 30, 16)).Changed;

        // 7 of 14 working hours: 2 h on 30 September, then 08:30–12:00 and 14:30–16:00 on 8 October.
        Assert.That(Of(started, ClockKind.Completion).NextWarningAt, Is.EqualTo(Shanghai(10, 8, 16)));
    }

    [Test]
    public void ARequestOnAMakeUpSaturday_CountsThatSaturday()
    {
        var started = Apply(Tickets.Request("normal", Shanghai(10, 10, 9)), [], Shanghai(10, 10, 9)).Changed;

        Assert.That(Of(started, ClockKind.Response).Deadline, Is.EqualTo(Shanghai(10, 10, 11)));
    }

    [Test]
    public void AnUrgentRequest_RunsAroundTheClock()
    {
        var started = Apply(Tickets.Request("urgent", Shanghai(10, 1, 22)), [], Shanghai(10, 1, 22)).Changed;

        Assert.That(Of(started, ClockKind.Response).Deadline, Is.EqualTo(Shanghai(10, 1, 22, 30)));
        Assert.That(Of(started, ClockKind.Completion).Deadline, Is.EqualTo(Shanghai(10, 2, 2)));
        Assert.That(started.Select(c => c.Calendar), Is.All.EqualTo(ClockCalendar.Continuous));
    }

    [Test]
    public void ARequestCompletedAfterItsWorkingTimeDeadline_IsBreached_AndOneCompletedInTimeIsMet()
    {
        var request = Tickets.Request("normal", Shanghai(9, 30, 16)).Acknowledged(Shanghai(9, 30, 16, 10));
        var started = Apply(request, [], Shanghai(9, 30, 16, 10)).Changed;

        // During the holiday no working time passes: completed on 7 October the request is in time.
        var inTime = Apply(request.Resolved(Shanghai(10, 7, 20)), started, Shanghai(10, 7, 20));
        var late = Apply(request.Resolved(Shanghai(10, 9, 16, 1)), started, Shanghai(10, 9, 16, 1));

        Assert.That(Of(inTime.Changed, ClockKind.Completion).State, Is.EqualTo(ClockState.Met));
        Assert.That(Of(late.Changed, ClockKind.Completion).State, Is.EqualTo(ClockState.Breached));
        Assert.That(late.Events.OfType<SlaBreached>().Single().Clock.Clock, Is.EqualTo(ClockKind.Completion));
    }

    [Test]
    public async Task ARequestsClocks_AreStoredWithTheirGradeAndCalendar()
    {
        await using var database = await TempDatabase.CreateAsync(kind, typeof(ClockStore).Assembly);
        var store = new ClockStore(database.Database, new Outbox(TimeProvider.System), TestSecrets.Evidence(database.Database),
            new ContractTargets(new Dictionary<string, SlaTargets> { ["OTQ-2026-OPS"] = Seed }), new PendingNotices(database.Database, EscalationBook.None));
        var request = Tickets.Request("low", Shanghai(11, 24, 10));

        await store.ApplyTicketAsync(request, Shanghai(11, 24, 10));

        var clocks = await store.OfTicketAsync(request.Number);
        Assert.That(clocks.Select(c => (c.Clock, c.Grade, c.Calendar)), Is.EquivalentTo(new[]
        {
            (ClockKind.Response, (string?)"low", ClockCalendar.Working), (ClockKind.Completion, (string?)"low", ClockCalendar.Working),
        }));
        // 7 working hours from Tuesday 10:00: 2 h that morning, 3 h 30 min that afternoon, 1 h 30 min on Wednesday.
        Assert.That(clocks.Single(c => c.Clock == ClockKind.Response).Deadline, Is.EqualTo(Shanghai(11, 25, 10)));
    }

    [Test]
    public void TheShippedOfficeHours_ReplaceTheDefaults_RatherThanAddToThem()
    {
        Assert.That(Seed.Requests.WorkingHours, Is.EqualTo(new[] { "08:30-12:00", "14:30-18:00" }));
        Assert.That(Seed.Requests.Grades.Keys, Is.EquivalentTo(new[] { "urgent", "normal", "low" }));
    }

    [Test]
    public void APausedCompletionClock_StandsStill_AndResumesWithItsDeadlineMovedByThePausesWorkingTime()
    {
        var request = Tickets.Request("normal", Shanghai(11, 24, 10)).Acknowledged(Shanghai(11, 24, 10, 5));
        var started = Apply(request, [], Shanghai(11, 24, 10, 5)).Changed;
        Assert.That(Of(started, ClockKind.Completion).Deadline, Is.EqualTo(Shanghai(11, 26, 10)), "14 working hours: 5.5 h Tuesday, 7 h Wednesday, 1.5 h Thursday");

        var paused = request.Paused(Shanghai(11, 24, 15));
        var standing = Apply(paused, started, Shanghai(11, 24, 15));
        var stillStanding = ClockRules.BreachIfDue(Of(standing.Changed, ClockKind.Completion), Shanghai(11, 27, 10), []);
        var resumed = Apply(paused.Resumed(Shanghai(11, 25, 9)), [.. standing.Changed, Of(started, ClockKind.Response)], Shanghai(11, 25, 9));

        Assert.That((Of(standing.Changed, ClockKind.Completion).State, stillStanding.State), Is.EqualTo((ClockState.Paused, ClockState.Paused)));
        Assert.That(standing.Events.OfType<SlaClockAdjusted>().Single().Reason, Is.EqualTo("paused"));
        // Paused 15:00 Tuesday – 09:00 Wednesday: 3 h of Tuesday afternoon and 30 min of Wednesday morning do not count.
        var completion = Of(resumed.Changed, ClockKind.Completion);
        Assert.That((completion.State, completion.Excluded, completion.Deadline), Is.EqualTo((ClockState.Running, TimeSpan.FromHours(3.5), Shanghai(11, 26, 16))));
        Assert.That(resumed.Events.OfType<SlaClockAdjusted>().Single().Reason, Is.EqualTo("resumed"));
        Assert.That(completion.NextWarningAt, Is.Not.Null, "warnings are planned again");
    }

    [Test]
    public void AResponseClock_IsNotPaused_AndABreachedClockStaysBreached()
    {
        var request = Tickets.Request("urgent", Shanghai(11, 24, 10));
        var started = Apply(request, [], Shanghai(11, 24, 10)).Changed;
        var breached = Apply(request, started, Shanghai(11, 24, 14, 1)).Changed; // both urgent clocks are past their deadlines

        var changes = Apply(request.Paused(Shanghai(11, 24, 15)), breached, Shanghai(11, 24, 15));

        Assert.That(changes.Changed, Is.Empty);
        Assert.That(breached.Select(c => c.State), Is.All.EqualTo(ClockState.Breached));
    }

    [Test]
    public void AGradeTheContractDoesNotName_IsRefused()
    {
        Assert.That(() => Apply(Tickets.Request("whenever", Shanghai(11, 24, 10)), [], Shanghai(11, 24, 10)),
            Throws.InvalidOperationException.With.Message.Contains("whenever"));
    }

    [Test]
    public void ARequestsClocks_HaveNoSeverity_AlsoFromAnOlderEventThatSaidGeneral()
    {
        var older = Tickets.Request("normal", Shanghai(11, 24, 10));
        var newer = older with { TicketId = Guid.NewGuid(), Severity = null };

        var clocks = new[] { older, newer }.SelectMany(t => Apply(t, [], Shanghai(11, 24, 10)).Changed).ToList();

        Assert.That(clocks, Has.Count.EqualTo(4));
        Assert.That(clocks.Select(c => c.Severity), Is.All.Null);
        Assert.That(clocks.Select(c => c.ToFacts().Severity), Is.All.Null, "nor do the events about them");
        Assert.That(Apply(Tickets.Fault(Contracts.Tickets.Severity.General), [], Shanghai(11, 24, 10)).Changed.Select(c => c.Severity), Is.All.EqualTo(Contracts.Tickets.Severity.General), "a fault keeps its own");
    }
}
