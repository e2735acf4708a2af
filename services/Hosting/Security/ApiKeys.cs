using System.Security.Cryptography;
using System.Text;
using Dapper;
using Ops.Contracts.Security;
using Ops.Hosting.Messaging;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Security;

/// <summary>An API key of a machine client, as stored: its hash, never the key.</summary>
public sealed record ApiKey
{
    public required Guid KeyId { get; init; }
    public required string Name { get; init; }
    public required string Role { get; init; }
    public required string KeyHash { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The contracts the key may file for or read, space-separated; null: every contract.</summary>
    public string? Contracts { get; init; }

    /// <summary>The sites within them, space-separated; null: every site of the contracts.</summary>
    public string? Sites { get; init; }

    public Scope Scope => Scope.FromColumns(Contracts, Sites);
}

/// <summary>
/// API keys. Issued and revoked by an administrator in any service; the service stores the key's
/// SHA-256 hash and publishes it, and every service stores what it hears, so a key works everywhere
/// and a revoked key nowhere. Keys are 32 random bytes: a plain hash is enough, nothing to guess.
/// </summary>
public sealed class ApiKeyStore(Database database, Outbox outbox, TimeProvider time)
{
    public const string Prefix = "ops_";

    /// <summary>How long a service trusts its in-memory copy of the keys before reading them again.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly ApiKeySql sql = ApiKeySql.For(database.Provider);
    private volatile Snapshot? snapshot;

    // Bumped whenever the keys change. A copy read while they changed carries the older number and is read
    // again at the next lookup, instead of hiding the change for the whole CacheFor.
    private long generation;

    private sealed record Snapshot(IReadOnlyDictionary<string, ApiKey> ByHash, DateTimeOffset ReadAt, long Generation);

    private void KeysChanged() => Interlocked.Increment(ref generation);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Issues a key; the key itself is returned once and stored nowhere.</summary>
    public async Task<(ApiKey Key, string Secret)> IssueAsync(string name, string role, CancellationToken cancellationToken = default) =>
        await IssueAsync(name, role, Scope.All, cancellationToken);

    /// <summary>Issues a key limited to <paramref name="scope"/>; the key itself is returned once and stored nowhere.</summary>
    public async Task<(ApiKey Key, string Secret)> IssueAsync(string name, string role, Scope scope, CancellationToken cancellationToken = default)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role {role}.", nameof(role));
        }

        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var (contracts, sites) = scope.ToColumns();
        var key = new ApiKey { KeyId = Guid.CreateVersion7(), Name = name, Role = role, KeyHash = Hash(secret), CreatedAt = time.GetUtcNow(), Contracts = contracts, Sites = sites };
        await database.WriteAsync(async t =>
        {
            await t.ExecuteAsync(sql.Insert, key);
            await outbox.AddAsync(t, new ApiKeyIssued(key.KeyId, key.Name, key.Role, key.KeyHash, key.CreatedAt, key.Contracts, key.Sites));
        }, cancellationToken);
        KeysChanged();
        return (key, secret);
    }

    /// <summary>Revokes a key; false when there is no such key or it was revoked before.</summary>
    public async Task<bool> RevokeAsync(Guid keyId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var revoked = await database.WriteAsync(async t =>
        {
            if (await t.ExecuteAsync(sql.Revoke, new { KeyId = keyId, At = now }) == 0)
            {
                return false;
            }

            await outbox.AddAsync(t, new ApiKeyRevoked(keyId, now));
            return true;
        }, cancellationToken);
        KeysChanged();
        return revoked;
    }

    /// <summary>Stores a key another service issued (again: a repeated event changes nothing).</summary>
    public async Task RecordAsync(ApiKeyIssued issued, CancellationToken cancellationToken = default)
    {
        await database.WriteAsync(t => t.ExecuteAsync(sql.InsertIfMissing, new ApiKey
        {
            KeyId = issued.KeyId, Name = issued.Name, Role = issued.Role, KeyHash = issued.KeyHash, CreatedAt = issued.At,
            Contracts = issued.Contracts, Sites = issued.Sites,
        }), cancellationToken);
        KeysChanged();
    }

    public async Task RecordAsync(ApiKeyRevoked revoked, CancellationToken cancellationToken = default)
    {
        await database.WriteAsync(t => t.ExecuteAsync(sql.Revoke, new { revoked.KeyId, revoked.At }), cancellationToken);
        KeysChanged();
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => c.QueryAsync<ApiKey>(sql.All), cancellationToken)).AsList();

    /// <summary>The key with this id, live or revoked; null when there is none.</summary>
    public Task<ApiKey?> GetAsync(Guid keyId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<ApiKey>(sql.ById, new { KeyId = keyId }), cancellationToken);

    /// <summary>The live (not revoked) key whose hash matches the presented key.</summary>
    public async Task<ApiKey?> FindAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 100)
        {
            return null;
        }

        var current = snapshot;
        var now = Interlocked.Read(ref generation);
        if (current is null || current.Generation != now || time.GetUtcNow() - current.ReadAt > CacheFor)
        {
            var live = await database.ReadAsync(c => c.QueryAsync<ApiKey>(sql.Live), cancellationToken);
            current = snapshot = new Snapshot(live.ToDictionary(k => k.KeyHash), time.GetUtcNow(), now);
        }

        return current.ByHash.GetValueOrDefault(Hash(presented));
    }
}

