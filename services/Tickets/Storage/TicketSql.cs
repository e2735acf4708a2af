using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Tickets.Storage;

/// <summary>The SQL of <see cref="TicketStore"/>; what differs between SQLite, SQL Server and PostgreSQL is in the classes below.</summary>
internal abstract class TicketSql : SqlStatements
{
    public static TicketSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteTicketSql(),
        SqlProvider.SqlServer => new SqlServerTicketSql(),
        SqlProvider.Postgres => new PostgresTicketSql(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    protected const string Columns = """
        id AS Id, number AS Number, version AS Version, contract AS Contract, kind AS Kind, severity AS StoredSeverity, grade AS Grade,
        status AS Status, channel AS Channel, site_code AS SiteCode, system AS System, title AS Title,
        description AS Description, reporter_name AS ReporterName, reporter_phone AS ReporterPhone,
        reported_at AS ReportedAt, acknowledged_at AS AcknowledgedAt, acknowledged_by AS AcknowledgedBy,
        acknowledged_by_id AS AcknowledgedById, resolved_at AS ResolvedAt, resolved_by AS ResolvedBy, resolved_by_id AS ResolvedById, resolution AS Resolution,
        external_ref AS ExternalRef, reopens AS Reopens, time_resolved_ms AS TimeResolvedMs,
        pause_requested_at AS PauseRequestedAt, pause_requested_by AS PauseRequestedBy,
        pause_requested_by_id AS PauseRequestedById, pause_reason AS PauseReason,
        paused_at AS PausedAt, pauses AS PausesJson,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>The filters of the ticket list, within the caller's scope; a filter left out (null) matches everything.</summary>
    protected string Filter => $"""
        {Scope.Sql(Provider)}
        AND (@Status IS NULL OR status = @Status)
        AND (@SiteCode IS NULL OR site_code = @SiteCode)
        AND (@Severity IS NULL OR severity = @Severity)
        AND (@Kind IS NULL OR kind = @Kind)
        AND (@AcknowledgedById IS NULL OR acknowledged_by_id = @AcknowledgedById)
        AND ({Time("@From")} IS NULL OR reported_at >= @From)
        AND ({Time("@To")} IS NULL OR reported_at < @To)
        """;

    /// <summary>A time parameter where its type must be named: a null time comes without one.</summary>
    protected virtual string Time(string parameter) => parameter;

    public string Insert => """
        INSERT INTO tickets (id, number, version, contract, kind, severity, grade, status, channel, site_code, system, title,
            description, reporter_name, reporter_phone, reported_at, acknowledged_at, acknowledged_by, resolved_at,
            resolved_by, resolution, external_ref, reopens, time_resolved_ms, pauses, created_at, updated_at)
        VALUES (@Id, @Number, @Version, @Contract, @Kind, @Severity, @Grade, @Status, @Channel, @SiteCode, @System, @Title,
            @Description, @ReporterName, @ReporterPhone, @ReportedAt, @AcknowledgedAt, @AcknowledgedBy, @ResolvedAt,
            @ResolvedBy, @Resolution, @ExternalRef, @Reopens, @TimeResolvedMs, @PausesJson, @CreatedAt, @UpdatedAt)
        """;

    /// <summary>Optimistic: changes the ticket only if nobody changed it since it was read.</summary>
    public string Update => """
        UPDATE tickets SET version = @Version, severity = @Severity, status = @Status,
            acknowledged_at = @AcknowledgedAt, acknowledged_by = @AcknowledgedBy, acknowledged_by_id = @AcknowledgedById,
            resolved_at = @ResolvedAt, resolved_by = @ResolvedBy, resolved_by_id = @ResolvedById, resolution = @Resolution,
            reopens = @Reopens, time_resolved_ms = @TimeResolvedMs,
            pause_requested_at = @PauseRequestedAt, pause_requested_by = @PauseRequestedBy,
            pause_requested_by_id = @PauseRequestedById, pause_reason = @PauseReason,
            paused_at = @PausedAt, pauses = @PausesJson, updated_at = @UpdatedAt
        WHERE id = @Id AND version = @Version - 1
        """;

    public string ById => $"SELECT {Columns} FROM tickets WHERE id = @Id";

    public string ByNumber => $"SELECT {Columns} FROM tickets WHERE number = @Number";

    public string InsertTimelineEntry => """
        INSERT INTO ticket_timeline (ticket_id, version, occurred_at, action, actor, actor_id, detail, chain_seq, prev_hash, hash)
        VALUES (@TicketId, @Version, @At, @Action, @Actor, @ActorId, @Detail, @ChainSeq, @PrevHash, @Hash)
        """;

    protected const string TimelineColumns = """
        ticket_id AS TicketId, version AS Version, occurred_at AS At, action AS Action, actor AS Actor, actor_id AS ActorId, detail AS Detail,
        chain_seq AS ChainSeq, prev_hash AS PrevHash, hash AS Hash
        """;

    public string Timeline => $"SELECT {TimelineColumns} FROM ticket_timeline WHERE ticket_id = @Id ORDER BY version";

    /// <summary>Every timeline entry in the order of its evidence chain.</summary>
    public string TimelineInChainOrder => $"SELECT {TimelineColumns} FROM ticket_timeline ORDER BY chain_seq";

    /// <summary>A contract's tickets reported in [@From, @To), first reported first, for the yearly archive read row by row.</summary>
    public string OfYear => $"SELECT {Columns} FROM tickets WHERE contract = @Contract AND reported_at >= @From AND reported_at < @To ORDER BY reported_at, id";

    /// <summary>The timelines of a batch of tickets (@Ids, see <see cref="Ids"/>).</summary>
    public virtual string TimelinesOf => $"SELECT {TimelineColumns} FROM ticket_timeline WHERE ticket_id IN @Ids ORDER BY ticket_id, version";

    /// <summary>
    /// Ids as a list Dapper expands (it writes each element itself, past the id's type handler, so each is given as the
    /// store keeps it), or passes whole as one array where the provider has arrays.
    /// </summary>
    public virtual System.Collections.IEnumerable Ids(IEnumerable<Guid> ids) => ids.Cast<object>().ToList();

    /// <summary>A key is the caller's own: another caller's same key is not found.</summary>
    public string FindIdempotencyKey => "SELECT fingerprint AS Fingerprint, ticket_id AS TicketId FROM idempotency_keys WHERE caller = @Caller AND idempotency_key = @Key";

    public string InsertIdempotencyKey => """
        INSERT INTO idempotency_keys (caller, idempotency_key, fingerprint, ticket_id, created_at)
        VALUES (@Caller, @Key, @Fingerprint, @TicketId, @CreatedAt)
        """;

    public string Count => $"SELECT COUNT(*) FROM tickets WHERE {Filter}";

    /// <summary>Encrypts one phone stored before encryption, if it still is.</summary>
    public string EncryptPhone => "UPDATE tickets SET reporter_phone = @ReporterPhone WHERE id = @Id AND reporter_phone = @Plain";

    /// <summary>Takes the next number of the day for <c>@Prefix</c> and returns it.</summary>
    public abstract string NextNumber { get; }

    /// <summary>Up to <c>@Limit</c> tickets whose phone was stored before encryption (encrypted ones start with <c>v1:</c>).</summary>
    public abstract string PlainPhones { get; }

    public abstract string Page { get; }

    /// <summary>Every ticket of the filter, in the list's order, for an export read row by row.</summary>
    public abstract string Export { get; }
}

internal sealed class SqliteTicketSql : TicketSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string NextNumber => """
        INSERT INTO ticket_numbers (prefix, last_number) VALUES (@Prefix, 1)
        ON CONFLICT (prefix) DO UPDATE SET last_number = last_number + 1
        RETURNING last_number
        """;

    public override string Page => $"""
        SELECT {Columns} FROM tickets WHERE {Filter}
        ORDER BY reported_at DESC, id LIMIT @Limit OFFSET @Offset
        """;

    public override string Export => $"""
        SELECT {Columns} FROM tickets WHERE {Filter}
        ORDER BY reported_at DESC, id
        """;

    public override string PlainPhones => "SELECT id AS Id, reporter_phone AS ReporterPhone FROM tickets WHERE reporter_phone NOT LIKE 'v1:%' LIMIT @Limit";

    /// <summary>SQLite keeps an id as its text.</summary>
    public override System.Collections.IEnumerable Ids(IEnumerable<Guid> ids) => ids.Select(id => id.ToString("D")).ToList();
}

internal sealed class SqlServerTicketSql : TicketSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string NextNumber => """
        MERGE ticket_numbers WITH (HOLDLOCK) AS t
        USING (SELECT @Prefix AS prefix) AS s ON t.prefix = s.prefix
        WHEN MATCHED THEN UPDATE SET last_number = t.last_number + 1
        WHEN NOT MATCHED THEN INSERT (prefix, last_number) VALUES (s.prefix, 1)
        OUTPUT inserted.last_number;
        """;

    public override string Page => $"""
        SELECT {Columns} FROM tickets WHERE {Filter}
        ORDER BY reported_at DESC, id OFFSET @Offset ROWS FETCH NEXT @Limit ROWS ONLY
        OPTION (RECOMPILE)
        """;

    public override string Export => $"""
        SELECT {Columns} FROM tickets WHERE {Filter}
        ORDER BY reported_at DESC, id
        OPTION (RECOMPILE)
        """;

    public override string PlainPhones => "SELECT TOP (@Limit) id AS Id, reporter_phone AS ReporterPhone FROM tickets WHERE reporter_phone NOT LIKE 'v1:%'";
}

internal sealed class PostgresTicketSql : TicketSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    /// <summary>Atomic under concurrent reports: the row of the day is created or incremented and read in one statement.</summary>
    public override string NextNumber => """
        INSERT INTO ticket_numbers (prefix, last_number) VALUES (@Prefix, 1)
        ON CONFLICT (prefix) DO UPDATE SET last_number = ticket_numbers.last_number + 1
        RETURNING last_number
        """;

    public override string Page => $"""
        SELECT {Columns} FROM tickets WHERE {Filter}
        ORDER BY reported_at DESC, id LIMIT @Limit OFFSET @Offset
        """;

    public override string Export => $"""
        SELECT {Columns} FROM tickets WHERE {Filter}
        ORDER BY reported_at DESC, id
        """;

    public override string PlainPhones => "SELECT id AS Id, reporter_phone AS ReporterPhone FROM tickets WHERE reporter_phone NOT LIKE 'v1:%' LIMIT @Limit";

    /// <summary>PostgreSQL cannot tell the type of a parameter that is only ever null or compared with null.</summary>
    protected override string Time(string parameter) => $"CAST({parameter} AS timestamptz)";

    /// <summary>Npgsql sends a list as one array parameter, which <c>IN</c> does not take.</summary>
    public override string TimelinesOf => $"SELECT {TimelineColumns} FROM ticket_timeline WHERE ticket_id = ANY(@Ids) ORDER BY ticket_id, version";

    /// <summary>One <c>uuid[]</c> parameter.</summary>
    public override System.Collections.IEnumerable Ids(IEnumerable<Guid> ids) => ids.ToArray();
}
