using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

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

/// <summary>A store's refusal that passes once space is freed, the lock released or the server back: the request may be tried again.</summary>
public sealed record StoreFault(StoreFaultKind Kind, string Code)
{
    /// <summary>
    /// The fault an exception (or one it wraps) reports, or null when it is not one: a constraint violation or a
    /// bug is the request's or the code's, and trying again changes nothing.
    /// </summary>
    public static StoreFault? Of(Exception exception)
    {
        for (var e = (Exception?)exception; e is not null; e = e.InnerException)
        {
            var fault = e switch
            {
                SqliteException sqlite => OfSqlite(sqlite.SqliteErrorCode),
                SqlException sql => OfSqlServer(sql.Number),
                _ => null,
            };
            if (fault is not null)
            {
                return fault;
            }
        }

        return null;
    }

    // SQLite's primary result codes: https://sqlite.org/rescode.html
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
        1222 or -2 => new(StoreFaultKind.Locked, $"SQL Server {number}"),
        -1 or 2 or 53 or 233 or 4060 or 10053 or 10054 or 10060 or 40613 => new(StoreFaultKind.Unavailable, $"SQL Server {number}"),
        _ => null,
    };
}
