using Dapper;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Audit;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.OnCall;
using Ops.SlaTimer.Storage;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// Two sla-timers on one PostgreSQL database, each with its own connections: they share the due clocks, the owed
/// notices and the rota, and never do the same work twice.
/// </summary>
public class SharedStoreTests
{
    private static readonly ContractTargets Targets = new(new Dictionary<string, SlaTargets> { ["OTQ-2026-OPS"] = new() });

    private static readonly EscalationBook Chain = new(new Dictionary<string, EscalationChain>
    {
        ["OTQ-2026-OPS"] = new() { Levels = [new EscalationLevel { Name = "项目经理", Url = "http://127.0.0.1:9/hook", From = 50 }] },
    });

    private string name = null!;
    private Database first = null!;
    private Database second = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        (name, var connectionString) = await PostgresServer.CreateDatabaseAsync();
        first = new Database(SqlProvider.Postgres, connectionString);
        second = new Database(SqlProvider.Postgres, connectionString);
        await SchemaMigrator.MigrateAsync(first, [typeof(Database).Assembly, typeof(ClockStore).Assembly]);
    }

    [TearDown]
    public async Task DropDatabase()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(name);
    }

    private static ClockStore Store(Database database) =>
        new(database, new Outbox(TimeProvider.System), TestSecrets.Evidence(database), Targets, new PendingNotices(database, Chain));

    [Test]
    public async Task TwoScanners_BreachEveryDueClockOnce_BetweenThem()
    {
        const int Due = 60;
        var stores = new[] { Store(first), Store(second) };
        for (var i = 0; i < Due + 5; i++)
        {
            var reported = Tickets.Reported.AddSeconds(i);
            await stores[i % 2].ApplyTicketAsync(Tickets.Fault(Severity.General, reported), reported);
        }

        // The response clocks of the first 60 tickets are past their deadlines; each scanner claims 4 at a time until none is left.
        var now = Tickets.Reported.AddMinutes(30).AddSeconds(Due - 1).AddMilliseconds(1);
        var counts = await Task.WhenAll(stores.Select(store => Task.Run(async () =>
        {
            var breached = new List<int>();
            while (await store.BreachDueAsync(now, limit: 4) is var count and > 0)
            {
                breached.Add(count);
            }

            return breached.Sum();
        })));

        var breaches = await first.MessagesAsync<SlaBreached>();
        Assert.That(counts.Sum(), Is.EqualTo(Due));
        Assert.That(breaches.Select(b => b.Clock.ClockId).Distinct().Count(), Is.EqualTo(Due));
        Assert.That(breaches, Has.Count.EqualTo(Due), "no clock breached twice");
        Assert.That(await first.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pending_notices WHERE stage = 100")), Is.EqualTo(Due));
        Assert.That((await stores[0].ListAsync(new ClockFilter(ClockState.Breached, null), 1000, 0, Scope.All)).Clocks.Select(c => c.Sequence), Is.All.EqualTo(2));
        var chain = (await new EvidenceVerifier(first, TestSecrets.Evidence(first),
            [new ChainedTable<ClockOutcome>(ClockStore.OutcomeChain, ("", ""), ClockSql.For(SqlProvider.Postgres).OutcomesInChainOrder)]).VerifyAsync()).Single();
        Assert.That((chain.Entries, chain.Intact), Is.EqualTo(((long)Due, true)), chain.FirstBroken?.ToString());
    }

    [Test]
    public async Task TwoScanners_RaiseEveryWarningOnce_BetweenThem()
    {
        const int Clocks = 40;
        var stores = new[] { Store(first), Store(second) };
        for (var i = 0; i < Clocks; i++)
        {
            await stores[0].ApplyTicketAsync(Tickets.Fault(Severity.General), Tickets.Reported);
        }

        var now = Tickets.Reported.AddMinutes(16);
        var counts = await Task.WhenAll(stores.Select(store => Task.Run(async () =>
        {
            var raised = 0;
            while (await store.WarnDueAsync(now, limit: 3) is var count and > 0)
            {
                raised += count;
            }

            return raised;
        })));

        var warnings = await first.MessagesAsync<SlaWarningRaised>();
        Assert.That(counts.Sum(), Is.EqualTo(Clocks));
        Assert.That(warnings.Select(w => w.Clock.ClockId).Distinct().Count(), Is.EqualTo(Clocks));
        Assert.That(warnings, Has.Count.EqualTo(Clocks), "no warning raised twice");
    }

    [Test]
    public async Task AnOwedNotice_BeingToldByOneSlaTimer_IsLeftAloneByTheOther()
    {
        var clock = ClockRules.Apply(Tickets.Fault(), Targets.For("OTQ-2026-OPS"), [], Tickets.Reported, Guid.NewGuid).Changed[0].ToFacts();
        var one = new PendingNotices(first, Chain);
        var other = new PendingNotices(second, Chain);
        await first.WriteAsync(t => one.AddAllAsync(t, [new Notice(clock, 50), new Notice(clock, 100)]));
        var owed = await one.NextAsync(10);

        var telling = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var told = new List<int>();
        var firstTells = one.TellAsync(owed[0], async (notice, _) =>
        {
            telling.SetResult();
            await release.Task;
            lock (told)
            {
                told.Add(notice.Stage);
            }
        });
        await telling.Task;

        var seenByOther = await other.NextAsync(10);
        var otherTookIt = await other.TellAsync(owed[0], (notice, _) => { told.Add(notice.Stage); return Task.CompletedTask; });
        release.SetResult();

        Assert.That(seenByOther.Select(p => p.Notice.Stage), Is.EqualTo(new[] { 100 }), "the notice being told is passed over");
        Assert.That(otherTookIt, Is.False);
        Assert.That(await firstTells, Is.True);
        Assert.That(await other.TellAsync(owed[0], (_, _) => Task.CompletedTask), Is.False, "done: gone");
        Assert.That(told, Is.EqualTo(new[] { 50 }));
        Assert.That((await other.NextAsync(10)).Select(p => p.Notice.Stage), Is.EqualTo(new[] { 100 }));
    }

    [Test]
    public async Task TwoManagers_AddingOverlappingOverrides_OfOneLayer_GetOneIn()
    {
        var rotas = new RotaStore(second);
        var at = Tickets.Reported.AddDays(1);
        var actor = new Actor("manager-1", "王经理");
        var sql = RotaSql.For(SqlProvider.Postgres);

        // Another manager's override of the primary layer, not yet committed: it holds the layer as the store's own writes do.
        var locked = new TaskCompletionSource();
        var commit = new TaskCompletionSource();
        var theirs = first.WriteAsync(async t =>
        {
            await t.ExecuteAsync(sql.LockLayer!, new { Contract = "OTQ-2026-OPS", Layer = "primary" });
            await t.ExecuteAsync(sql.AddOverride, new
            {
                Id = Guid.NewGuid(), Contract = "OTQ-2026-OPS", Layer = "primary", Engineer = "eng-2", From = at, To = at.AddHours(8),
                Reason = "调休", CreatedBy = "李经理", CreatedById = "manager-2", CreatedAt = at.AddDays(-1),
            });
            locked.SetResult();
            await commit.Task;
        });
        await locked.Task;

        var mine = rotas.AddOverrideAsync("OTQ-2026-OPS", new DutyOverride(Guid.NewGuid(), DutyLayer.Primary, "eng-1", at.AddHours(4), at.AddHours(12), "家中有事", "王经理", at.AddDays(-1)), actor);
        var secondary = await rotas.AddOverrideAsync("OTQ-2026-OPS", new DutyOverride(Guid.NewGuid(), DutyLayer.Secondary, "eng-3", at, at.AddHours(8), "培训", "王经理", at.AddDays(-1)), actor);
        commit.SetResult();
        await theirs;

        Assert.That(secondary, Is.Null, "another layer does not wait");
        Assert.That((await mine)?.Engineer, Is.EqualTo("eng-2"), "the override committed first is the clash");
        Assert.That((await rotas.OverridesAsync("OTQ-2026-OPS", at.AddDays(-1))).Select(o => o.Engineer), Is.EquivalentTo(new[] { "eng-2", "eng-3" }));
    }
}
