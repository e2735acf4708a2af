using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.Storage;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The clock store on a SQLite file: ticket versions, breaches recorded once, deadlines, the outcome chain.</summary>
public class ClockStoreTests
{
    private TempDatabase database = null!;
    private ClockStore store = null!;

    [SetUp]
    public async Task CreateStore()
    {
        database = await TempDatabase.CreateAsync(typeof(ClockStore).Assembly);
        store = new ClockStore(database.Database, new Outbox(TimeProvider.System), TestSecrets.Evidence(database.Database),
            new ContractTargets(new Dictionary<string, SlaTargets>
            {
                ["OTQ-2026-OPS"] = new(),
                ["HQ-2027-OPS"] = new() { Response = TimeSpan.FromMinutes(15), RepairSevere = TimeSpan.FromHours(2) },
            }),
            new PendingNotices(database.Database, EscalationBook.None));
    }

    [TearDown]
    public async Task DropStore() => await database.DisposeAsync();

    [Test]
    public async Task AnOlderOrRepeatedTicketVersion_IsIgnored()
    {
        var reported = Tickets.Fault();
        var acknowledged = reported.Acknowledged(Tickets.Reported.AddMinutes(10));

        Assert.That(await store.ApplyTicketAsync(acknowledged, Tickets.Reported.AddMinutes(10)), Is.True);
        Assert.That(await store.ApplyTicketAsync(reported, Tickets.Reported.AddMinutes(11)), Is.False);
        Assert.That(await store.ApplyTicketAsync(acknowledged, Tickets.Reported.AddMinutes(12)), Is.False);

        var clocks = await store.OfTicketAsync(reported.TicketId.ToString());
        Assert.That(clocks.Single(c => c.Clock == ClockKind.Response).State, Is.EqualTo(ClockState.Met));
        Assert.That(clocks.Single(c => c.Clock == ClockKind.Repair).State, Is.EqualTo(ClockState.Running));
    }

    [Test]
    public async Task BreachDue_BreachesEachDueClockOnce_InBatches_AndLeavesTheOthersRunning()
    {
        for (var i = 0; i < 7; i++)
        {
            await store.ApplyTicketAsync(Tickets.Fault(Severity.General, Tickets.Reported.AddMinutes(i)), Tickets.Reported.AddMinutes(i));
        }

        var now = Tickets.Reported.AddMinutes(33).AddTicks(1); // response deadlines of tickets 0–3 have passed
        var first = await store.BreachDueAsync(now, limit: 3);
        var second = await store.BreachDueAsync(now, limit: 3);
        var third = await store.BreachDueAsync(now, limit: 3);

        Assert.That((first, second, third), Is.EqualTo((3, 1, 0)));
        var breaches = await database.Database.MessagesAsync<SlaBreached>();
        Assert.That(breaches.Select(b => b.Clock.ClockId).Distinct().Count(), Is.EqualTo(4));
        Assert.That(breaches.Select(b => b.Clock.Clock), Is.All.EqualTo(ClockKind.Response));
        // Next comes the 50 % warning of ticket 4's response clock (15 of its 30 minutes), before any deadline.
        Assert.That(await store.NextDueAsync(), Is.EqualTo(Tickets.Reported.AddMinutes(4 + 15)));
        Assert.That((await store.ListAsync(new ClockFilter(ClockState.Running, null), 100, 0, Scope.All)).Total, Is.EqualTo(10));
    }

    [Test]
    public async Task EachContract_StartsItsTicketsClocks_WithItsOwnTargets()
    {
        var seed = Tickets.Fault();
        var other = Tickets.Fault() with { Contract = "HQ-2027-OPS" };

        await store.ApplyTicketAsync(seed, Tickets.Reported);
        await store.ApplyTicketAsync(other, Tickets.Reported);

        var seedClocks = await store.OfTicketAsync(seed.TicketId.ToString());
        var otherClocks = await store.OfTicketAsync(other.TicketId.ToString());
        Assert.That(seedClocks.Select(c => c.Target), Is.EquivalentTo(new[] { TimeSpan.FromMinutes(30), TimeSpan.FromHours(4) }));
        Assert.That(otherClocks.Select(c => c.Target), Is.EquivalentTo(new[] { TimeSpan.FromMinutes(15), TimeSpan.FromHours(2) }));
        Assert.That(async () => await store.ApplyTicketAsync(Tickets.Fault() with { Contract = "NOBODY" }, Tickets.Reported),
            Throws.InvalidOperationException.With.Message.Contains("NOBODY"));
    }

    [Test]
    public async Task EveryBreachAndStop_IsSealedIntoTheOutcomeChain()
    {
        var ticket = Tickets.Fault();
        await store.ApplyTicketAsync(ticket, Tickets.Reported);
        await store.BreachDueAsync(Tickets.Reported.AddMinutes(31), 100);
        await store.ApplyTicketAsync(ticket.Resolved(Tickets.Reported.AddHours(1)), Tickets.Reported.AddHours(1));

        var verifier = new Ops.Hosting.Audit.EvidenceVerifier(database.Database, TestSecrets.Evidence(database.Database),
            [new Ops.Hosting.Audit.ChainedTable<ClockOutcome>(ClockStore.OutcomeChain, ("", ""), ClockSql.For(database.Database.Provider).OutcomesInChainOrder)]);
        var report = (await verifier.VerifyAsync()).Single();

        // the response breach at 31 min, its late stop at resolution, the repair clock met
        Assert.That(report.Entries, Is.EqualTo(3));
        Assert.That(report.Intact, Is.True);
    }
}
