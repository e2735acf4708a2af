using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Ops.Hosting.Storage;

/// <summary>
/// A service's own database. Writes run in one transaction each; on SQLite they also take turns
/// inside the process (SQLite has one writer at a time), which is cheaper than letting them collide.
/// </summary>
public sealed class Database
{
    private readonly string connectionString;
    private readonly SemaphoreSlim? writeTurn;
    private readonly int commandTimeoutSeconds;

    /// <summary>Called after every committed write; the outbox dispatcher listens to it.</summary>
    public event Action? Committed;

    public Database(SqlProvider provider, string connectionString, int commandTimeoutSeconds = 30)
    {
        SqlTypeHandlers.Register();
        Provider = provider;
        this.connectionString = connectionString;
        this.commandTimeoutSeconds = commandTimeoutSeconds;
        writeTurn = provider == SqlProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;
    }

    public SqlProvider Provider { get; }

    /// <summary>The store a service runs on: SQL Server when <c>ConnectionStrings:SqlServer</c> is set, else its SQLite file.</summary>
    public static Database FromConfiguration(string service, string? sqlServerConnectionString, DatabaseOptions options)
    {
        if (!string.IsNullOrWhiteSpace(sqlServerConnectionString))
        {
            return new Database(SqlProvider.SqlServer, sqlServerConnectionString, options.CommandTimeoutSeconds);
        }

        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        return ForSqliteFile(Path.Combine(directory, $"{service}.db"), options.CommandTimeoutSeconds);
    }

    public static Database ForSqliteFile(string path, int commandTimeoutSeconds = 30)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            DefaultTimeout = commandTimeoutSeconds,
        };
        return new Database(SqlProvider.Sqlite, builder.ToString(), commandTimeoutSeconds);
    }

    /// <summary>A human description of the store, without credentials, for logs.</summary>
    public string Describe() => Provider == SqlProvider.Sqlite
        ? $"SQLite {new SqliteConnectionStringBuilder(connectionString).DataSource}"
        : $"SQL Server {new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString).DataSource}";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = Provider.CreateConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (Provider == SqlProvider.Sqlite)
        {
            // Durable at commit: a 2xx answer means the change survives a power cut.
            await connection.ExecuteAsync("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        }

        return connection;
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await read(connection);
    }

    /// <summary>Runs <paramref name="write"/> in one transaction and commits it; nothing is kept if it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> write, CancellationToken cancellationToken = default)
    {
        if (writeTurn is not null)
        {
            await writeTurn.WaitAsync(cancellationToken);
        }

        T result;
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            result = await write(transaction);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            writeTurn?.Release();
        }

        Committed?.Invoke();
        return result;
    }

    public Task WriteAsync(Func<DbTransaction, Task> write, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>(async transaction => { await write(transaction); return true; }, cancellationToken);

    internal int CommandTimeoutSeconds => commandTimeoutSeconds;
}
