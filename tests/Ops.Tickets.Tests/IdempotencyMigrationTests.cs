using Dapper;
using Ops.Hosting.Storage;
using Ops.Testing;
using Ops.Tickets.Storage;

namespace Ops.Tickets.Tests;

/// <summary>The idempotency keys stored before they belonged to a caller, after the schema script that scopes them.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class IdempotencyMigrationTests(TestStore store)
{
    [Test]
    public async Task AKeyStoredBefore_GoesToTheOneApiKeyThatReportedItsTicket_AndOtherwiseToNoCaller()
    {
        await using var temp = await TempDatabase.CreateEmptyAsync(store);
        var database = temp.Database;
        var scripts = SchemaMigrator.ScriptsIn(typeof(Database).Assembly, database.Provider)
            .Concat(SchemaMigrator.ScriptsIn(typeof(TicketStore).Assembly, database.Provider))
            .ToList();
        var hotline = Guid.NewGuid();
        await database.WriteAsync(async t =>
        {
            foreach (var script in scripts.Where(s => s.Component == "Ops.Hosting" || s.Version < 8))
            {
                await t.ExecuteAsync(script.Sql);
            }

            await t.ExecuteAsync(
                "INSERT INTO api_keys (key_id, name, role, key_hash, created_at) VALUES (@Id, @Name, 'intake', @Hash, '2026-11-24T00:00:00.0000000Z')",
                new[] { (hotline, "hotline"), (Guid.NewGuid(), "twin"), (Guid.NewGuid(), "twin") }.Select(k => new { Id = k.Item1, Name = k.Item2, Hash = Guid.NewGuid().ToString("N") }));
            foreach (var (key, actor) in new[] { ("key:call-1", "hotline (API key)"), ("ref:phone:CALL-2", "twin (API key)"), ("key:call-3", "王伟") })
            {
                var ticket = Guid.NewGuid();
                await t.ExecuteAsync("""
                    INSERT INTO tickets (id, number, version, contract, kind, severity, status, channel, site_code, system, title, reporter_name,
                        reporter_phone, reported_at, created_at, updated_at)
                    VALUES (@Ticket, @Key, 1, 'OTQ-2026-OPS', 'fault', 'severe', 'open', 'phone', 'OTQ', '综窗', '综窗无法出件', '李女士',
                        '13812345678', '2026-11-24T00:00:00.0000000Z', '2026-11-24T00:00:00.0000000Z', '2026-11-24T00:00:00.0000000Z');
                    INSERT INTO ticket_timeline (ticket_id, version, occurred_at, action, actor) VALUES (@Ticket, 1, '2026-11-24T00:00:00.0000000Z', 'reported', @Actor);
                    INSERT INTO idempotency_keys (idempotency_key, fingerprint, ticket_id, created_at) VALUES (@Key, 'F', @Ticket, '2026-11-24T00:00:00.0000000Z');
                    """, new { Ticket = ticket, Key = key, Actor = actor });
            }

            await t.ExecuteAsync(scripts.Single(s => s.Component == "Ops.Tickets" && s.Version == 8).Sql);
        });

        var callers = await database.ReadAsync(c => c.QueryAsync<(string Key, string Caller)>("SELECT idempotency_key, caller FROM idempotency_keys ORDER BY idempotency_key"));

        Assert.That(callers, Is.EqualTo(new[]
        {
            ("key:call-1", $"key:{hotline:N}"),
            ("key:call-3", ""),
            ("ref:phone:CALL-2", ""),
        }), "the hotline's key is its own; two keys share the other name, and a person's name is not a key");
    }
}
