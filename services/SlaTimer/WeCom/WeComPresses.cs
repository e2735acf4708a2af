using Dapper;
using Ops.Contracts.Tickets;
using Ops.Hosting.Messaging;
using Ops.Hosting.Storage;

namespace Ops.SlaTimer.WeCom;

/// <summary>What became of a card press.</summary>
public enum PressOutcome
{
    /// <summary>Stored, with the command that acknowledges the ticket.</summary>
    Recorded,

    /// <summary>This very press was handled before.</summary>
    Replayed,

    /// <summary>Another press acknowledged the ticket already.</summary>
    TicketTaken,
}

/// <summary>
/// The card presses that acknowledged tickets. A press and the <see cref="AcknowledgeTicket"/> command it sends the
/// tickets service are written in one transaction, so a press is never lost nor sent twice.
/// </summary>
public sealed class WeComPresses(Database database, Outbox outbox)
{
    private readonly WeComPressSql sql = WeComPressSql.For(database.Provider);

    public async Task<PressOutcome> RecordAsync(string contract, string weComUser, AcknowledgeTicket command, CancellationToken cancellationToken = default)
    {
        try
        {
            return await InsertAsync(contract, weComUser, command, cancellationToken);
        }
        catch (Exception e) when (database.Provider.IsUniqueViolation(e))
        {
            // Another press (or WeCom's retry of this one) was stored between the checks and the insert.
            var replayed = await database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql.CountEvent, new { command.EventId }), cancellationToken) > 0;
            return replayed ? PressOutcome.Replayed : PressOutcome.TicketTaken;
        }
    }

    private Task<PressOutcome> InsertAsync(string contract, string weComUser, AcknowledgeTicket command, CancellationToken cancellationToken) =>
        database.WriteAsync(async t =>
        {
            if (await t.ExecuteScalarAsync<long>(sql.CountEvent, new { command.EventId }) > 0)
            {
                return PressOutcome.Replayed;
            }

            if (await t.ExecuteScalarAsync<long>(sql.CountTicket, new { command.TicketId }) > 0)
            {
                return PressOutcome.TicketTaken;
            }

            await t.ExecuteAsync(sql.Insert, new { command.EventId, Contract = contract, command.TicketId, WeComUser = weComUser, command.EngineerId, PressedAt = command.At });
            await outbox.AddAsync(t, command);
            return PressOutcome.Recorded;
        }, cancellationToken);
}

internal abstract class WeComPressSql : SqlStatements
{
    public static WeComPressSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteWeComPressSql(),
        SqlProvider.SqlServer => new SqlServerWeComPressSql(),
        SqlProvider.Postgres => new PostgresWeComPressSql(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    public string CountEvent => "SELECT COUNT(*) FROM wecom_presses WHERE event_id = @EventId";

    public string CountTicket => "SELECT COUNT(*) FROM wecom_presses WHERE ticket_id = @TicketId";

    public string Insert => """
        INSERT INTO wecom_presses (event_id, contract, ticket_id, wecom_user, engineer_id, pressed_at)
        VALUES (@EventId, @Contract, @TicketId, @WeComUser, @EngineerId, @PressedAt)
        """;
}

internal sealed class SqliteWeComPressSql : WeComPressSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;
}

internal sealed class SqlServerWeComPressSql : WeComPressSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;
}

internal sealed class PostgresWeComPressSql : WeComPressSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;
}
