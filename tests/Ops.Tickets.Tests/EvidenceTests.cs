using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>The ticket timeline as sealed evidence: append-only, and every edit behind the service's back is named.</summary>
public class EvidenceTests : ServiceTests<Program>
{
    [SetUp]
    public async Task ReportThreeTicketsAndAcknowledgeThem()
    {
        for (var i = 0; i < 3; i++)
        {
            var id = (await (await Client.PostAsJsonAsync("/api/tickets", Reports.Valid())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await Client.PostAsync($"/api/tickets/{id}/acknowledge", null);
        }
    }

    private string DatabaseFile => Path.Combine(Service.DataDirectory, "tickets.db");

    private async Task<JsonElement> VerifyAsync() =>
        (await Client.GetFromJsonAsync<JsonElement>("/api/audit/chains")).GetProperty("chains").EnumerateArray().Single();

    /// <summary>What someone with the database file and no key could do: drop the guards and edit.</summary>
    private async Task BehindTheServicesBackAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile}");
        await connection.ExecuteAsync($"DROP TRIGGER ticket_timeline_no_update; DROP TRIGGER ticket_timeline_no_delete; {sql}");
    }

    [Test]
    public async Task AnUntouchedTimeline_IsIntact_EntryByEntry()
    {
        var chain = await VerifyAsync();

        Assert.That(chain.GetProperty("chain").GetString(), Is.EqualTo("ticket-timeline"));
        Assert.That(chain.GetProperty("entries").GetInt64(), Is.EqualTo(6));
        Assert.That(chain.GetProperty("intact").GetBoolean(), Is.True);
    }

    [Test]
    public void TheTimeline_RefusesUpdatesAndDeletes_ThroughTheDatabase()
    {
        var database = (Database)Service.Services.GetService(typeof(Database))!;

        Assert.That(async () => await database.WriteAsync(t => t.ExecuteAsync("UPDATE ticket_timeline SET actor = 'x'")),
            Throws.InstanceOf<SqliteException>().With.Message.Contains("append-only"));
        Assert.That(async () => await database.WriteAsync(t => t.ExecuteAsync("DELETE FROM ticket_timeline")),
            Throws.InstanceOf<SqliteException>().With.Message.Contains("append-only"));
    }

    [Test]
    public async Task AChangedEntry_IsNamed_AsTheFirstBrokenOne()
    {
        await BehindTheServicesBackAsync("UPDATE ticket_timeline SET actor = '王工' WHERE chain_seq = 4");

        var chain = await VerifyAsync();

        Assert.That(chain.GetProperty("intact").GetBoolean(), Is.False);
        Assert.That(chain.GetProperty("firstBroken").GetProperty("seq").GetInt64(), Is.EqualTo(4));
        Assert.That(chain.GetProperty("firstBroken").GetProperty("problem").GetString(), Is.EqualTo("内容与封印不符（写入后被改动）"));
        Assert.That(chain.GetProperty("firstBroken").GetProperty("entry").GetString(), Does.StartWith("工单 ").And.EndWith("第 2 版（响应）"));
    }

    [Test]
    public async Task AChangedEntry_IsNamedInEnglish_ToACallerWhoAsks()
    {
        await BehindTheServicesBackAsync("UPDATE ticket_timeline SET actor = '王工' WHERE chain_seq = 4");

        var report = await (await Problems.GetInEnglishAsync(Client, "/api/audit/chains")).Content.ReadFromJsonAsync<JsonElement>();

        var chain = report.GetProperty("chains").EnumerateArray().Single();
        Assert.That(chain.GetProperty("description").GetString(), Does.StartWith("Every ticket's timeline"));
        Assert.That(chain.GetProperty("firstBroken").GetProperty("problem").GetString(), Is.EqualTo("its content does not match its seal (changed after it was written)"));
        Assert.That(chain.GetProperty("firstBroken").GetProperty("entry").GetString(), Does.StartWith("ticket ").And.EndWith("version 2 (acknowledged)"));
    }

    [Test]
    public async Task ADeletedEntry_IsNamed_ByTheGapItLeaves()
    {
        await BehindTheServicesBackAsync("DELETE FROM ticket_timeline WHERE chain_seq = 2");

        var broken = (await VerifyAsync()).GetProperty("firstBroken");

        Assert.That(broken.GetProperty("seq").GetInt64(), Is.EqualTo(3));
        Assert.That(broken.GetProperty("problem").GetString(), Is.EqualTo("第 2 至 2 条缺失（已被删除）"));
    }

    [Test]
    public async Task TheNewestEntriesDeleted_AreNoticed_AtTheEndOfTheChain()
    {
        await BehindTheServicesBackAsync("DELETE FROM ticket_timeline WHERE chain_seq >= 5");

        var broken = (await VerifyAsync()).GetProperty("firstBroken");

        Assert.That(broken.GetProperty("problem").GetString(), Is.EqualTo("链止于第 4 条，但已写入 6 条（最新的条目被删除）"));
    }

    [Test]
    public async Task AnEntryResealedWithoutTheKey_IsStillNamed()
    {
        // Whoever recomputes a plain SHA-256 over the edited row cannot forge the keyed seal.
        await BehindTheServicesBackAsync("""
            UPDATE ticket_timeline SET actor = '王工', hash = lower(hex(randomblob(32))) WHERE chain_seq = 6;
            UPDATE evidence_chains SET last_hash = (SELECT hash FROM ticket_timeline WHERE chain_seq = 6);
            """);

        var broken = (await VerifyAsync()).GetProperty("firstBroken");

        Assert.That(broken.GetProperty("seq").GetInt64(), Is.EqualTo(6));
    }

