using Dapper;
using Ops.Contracts.Sla;
using Ops.Hosting.Audit;
using Ops.Hosting.Messaging;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.Storage;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>Clocks stored while the column was <c>kind</c>, brought to <c>clock</c> (script 0010), on each store.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class ClockColumnMigrationTests(TestStore kind)
{
    private static readonly DateTimeOffset Acknowledged = Tickets.Reported.AddMinutes(10);

    private TempDatabase database = null!;

    [SetUp]
    public async Task CreateDatabaseOfTheOldSchema()
    {
        database = await TempDatabase.CreateAsync(kind);
        await database.Database.WriteAsync(async t =>
        {
            foreach (var script in SchemaMigrator.ScriptsIn(typeof(ClockStore).Assembly, database.Database.Provider).Where(s => s.Version < 10))
            {
                await t.ExecuteAsync(script.Sql);
                await t.ExecuteAsync(
                    "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (@Component, @Version, @Name, @Now)",
                    new { script.Component, script.Version, script.Name, Now = Acknowledged });
            }
        });
    }

    [TearDown]
    public async Task DropDatabase() => await database.DisposeAsync();

    [Test]
    public async Task AnOldDatabase_KeepsItsClocksAndOutcomes_UnderTheColumnClock_AndTheyRunOn()
    {
        var ticket = Tickets.Fault().Acknowledged(Acknowledged);
        var old = ClockRules.Apply(ticket, new SlaTargets(), [], Acknowledged, Guid.NewGuid);
        await StoreTheOldWayAsync(ticket.TicketId, ticket.Version, old);
        Assert.That(await ColumnsAsync("clocks"), Does.Contain("kind").And.Not.Contain("clock"), "the old schema");

        var applied = await SchemaMigrator.MigrateAsync(database.Database, [typeof(ClockStore).Assembly]);

        Assert.That(applied.Select(s => s.Version).Where(v => v <= 10), Is.EqualTo(new[] { 10 }), "later scripts are not this test's");
        Assert.That(await ColumnsAsync("clocks"), Does.Contain("clock").And.Not.Contain("kind"));
        Assert.That(await ColumnsAsync("clock_outcomes"), Does.Contain("clock").And.Not.Contain("kind"));
        Assert.That(await IndexesAsync(), Does.Contain("ux_clocks_ticket_clock").And.Not.Contain("ux_clocks_ticket_kind"));

        var store = NewStore();
        var kept = await store.OfTicketAsync(ticket.Number);
        Assert.That(kept.Select(c => (c.Id, c.Clock, c.State, c.Deadline)),
            Is.EquivalentTo(old.Changed.Select(c => (c.Id, c.Clock, c.State, c.Deadline))));

        Assert.That(await store.ApplyTicketAsync(ticket.Resolved(Tickets.Reported.AddHours(2)), Tickets.Reported.AddHours(2)), Is.True);
        var repair = (await store.OfTicketAsync(ticket.Number)).Single(c => c.Clock == ClockKind.Repair);
        Assert.That((repair.State, repair.Id), Is.EqualTo((ClockState.Met, old.Changed.Single(c => c.Clock == ClockKind.Repair).Id)));

        var report = (await new EvidenceVerifier(database.Database, TestSecrets.Evidence(database.Database),
            [new ChainedTable<ClockOutcome>(ClockStore.OutcomeChain, ("", ""), ClockSql.For(database.Database.Provider).OutcomesInChainOrder)]).VerifyAsync()).Single();
        Assert.That((report.Entries, report.Intact), Is.EqualTo((2L, true)), report.FirstBroken?.ToString());
        var outcomes = await database.Database.ReadAsync(c => c.QueryAsync<(string, string)>("SELECT clock, outcome FROM clock_outcomes ORDER BY chain_seq"));
        Assert.That(outcomes, Is.EqualTo(new[] { ("response", ClockOutcome.Met), ("repair", ClockOutcome.Met) }));
    }

    /// <summary>Writes clocks, the ticket's version and the outcomes as the sla-timer did under the old schema.</summary>
    private async Task StoreTheOldWayAsync(Guid ticketId, long version, ClockChanges changes)
    {
        var evidence = TestSecrets.Evidence(database.Database);
        await database.Database.WriteAsync(async t =>
        {
            await t.ExecuteAsync("INSERT INTO ticket_versions (ticket_id, version) VALUES (@TicketId, @Version)", new { TicketId = ticketId, Version = version });
            foreach (var c in changes.Changed)
            {
                await t.ExecuteAsync(
                    """
                    INSERT INTO clocks (id, ticket_id, kind, sequence, ticket_number, contract, ticket_kind, severity, site_code, system,
                        reported_at, target_seconds, started_at, deadline, state, breached_at, stopped_at, excluded_ms, reopens, grade, calendar,
                        warned_percent, next_warning_at)
                    VALUES (@Id, @TicketId, @Kind, @Sequence, @TicketNumber, @Contract, 'fault', @Severity, @SiteCode, @System,
                        @ReportedAt, @TargetSeconds, @StartedAt, @Deadline, @State, NULL, @StoppedAt, 0, 0, NULL, 'continuous', 0, @NextWarningAt)
                    """,
                    new
                    {
                        c.Id, c.TicketId, Kind = c.Clock.ToString().ToLowerInvariant(), c.Sequence, c.TicketNumber, c.Contract,
                        Severity = c.Severity!.Value.ToString().ToLowerInvariant(), c.SiteCode, c.System, c.ReportedAt, c.TargetSeconds,
                        c.StartedAt, c.Deadline, State = c.State.ToString().ToLowerInvariant(), c.StoppedAt, c.NextWarningAt,
                    });
            }

            var outcomes = changes.Events.Select(ClockOutcome.Of).OfType<ClockOutcome>().ToList();
            var links = await evidence.LinkAsync(t, ClockStore.OutcomeChain, outcomes);
            await t.ExecuteAsync(
                """
                INSERT INTO clock_outcomes (chain_seq, clock_id, sequence, ticket_id, ticket_number, kind, outcome, deadline, occurred_at, prev_hash, hash)
                VALUES (@ChainSeq, @ClockId, @Sequence, @TicketId, @TicketNumber, @Clock, @Outcome, @Deadline, @OccurredAt, @PrevHash, @Hash)
                """,
                outcomes.Zip(links, (o, l) => o with { ChainSeq = l.Seq, PrevHash = l.PrevHash, Hash = l.Hash }));
        });
    }

    private ClockStore NewStore() => new(database.Database, new Outbox(TimeProvider.System), TestSecrets.Evidence(database.Database),
        new ContractTargets(new Dictionary<string, SlaTargets> { ["OTQ-2026-OPS"] = new() }),
        new PendingNotices(database.Database, EscalationBook.None));

    private async Task<IReadOnlyList<string>> ColumnsAsync(string table) =>
        (await database.Database.ReadAsync(c => c.QueryAsync<string>(
            kind == TestStore.Postgres
                ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @Table"
                : "SELECT name FROM pragma_table_info(@Table)",
            new { Table = table }))).AsList();

    private async Task<IReadOnlyList<string>> IndexesAsync() =>
        (await database.Database.ReadAsync(c => c.QueryAsync<string>(kind == TestStore.Postgres
            ? "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'clocks'"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'clocks'"))).AsList();
}
