using System.Security.Cryptography;
using Ops.Contracts.Security;
using Ops.Hosting.Messaging;
using Ops.Hosting.Storage;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Each service keeps a short-lived copy of the API keys; a key recorded while the copy is being read must not stay hidden.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class ApiKeyCacheTests(TestStore store)
{
    [Test]
    public async Task AKeyRecordedWhileALookupReadsTheKeys_IsKnownAtTheNextLookup()
    {
        await using var database = await TempDatabase.CreateAsync(store);
        var keys = new ApiKeyStore(database.Database, new Outbox(TimeProvider.System), TimeProvider.System);
        // Many keys, so that reading them takes long enough for a key to arrive meanwhile.
        await database.Database.WriteAsync(t => t.ExecuteAsync(
            "INSERT INTO api_keys (key_id, name, role, key_hash, created_at) VALUES (@KeyId, @Name, 'auditor', @KeyHash, @CreatedAt)",
            Enumerable.Range(0, 20_000).Select(n => new { KeyId = Guid.NewGuid(), Name = $"old {n}", KeyHash = $"{n:x64}", CreatedAt = DateTimeOffset.UtcNow })));
        var missed = 0;
        for (var i = 0; i < 50; i++)
        {
            var key = ApiKeyStore.Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var issued = new ApiKeyIssued(Guid.NewGuid(), $"gateway {i}", Roles.Intake, ApiKeyStore.Hash(key), DateTimeOffset.UtcNow);

            // The copy is stale (another key was revoked), so the next lookup reads the keys; the new key arrives meanwhile.
            await keys.RecordAsync(new ApiKeyRevoked(Guid.NewGuid(), DateTimeOffset.UtcNow));
            await Task.WhenAll(Task.Run(() => keys.FindAsync(key)), Task.Run(() => keys.RecordAsync(issued)));

            if (await keys.FindAsync(key) is null)
            {
                missed++;
            }
        }

        Assert.That(missed, Is.Zero, "lookups after the key was recorded that did not find it");
    }

    [Test]
    public async Task AKeyIssued_IsFound_AndAKeyReplicatedTwice_IsKeptOnce_AndARevokedOne_IsNotFound()
    {
        await using var database = await TempDatabase.CreateAsync(store);
        var keys = new ApiKeyStore(database.Database, new Outbox(TimeProvider.System), TimeProvider.System);
        var key = ApiKeyStore.Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var issued = new ApiKeyIssued(Guid.NewGuid(), "gateway", Roles.Intake, ApiKeyStore.Hash(key), DateTimeOffset.UtcNow, "OTQ-2026-OPS", "S1 S2");

        await keys.RecordAsync(issued);
        await keys.RecordAsync(issued);
        var found = await keys.FindAsync(key);
        var listed = await keys.ListAsync();
        await keys.RecordAsync(new ApiKeyRevoked(issued.KeyId, DateTimeOffset.UtcNow));

        Assert.That((found?.KeyId, found?.Contracts, found?.Sites), Is.EqualTo(((Guid?)issued.KeyId, "OTQ-2026-OPS", "S1 S2")));
        Assert.That(listed, Has.Count.EqualTo(1), "a key replicated twice is kept once");
        Assert.That(await keys.FindAsync(key), Is.Null, "revoked");
        Assert.That((await keys.GetAsync(issued.KeyId))?.RevokedAt, Is.Not.Null);
    }
}