    [Test]
    public async Task AnEntryInsertedWithoutASeal_IsNamed()
    {
        await BehindTheServicesBackAsync("""
            INSERT INTO ticket_timeline (ticket_id, version, occurred_at, action, actor, detail)
            SELECT ticket_id, 9, occurred_at, 'resolved', '王工', 'fixed' FROM ticket_timeline WHERE chain_seq = 1
            """);

        var broken = (await VerifyAsync()).GetProperty("firstBroken");

        Assert.That(broken.GetProperty("problem").GetString(), Is.EqualTo("该条目没有封印（在服务之外写入）"));
    }

    [Test]
    public async Task EntriesSealedBeforeActorIdsWereKept_StillVerify_AndANewEntrysActorId_IsSealed()
    {
        // An entry as the service wrote it before actor_id existed: sealed over the fields it had then.
        var chainKeyed = TestSecrets.Evidence(Database);
        await Database.WriteAsync(async t =>
        {
            var ticket = await t.ExecuteScalarAsync<string>("SELECT ticket_id FROM ticket_timeline WHERE chain_seq = 1");
            var at = new DateTimeOffset(2026, 11, 24, 2, 5, 0, TimeSpan.Zero);
            var link = await chainKeyed.LinkAsync(t, "ticket-timeline", Ops.Hosting.Audit.EvidenceChain.Content(Guid.Parse(ticket!), 9L, at, "resolved", "王工", "重启服务"));
            await t.ExecuteAsync(
                "INSERT INTO ticket_timeline (ticket_id, version, occurred_at, action, actor, detail, chain_seq, prev_hash, hash) VALUES (@Ticket, 9, @At, 'resolved', '王工', '重启服务', @Seq, @PrevHash, @Hash)",
                new { Ticket = ticket, At = SqlTypeHandlers.ToSqliteText(at), link.Seq, link.PrevHash, link.Hash });
        });

        var withTheOldEntry = await VerifyAsync();
        await BehindTheServicesBackAsync("UPDATE ticket_timeline SET actor_id = NULL WHERE chain_seq = 2");
        var withoutAnActorId = await VerifyAsync();

        Assert.That(withTheOldEntry.GetProperty("intact").GetBoolean(), Is.True, withTheOldEntry.ToString());
        Assert.That(withTheOldEntry.GetProperty("entries").GetInt64(), Is.EqualTo(7));
        Assert.That(withoutAnActorId.GetProperty("intact").GetBoolean(), Is.False);
        Assert.That(withoutAnActorId.GetProperty("firstBroken").GetProperty("seq").GetInt64(), Is.EqualTo(2));
    }
}

/// <summary>The same evidence on PostgreSQL: the timeline verifies in chain order, and the database itself refuses to change it.</summary>
public class EvidenceOnPostgresTests() : ServiceTests<Program>(TestStore.Postgres)
{
    [SetUp]
    public async Task ReportThreeTicketsAndAcknowledgeThem()
    {
        for (var i = 0; i < 3; i++)
        {
            var id = (await (await Client.PostAsJsonAsync("/api/tickets", Reports.Valid())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await Client.PostAsync($"/api/tickets/{id}/acknowledge", null);
        }
    }

    private async Task<JsonElement> VerifyAsync() =>
        (await Client.GetFromJsonAsync<JsonElement>("/api/audit/chains")).GetProperty("chains").EnumerateArray().Single();

    [Test]
    public async Task AnUntouchedTimeline_IsIntact_AndRefusesUpdatesAndDeletes()
    {
        var chain = await VerifyAsync();

        Assert.That(chain.GetProperty("entries").GetInt64(), Is.EqualTo(6));
        Assert.That(chain.GetProperty("intact").GetBoolean(), Is.True);
        Assert.That(async () => await Database.WriteAsync(t => t.ExecuteAsync("UPDATE ticket_timeline SET actor = 'x'")),
            Throws.InstanceOf<Npgsql.PostgresException>().With.Message.Contains("append-only"));
        Assert.That(async () => await Database.WriteAsync(t => t.ExecuteAsync("DELETE FROM ticket_timeline")),
            Throws.InstanceOf<Npgsql.PostgresException>().With.Message.Contains("append-only"));
    }

    [Test]
    public async Task AChangedEntry_IsNamed_AsTheFirstBrokenOne()
    {
        // What the database's owner could do: switch the guard off and edit.
        await Database.WriteAsync(t => t.ExecuteAsync("""
            ALTER TABLE ticket_timeline DISABLE TRIGGER ticket_timeline_append_only;
            UPDATE ticket_timeline SET actor = '王工' WHERE chain_seq = 4;
            """));

        var chain = await VerifyAsync();

        Assert.That(chain.GetProperty("intact").GetBoolean(), Is.False);
        Assert.That(chain.GetProperty("firstBroken").GetProperty("seq").GetInt64(), Is.EqualTo(4));
        Assert.That(chain.GetProperty("firstBroken").GetProperty("entry").GetString(), Does.StartWith("工单 ").And.EndWith("第 2 版（响应）"));
    }
}
