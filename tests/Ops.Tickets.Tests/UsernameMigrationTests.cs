using Dapper;
using Microsoft.Extensions.Time.Testing;
using Ops.Contracts.Security;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Testing;
using Ops.Tickets.Access;

namespace Ops.Tickets.Tests;

/// <summary>Usernames becoming unique regardless of case, on a database that already holds case variants.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class UsernameMigrationTests(TestStore store)
{
    private sealed record Row
    {
        public required string Username { get; init; }
        public required string UsernameKey { get; init; }
        public DateTimeOffset? DisabledAt { get; init; }
    }

    [Test]
    public async Task CaseVariantsThatExistedBefore_TheFirstCreatedKeepsTheName_TheOthersAreDisabled()
    {
        await using var temp = await TempDatabase.CreateAsync(store);
        var database = temp.Database;
        var scripts = SchemaMigrator.ScriptsIn(typeof(UserStore).Assembly, database.Provider);
        await using (var connection = await database.OpenAsync())
        {
            foreach (var batch in scripts.Where(s => s.Version < 6).SelectMany(s => SchemaMigrator.Batches(s.Sql)))
            {
                await connection.ExecuteAsync(batch);
            }

            await connection.ExecuteAsync("""
                INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES
                    ('ZHANG', '另一个张', 'admin', 'x', '2026-04-01T00:00:00.0000000Z'),
                    ('zhang', '张科长', 'manager', 'x', '2026-03-01T00:00:00.0000000Z'),
                    ('li.na', '李娜', 'auditor', 'x', '2026-03-02T00:00:00.0000000Z')
                """);
            // Script 6 and those after it: the user store of today reads the columns later scripts add.
            foreach (var batch in scripts.Where(s => s.Version >= 6).SelectMany(s => SchemaMigrator.Batches(s.Sql)))
            {
                await connection.ExecuteAsync(batch);
            }
        }

        var rows = (await database.ReadAsync(c => c.QueryAsync<Row>(
            "SELECT username AS Username, username_key AS UsernameKey, disabled_at AS DisabledAt FROM users ORDER BY created_at"))).ToList();
        var disabled = new DisabledUsers(database, new Outbox(TimeProvider.System), TimeProvider.System);
        var users = new UserStore(database, disabled, new FakeTimeProvider());
        await users.RefuseTokensOfSupersededAsync();
        await users.RefuseTokensOfSupersededAsync();

        Assert.That(rows.Select(r => (r.Username, r.UsernameKey, r.DisabledAt is null)), Is.EqualTo(new[]
        {
            ("zhang", "zhang", true),
            ("li.na", "li.na", true),
            ("ZHANG", "zhang~ZHANG", false),
        }));
        Assert.That((await disabled.DisabledAtAsync("user:ZHANG")).HasValue, Is.True, "the superseded variant's tokens are refused");
        Assert.That(await disabled.DisabledAtAsync("user:zhang"), Is.Null, "the kept name's are not");
        Assert.That((await database.MessagesAsync<UserDisabled>()).Select(m => m.Subject), Is.EqualTo(new[] { "user:ZHANG" }), "every service hears of it, once");
        Assert.That((await users.FindAsync("Zhang"))?.DisplayName, Is.EqualTo("张科长"));
        Assert.That(await users.CreateAsync("ZHANG", "又一个张", Roles.Engineer, "a long enough password"), Is.Null, "the name is taken");
    }
}