internal abstract class ApiKeySql : SqlStatements
{
    public static ApiKeySql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteApiKeySql(),
        SqlProvider.Postgres => new PostgresApiKeySql(),
        _ => new SqlServerApiKeySql(),
    };

    protected const string Columns = "key_id AS KeyId, name AS Name, role AS Role, key_hash AS KeyHash, created_at AS CreatedAt, revoked_at AS RevokedAt, contracts AS Contracts, sites AS Sites";

    public string Insert => "INSERT INTO api_keys (key_id, name, role, key_hash, created_at, contracts, sites) VALUES (@KeyId, @Name, @Role, @KeyHash, @CreatedAt, @Contracts, @Sites)";

    public abstract string InsertIfMissing { get; }

    public string Revoke => "UPDATE api_keys SET revoked_at = @At WHERE key_id = @KeyId AND revoked_at IS NULL";

    public string All => $"SELECT {Columns} FROM api_keys ORDER BY created_at";

    public string ById => $"SELECT {Columns} FROM api_keys WHERE key_id = @KeyId";

    public string Live => $"SELECT {Columns} FROM api_keys WHERE revoked_at IS NULL";
}

internal sealed class SqliteApiKeySql : ApiKeySql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string InsertIfMissing => """
        INSERT INTO api_keys (key_id, name, role, key_hash, created_at, contracts, sites) VALUES (@KeyId, @Name, @Role, @KeyHash, @CreatedAt, @Contracts, @Sites)
        ON CONFLICT (key_id) DO NOTHING
        """;
}

internal sealed class SqlServerApiKeySql : ApiKeySql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string InsertIfMissing => """
        IF NOT EXISTS (SELECT 1 FROM api_keys WITH (UPDLOCK, HOLDLOCK) WHERE key_id = @KeyId)
            INSERT INTO api_keys (key_id, name, role, key_hash, created_at, contracts, sites) VALUES (@KeyId, @Name, @Role, @KeyHash, @CreatedAt, @Contracts, @Sites)
        """;
}

internal sealed class PostgresApiKeySql : ApiKeySql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    public override string InsertIfMissing => """
        INSERT INTO api_keys (key_id, name, role, key_hash, created_at, contracts, sites) VALUES (@KeyId, @Name, @Role, @KeyHash, @CreatedAt, @Contracts, @Sites)
        ON CONFLICT (key_id) DO NOTHING
        """;
}
