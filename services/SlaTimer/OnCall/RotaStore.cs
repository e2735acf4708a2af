using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.SlaTimer.OnCall;

/// <summary>The engineers and rotations a manager saved for a contract.</summary>
public sealed record SavedRota(IReadOnlyList<DutyEngineer> Engineers, IReadOnlyList<Rotation> Rotations);

/// <summary>What became of a request to remove an override.</summary>
public enum OverrideRemoval
{
    Removed,
    NotFound,

    /// <summary>The override has begun: the duty it records stays as it was.</summary>
    Started,
}

/// <summary>The last change to a contract's rota: who made it and when.</summary>
public sealed record RotaChange(string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>
/// The rotas managers saved and the overrides, with a log of every change (who, when, what). Adding an override
/// checks for an overlap on its layer in the same transaction, so two managers never both get theirs in.
/// </summary>
public sealed class RotaStore(Database database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    private readonly RotaSql sql = RotaSql.For(database.Provider);

    public Task<SavedRota?> SavedAsync(string contract, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
            await c.QueryFirstOrDefaultAsync<string>(sql.Saved, new { Contract = contract }) is { } json ? JsonSerializer.Deserialize<SavedRota>(json, Json) : null,
            cancellationToken);

    /// <summary>The contract's overrides that end after <paramref name="endingAfter"/>, by start.</summary>
    public Task<IReadOnlyList<DutyOverride>> OverridesAsync(string contract, DateTimeOffset endingAfter, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c => (IReadOnlyList<DutyOverride>)(await c.QueryAsync<OverrideRow>(sql.Overrides, new { Contract = contract, After = endingAfter })).Select(r => r.ToOverride()).ToList(), cancellationToken);

    public Task<RotaChange?> LastChangeAsync(string contract, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c => await c.QueryFirstOrDefaultAsync<ChangeRow>(sql.LastChange, new { Contract = contract }) is { } row ? new RotaChange(row.ChangedBy, row.ChangedAt) : null, cancellationToken);

    public Task SaveAsync(string contract, SavedRota rota, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async t =>
        {
            var json = JsonSerializer.Serialize(rota, Json);
            await t.Connection!.ExecuteAsync(sql.Save, new { Contract = contract, Rota = json, ChangedBy = actor.Name, ChangedAt = at }, t);
            // The change log is kept for good: it records the mobiles masked, the rota itself holds them whole.
            var logged = rota with { Engineers = [.. rota.Engineers.Select(e => e with { Mobile = PhoneMask.Of(e.Mobile) })] };
            await LogAsync(t, contract, "rotations-saved", JsonSerializer.Serialize(logged, Json), actor, at);
            return 0;
        }, cancellationToken);

    /// <summary>Adds the override, unless another of its layer overlaps it: then that one is returned and nothing is stored.</summary>
    public Task<DutyOverride?> AddOverrideAsync(string contract, DutyOverride added, Actor actor, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async t =>
        {
            if (sql.LockLayer is { } lockLayer)
            {
                await t.Connection!.ExecuteAsync(lockLayer, new { Contract = contract, Layer = RotaRules.Layer(added.Layer) }, t);
            }

            var clash = await t.Connection!.QueryFirstOrDefaultAsync<OverrideRow>(
                sql.Overlapping, new { Contract = contract, Layer = RotaRules.Layer(added.Layer), added.From, added.To }, t);
            if (clash is not null)
            {
                return clash.ToOverride();
            }

            await t.Connection!.ExecuteAsync(sql.AddOverride, new
            {
                added.Id, Contract = contract, Layer = RotaRules.Layer(added.Layer), added.Engineer, added.From, added.To, added.Reason,
                added.CreatedBy, CreatedById = actor.Id, added.CreatedAt,
            }, t);
            await LogAsync(t, contract, "override-added", JsonSerializer.Serialize(added, Json), actor, added.CreatedAt);
            return (DutyOverride?)null;
        }, cancellationToken);

    /// <summary>Removes the override of the contract, unless it has begun by <paramref name="at"/>.</summary>
    public Task<OverrideRemoval> RemoveOverrideAsync(string contract, Guid id, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async t =>
        {
            var row = await t.Connection!.QueryFirstOrDefaultAsync<OverrideRow>(sql.Override, new { Contract = contract, Id = id }, t);
            if (row is null)
            {
                return OverrideRemoval.NotFound;
            }

            if (row.FromAt <= at)
            {
                return OverrideRemoval.Started;
            }

            await t.Connection!.ExecuteAsync(sql.RemoveOverride, new { Contract = contract, Id = id }, t);
            await LogAsync(t, contract, "override-removed", JsonSerializer.Serialize(row.ToOverride(), Json), actor, at);
            return OverrideRemoval.Removed;
        }, cancellationToken);

    private Task LogAsync(System.Data.Common.DbTransaction t, string contract, string change, string detail, Actor actor, DateTimeOffset at) =>
        t.Connection!.ExecuteAsync(sql.Log, new { Contract = contract, Change = change, Detail = detail, ChangedBy = actor.Name, ChangedById = actor.Id, ChangedAt = at }, t);

    private sealed class ChangeRow
    {
        public string ChangedBy { get; init; } = "";
        public DateTimeOffset ChangedAt { get; init; }
    }

    private sealed class OverrideRow
    {
        public Guid Id { get; init; }
        public string Layer { get; init; } = "";
        public string Engineer { get; init; } = "";
        public DateTimeOffset FromAt { get; init; }
        public DateTimeOffset ToAt { get; init; }
        public string Reason { get; init; } = "";
        public string CreatedBy { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }

        public DutyOverride ToOverride() => new(Id, Enum.Parse<DutyLayer>(Layer, ignoreCase: true), Engineer, FromAt, ToAt, Reason, CreatedBy, CreatedAt);
    }
}

/// <summary>The SQL of the rotas, overrides and their change log; the upsert and the overlap's lock differ between providers.</summary>
internal abstract class RotaSql : SqlStatements
{
    public static RotaSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteRotaSql(),
        SqlProvider.SqlServer => new SqlServerRotaSql(),
        SqlProvider.Postgres => new PostgresRotaSql(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    protected const string OverrideColumns = "id AS Id, layer AS Layer, engineer AS Engineer, from_at AS FromAt, to_at AS ToAt, reason AS Reason, created_by AS CreatedBy, created_at AS CreatedAt";

    public string Saved => "SELECT rota FROM oncall_rotas WHERE contract = @Contract";

    public abstract string Save { get; }

    public string Overrides => $"SELECT {OverrideColumns} FROM oncall_overrides WHERE contract = @Contract AND to_at > @After ORDER BY from_at, id";

    public string Override => $"SELECT {OverrideColumns} FROM oncall_overrides WHERE contract = @Contract AND id = @Id";

    /// <summary>Another override of the layer that shares a moment with [From, To): ends touching is no overlap.</summary>
    public abstract string Overlapping { get; }

    /// <summary>Makes a second manager's override of the same layer wait until this transaction ends; null where <see cref="Overlapping"/> does it itself.</summary>
    public virtual string? LockLayer => null;

    public string AddOverride => """
        INSERT INTO oncall_overrides (id, contract, layer, engineer, from_at, to_at, reason, created_by, created_by_id, created_at)
        VALUES (@Id, @Contract, @Layer, @Engineer, @From, @To, @Reason, @CreatedBy, @CreatedById, @CreatedAt)
        """;

    public string RemoveOverride => "DELETE FROM oncall_overrides WHERE contract = @Contract AND id = @Id";

    public string Log => """
        INSERT INTO oncall_changes (contract, change, detail, changed_by, changed_by_id, changed_at)
        VALUES (@Contract, @Change, @Detail, @ChangedBy, @ChangedById, @ChangedAt)
        """;

    public abstract string LastChange { get; }
}

internal sealed class SqliteRotaSql : RotaSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string Save => """
        INSERT INTO oncall_rotas (contract, rota, changed_by, changed_at) VALUES (@Contract, @Rota, @ChangedBy, @ChangedAt)
        ON CONFLICT (contract) DO UPDATE SET rota = excluded.rota, changed_by = excluded.changed_by, changed_at = excluded.changed_at
        """;

    // SQLite has one writer at a time: the check and the insert share the write transaction.
    public override string Overlapping => $"SELECT {OverrideColumns} FROM oncall_overrides WHERE contract = @Contract AND layer = @Layer AND from_at < @To AND to_at > @From ORDER BY from_at LIMIT 1";

    public override string LastChange => "SELECT changed_by AS ChangedBy, changed_at AS ChangedAt FROM oncall_changes WHERE contract = @Contract ORDER BY id DESC LIMIT 1";
}

internal sealed class SqlServerRotaSql : RotaSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string Save => """
        MERGE oncall_rotas WITH (HOLDLOCK) AS r
        USING (SELECT @Contract AS contract) AS s ON r.contract = s.contract
        WHEN MATCHED THEN UPDATE SET rota = @Rota, changed_by = @ChangedBy, changed_at = @ChangedAt
        WHEN NOT MATCHED THEN INSERT (contract, rota, changed_by, changed_at) VALUES (@Contract, @Rota, @ChangedBy, @ChangedAt);
        """;

    // The range lock holds the layer's span until commit, so a second manager's overlapping override waits and then sees this one.
    public override string Overlapping => $"SELECT TOP (1) {OverrideColumns} FROM oncall_overrides WITH (UPDLOCK, HOLDLOCK) WHERE contract = @Contract AND layer = @Layer AND from_at < @To AND to_at > @From ORDER BY from_at";

    public override string LastChange => "SELECT TOP (1) changed_by AS ChangedBy, changed_at AS ChangedAt FROM oncall_changes WHERE contract = @Contract ORDER BY id DESC";
}

internal sealed class PostgresRotaSql : RotaSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    public override string Save => """
        INSERT INTO oncall_rotas (contract, rota, changed_by, changed_at) VALUES (@Contract, @Rota, @ChangedBy, @ChangedAt)
        ON CONFLICT (contract) DO UPDATE SET rota = excluded.rota, changed_by = excluded.changed_by, changed_at = excluded.changed_at
        """;

    public override string Overlapping => $"SELECT {OverrideColumns} FROM oncall_overrides WHERE contract = @Contract AND layer = @Layer AND from_at < @To AND to_at > @From ORDER BY from_at LIMIT 1";

    // PostgreSQL locks no range of rows it has not read: the layer itself is locked, by name, until commit.
    public override string LockLayer => "SELECT pg_advisory_xact_lock(hashtext('oncall_overrides'), hashtext(@Contract || ' ' || @Layer))";

    public override string LastChange => "SELECT changed_by AS ChangedBy, changed_at AS ChangedAt FROM oncall_changes WHERE contract = @Contract ORDER BY id DESC LIMIT 1";
}
