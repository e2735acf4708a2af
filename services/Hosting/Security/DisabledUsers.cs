using System.Data.Common;
using Dapper;
using MassTransit;
using Ops.Contracts.Security;
using Ops.Hosting.Messaging;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Security;

/// <summary>
/// The subjects (token <c>sub</c>) of disabled users. The service that disables a user stores the subject
/// and publishes <see cref="UserDisabled"/>; every service stores what it hears and refuses tokens issued
/// to that subject at or before the moment it was disabled, as it refuses a revoked API key.
/// </summary>
public sealed class DisabledUsers(Database database, Outbox outbox, TimeProvider time)
{
    /// <summary>How long a service trusts its in-memory copy before reading it again.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly DisabledUserSql sql = DisabledUserSql.For(database.Provider);
    private volatile Snapshot? snapshot;

    // Bumped whenever the list changes, so a copy read meanwhile is read again at the next lookup (as ApiKeyStore does).
    private long generation;

    private sealed record Snapshot(IReadOnlyDictionary<string, DateTimeOffset> Since, DateTimeOffset ReadAt, long Generation);

    private sealed record Row
    {
        public required string Subject { get; init; }
        public required DateTimeOffset DisabledAt { get; init; }
    }

    /// <summary>Stores the subject and its event inside the caller's transaction; call <see cref="Changed"/> after it commits.</summary>
    public async Task DisableAsync(DbTransaction transaction, string subject, DateTimeOffset at)
    {
        await transaction.ExecuteAsync(sql.Upsert, new { Subject = subject, At = at });
        await outbox.AddAsync(transaction, new UserDisabled(subject, at));
    }

    /// <summary>Stores a disabling another service published (again: a repeated event changes nothing).</summary>
    public async Task RecordAsync(UserDisabled disabled, CancellationToken cancellationToken = default)
    {
        await database.WriteAsync(t => t.ExecuteAsync(sql.Upsert, new { disabled.Subject, disabled.At }), cancellationToken);
        Changed();
    }

    public void Changed() => Interlocked.Increment(ref generation);

    /// <summary>When <paramref name="subject"/> was disabled, if it was; a token it was issued at or before then is refused.</summary>
    public async Task<DateTimeOffset?> DisabledAtAsync(string subject, CancellationToken cancellationToken = default)
    {
        var current = snapshot;
        var now = Interlocked.Read(ref generation);
        if (current is null || current.Generation != now || time.GetUtcNow() - current.ReadAt > CacheFor)
        {
            var rows = await database.ReadAsync(c => c.QueryAsync<Row>(sql.All), cancellationToken);
            current = snapshot = new Snapshot(rows.ToDictionary(r => r.Subject, r => r.DisabledAt, StringComparer.Ordinal), time.GetUtcNow(), now);
        }

        return current.Since.TryGetValue(subject, out var at) ? at : null;
    }
}

/// <summary>Keeps this service's list of disabled users in step with the service that disabled them.</summary>
public sealed class UserDisabledConsumer(DisabledUsers users) : IConsumer<UserDisabled>
{
    public Task Consume(ConsumeContext<UserDisabled> context) => users.RecordAsync(context.Message, context.CancellationToken);
}

internal abstract class DisabledUserSql : SqlStatements
{
    public static DisabledUserSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteDisabledUserSql(),
        SqlProvider.Postgres => new PostgresDisabledUserSql(),
        _ => new SqlServerDisabledUserSql(),
    };

    public string All => "SELECT subject AS Subject, disabled_at AS DisabledAt FROM disabled_subjects";

    /// <summary>Keeps the latest moment a subject was disabled.</summary>
    public abstract string Upsert { get; }
}

internal sealed class SqliteDisabledUserSql : DisabledUserSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string Upsert => """
        INSERT INTO disabled_subjects (subject, disabled_at) VALUES (@Subject, @At)
        ON CONFLICT (subject) DO UPDATE SET disabled_at = excluded.disabled_at WHERE excluded.disabled_at > disabled_at
        """;
}

internal sealed class SqlServerDisabledUserSql : DisabledUserSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string Upsert => """
        MERGE disabled_subjects WITH (HOLDLOCK) AS t
        USING (SELECT @Subject AS subject, @At AS disabled_at) AS s ON t.subject = s.subject
        WHEN MATCHED AND s.disabled_at > t.disabled_at THEN UPDATE SET disabled_at = s.disabled_at
        WHEN NOT MATCHED THEN INSERT (subject, disabled_at) VALUES (s.subject, s.disabled_at);
        """;
}

internal sealed class PostgresDisabledUserSql : DisabledUserSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    public override string Upsert => """
        INSERT INTO disabled_subjects (subject, disabled_at) VALUES (@Subject, @At)
        ON CONFLICT (subject) DO UPDATE SET disabled_at = excluded.disabled_at WHERE excluded.disabled_at > disabled_subjects.disabled_at
        """;
}
