using Dapper;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.SlaTimer.Notifications;

/// <summary>Sending (claimed, not finished), sent, failed after every retry, or skipped (the rota named nobody: the next level was told).</summary>
public enum NotificationStatus
{
    Sending,
    Sent,
    Failed,
    Skipped,
}

/// <summary>A notice to one level about one stage of one clock, and what became of it.</summary>
public sealed record Notification
{
    public required Guid Id { get; init; }
    public required Guid ClockId { get; init; }
    public required string TicketNumber { get; init; }
    public required string Contract { get; init; }
    public required string Clock { get; init; }

    /// <summary>The warning point (50, 80) or 100 for the breach.</summary>
    public required int Stage { get; init; }

    public required string Level { get; init; }
    public required NotificationChannel Channel { get; init; }
    public required NotificationStatus Status { get; init; }
    public required int Attempts { get; init; }
    public string? Error { get; init; }

    /// <summary>Why the notice went as it did, in Chinese: the rota named nobody and the next level was told instead, or the engineer got the WeCom app's card, or why they did not.</summary>
    public string? Reason { get; init; }

    /// <summary>The name of the engineer on duty the message @-mentioned (never their mobile).</summary>
    public string? Engineer { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>
/// The record of every notice. A notice is claimed before it is sent, and the claim is unique per clock,
/// stage and level: an event delivered twice, or a second sla-timer, never sends it again.
/// </summary>
public sealed class NotificationStore(Database database)
{
    private readonly NotificationSql sql = NotificationSql.For(database.Provider);

    /// <summary>Records the notice as being sent; false when it was claimed before.</summary>
    public async Task<bool> ClaimAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.WriteAsync(t => t.ExecuteAsync(sql.Claim, Parameters(notification)), cancellationToken);
            return true;
        }
        catch (Exception e) when (database.Provider.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>Records what became of the notice; <paramref name="reason"/>, when given, replaces the claim's (how the notice went).</summary>
    public Task FinishAsync(Guid id, NotificationStatus status, int attempts, string? error, DateTimeOffset at, CancellationToken cancellationToken = default, string? reason = null) =>
        database.WriteAsync(t => t.ExecuteAsync(
            sql.Finish,
            new { Id = id, Status = status.ToString().ToLowerInvariant(), Attempts = attempts, Error = error?[..Math.Min(error.Length, 1000)], At = at, Reason = reason?[..Math.Min(reason.Length, 500)] }), cancellationToken);

    /// <summary>The notices of the clocks that lie in <paramref name="scope"/>, of one ticket (its number) when given.</summary>
    public Task<(IReadOnlyList<Notification> Items, long Total)> ListAsync(NotificationStatus? status, string? ticketNumber, int limit, int offset, Scope scope, CancellationToken cancellationToken = default)
    {
        var parameters = scope.AddTo(new DynamicParameters(new { Status = status?.ToString().ToLowerInvariant(), Ticket = ticketNumber, Limit = limit, Offset = offset }));
        return database.ReadAsync(async c =>
        {
            var total = await c.ExecuteScalarAsync<long>(sql.Count, parameters);
            return ((IReadOnlyList<Notification>)(await c.QueryAsync<Notification>(sql.Page, parameters)).AsList(), total);
        }, cancellationToken);
    }

    /// <summary>How many notices failed since <paramref name="since"/>.</summary>
    public Task<long> FailedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql.FailedSince, new { Since = since }), cancellationToken);

    private static object Parameters(Notification n) => new
    {
        n.Id,
        n.ClockId,
        n.TicketNumber,
        n.Contract,
        n.Clock,
        n.Stage,
        n.Level,
        Channel = n.Channel.ToString().ToLowerInvariant(),
        Status = n.Status.ToString().ToLowerInvariant(),
        n.Attempts,
        n.Error,
        n.Reason,
        n.Engineer,
        n.CreatedAt,
        n.FinishedAt,
    };
}

/// <summary>The SQL of the notices' record; only the paging differs between providers.</summary>
internal abstract class NotificationSql : SqlStatements
{
    public static NotificationSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteNotificationSql(),
        SqlProvider.SqlServer => new SqlServerNotificationSql(),
        SqlProvider.Postgres => new PostgresNotificationSql(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    protected const string Columns = """
        id AS Id, clock_id AS ClockId, ticket_number AS TicketNumber, contract AS Contract, clock AS Clock, stage AS Stage,
        level AS Level, channel AS Channel, status AS Status, attempts AS Attempts, error AS Error,
        reason AS Reason, engineer AS Engineer, created_at AS CreatedAt, finished_at AS FinishedAt
        """;

    /// <summary>A notice's site is its clock's.</summary>
    protected string Filter => $"({Unset("@Status")} OR status = @Status) AND ({Unset("@Ticket")} OR ticket_number = @Ticket) AND {Scope.Sql(Provider, site: "(SELECT c.site_code FROM clocks c WHERE c.id = notifications.clock_id)")}";

    /// <summary>True when the filter <paramref name="parameter"/> is not given.</summary>
    protected virtual string Unset(string parameter) => $"{parameter} IS NULL";

    public string Claim => """
        INSERT INTO notifications (id, clock_id, ticket_number, contract, clock, stage, level, channel, status, attempts, error, reason, engineer, created_at, finished_at)
        VALUES (@Id, @ClockId, @TicketNumber, @Contract, @Clock, @Stage, @Level, @Channel, @Status, @Attempts, @Error, @Reason, @Engineer, @CreatedAt, @FinishedAt)
        """;

    public string Finish => "UPDATE notifications SET status = @Status, attempts = @Attempts, error = @Error, reason = COALESCE(@Reason, reason), finished_at = @At WHERE id = @Id";

    public string Count => $"SELECT COUNT(*) FROM notifications WHERE {Filter}";

    public abstract string Page { get; }

    public string FailedSince => "SELECT COUNT(*) FROM notifications WHERE status = 'failed' AND created_at >= @Since";
}

internal sealed class SqliteNotificationSql : NotificationSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string Page => $"SELECT {Columns} FROM notifications WHERE {Filter} ORDER BY created_at DESC, id LIMIT @Limit OFFSET @Offset";
}

internal sealed class SqlServerNotificationSql : NotificationSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string Page => $"SELECT {Columns} FROM notifications WHERE {Filter} ORDER BY created_at DESC, id OFFSET @Offset ROWS FETCH NEXT @Limit ROWS ONLY";
}

internal sealed class PostgresNotificationSql : NotificationSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    // IS NULL alone does not type a parameter that reaches PostgreSQL untyped (a null).
    protected override string Unset(string parameter) => $"CAST({parameter} AS text) IS NULL";

    public override string Page => $"SELECT {Columns} FROM notifications WHERE {Filter} ORDER BY created_at DESC, id LIMIT @Limit OFFSET @Offset";
}
