using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ops.Hosting.Storage;

/// <summary>Why a store refuses a statement for a while, through no fault of the request: its disk is full, it is locked, or it is away.</summary>
public enum StoreFaultKind
{
    /// <summary>The disk (or the database's file group or log) is full.</summary>
    Full,

    /// <summary>Another connection holds the lock for longer than the command timeout.</summary>
    Locked,

    /// <summary>The store cannot be reached or read (an I/O error, a server that does not answer).</summary>
    Unavailable,
}

/// <summary>
/// A store's refusal that passes once space is freed, the lock released or the server back: the request may be tried again.
/// <paramref name="OutcomeUnknown"/> when the connection broke or timed out while a statement or the COMMIT was in
/// flight: the server may have committed, so the request may have been stored; otherwise nothing of it was.
/// </summary>
public sealed record StoreFault(StoreFaultKind Kind, string Code, bool OutcomeUnknown = false)
{
    /// <summary>Set in an exception's <see cref="Exception.Data"/> when it was thrown before a write began (opening the connection, BEGIN).</summary>
    private const string NotBegunKey = "Ops.Hosting.Storage.WriteNotBegun";

    /// <summary>
    /// The fault an exception (or one it wraps) reports, or null when it is not one: a constraint violation or a
    /// bug is the request's or the code's, and trying again changes nothing.
    /// </summary>
    public static StoreFault? Of(Exception exception)
    {
        StoreFault? found = null;
        var notBegun = false;
        for (var e = (Exception?)exception; e is not null; e = e.InnerException)
        {
            notBegun |= e.Data.Contains(NotBegunKey);
            found ??= e switch
            {
                SqliteException sqlite => OfSqlite(sqlite.SqliteErrorCode),
                SqlException sql => OfSqlServer(sql.Number),
                PostgresException postgres => OfPostgres(postgres.SqlState),
                // Npgsql's own: the server could not be reached, or the connection broke or timed out under a command.
                NpgsqlException { IsTransient: true } => new(StoreFaultKind.Unavailable, "PostgreSQL connection", OutcomeUnknown: true),
                _ => null,
            };
        }

        // A connection that broke before the transaction began took nothing with it.
        return found is { OutcomeUnknown: true } && notBegun ? found with { OutcomeUnknown = false } : found;
    }

    /// <summary>Marks <paramref name="exception"/> as thrown before a write began, so that <see cref="Of"/> knows nothing was stored.</summary>
    public static void NotBegun(Exception exception) => exception.Data[NotBegunKey] = true;

    // SQLite's primary result codes: https://sqlite.org/rescode.html. Its commit is atomic on the local disk: every fault is certain.
    public static StoreFault? OfSqlite(int code) => code switch
    {
        13 => new(StoreFaultKind.Full, "SQLITE_FULL"),
        5 => new(StoreFaultKind.Locked, "SQLITE_BUSY"),
        6 => new(StoreFaultKind.Locked, "SQLITE_LOCKED"),
        10 => new(StoreFaultKind.Unavailable, "SQLITE_IOERR"),
        14 => new(StoreFaultKind.Unavailable, "SQLITE_CANTOPEN"),
        8 => new(StoreFaultKind.Unavailable, "SQLITE_READONLY"),
        _ => null,
    };

    public static StoreFault? OfSqlServer(int number) => number switch
    {
        1105 or 1101 or 9002 => new(StoreFaultKind.Full, $"SQL Server {number}"),
        1222 => new(StoreFaultKind.Locked, $"SQL Server {number}"),
        // a command timeout: the client gave up waiting, perhaps for the answer to a COMMIT the server made
        -2 => new(StoreFaultKind.Locked, $"SQL Server {number}", OutcomeUnknown: true),
        // the connection broke (a transport error, reset or aborted) under a statement
        -1 or 10053 or 10054 => new(StoreFaultKind.Unavailable, $"SQL Server {number}", OutcomeUnknown: true),
        2 or 53 or 233 or 4060 or 10060 or 40613 => new(StoreFaultKind.Unavailable, $"SQL Server {number}"),
        _ => null,
    };

    // PostgreSQL's SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
    public static StoreFault? OfPostgres(string sqlState) => sqlState switch
    {
        // disk_full, out_of_memory, program_limit / too many connections are the server's, not the request's
        "53100" or "53200" => new(StoreFaultKind.Full, $"PostgreSQL {sqlState}"),
        // lock_not_available, query_canceled (statement or lock timeout), deadlock_detected, serialization_failure
        "55P03" or "57014" or "40P01" or "40001" => new(StoreFaultKind.Locked, $"PostgreSQL {sqlState}"),
        // no connection was made: sqlclient_unable_to_establish_sqlconnection, sqlserver_rejected_establishment_of_sqlconnection
        "08001" or "08004" => new(StoreFaultKind.Unavailable, $"PostgreSQL {sqlState}"),
        // the connection was lost, the server shut down under us (admin or crash), or it says itself the statement's completion is unknown
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) => new(StoreFaultKind.Unavailable, $"PostgreSQL {sqlState}", OutcomeUnknown: true),
        "57P01" or "57P02" or "40003" => new(StoreFaultKind.Unavailable, $"PostgreSQL {sqlState}", OutcomeUnknown: true),
        // too many connections, the server starting, read-only, an I/O error
        "53300" or "57P03" or "25006" or "58030" => new(StoreFaultKind.Unavailable, $"PostgreSQL {sqlState}"),
        _ => null,
    };
}
