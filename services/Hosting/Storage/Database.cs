using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ops.Hosting.Storage;

/// <summary>
/// A service's own database. Writes run in one transaction each on a server (PostgreSQL, SQL Server), a few at a time per
/// process (<see cref="DatabaseOptions.ServerWriters"/>); on SQLite, which has one
/// writer at a time, they take turns inside the process on one connection kept open (with its statements
/// kept compiled), and those that wait are committed together.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly string connectionString;
    private readonly NpgsqlDataSource? postgres;
    private readonly SemaphoreSlim? writeTurn;
    private readonly SemaphoreSlim? serverWriters;
    private readonly int commandTimeoutSeconds;
    private readonly TimeProvider time;
    private readonly Lock writeFailureLock = new();
    private WriteFailure? lastWriteFailure;

    /// <summary>Called after every committed write; the outbox dispatcher listens to it.</summary>
    public event Action? Committed;

    public Database(SqlProvider provider, string connectionString, int commandTimeoutSeconds = 30, TimeProvider? time = null, int serverWriters = 4)
    {
        SqlTypeHandlers.Register();
        Provider = provider;
        this.connectionString = connectionString;
        this.commandTimeoutSeconds = commandTimeoutSeconds;
        this.time = time ?? TimeProvider.System;
        writeTurn = provider == SqlProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;
        this.serverWriters = provider == SqlProvider.Sqlite ? null : new SemaphoreSlim(serverWriters, serverWriters);
        if (provider == SqlProvider.Postgres)
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.ConnectionStringBuilder.CommandTimeout = commandTimeoutSeconds;
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                // The services run the same few hundred statements over and over: prepared once per connection (and kept
                // while the pool keeps it), each is no longer parsed and planned on every run, most of the server's CPU.
                builder.ConnectionStringBuilder.MaxAutoPrepare = 256;
            }

            if (!Names(connectionString, "No Reset On Close", "NoResetOnClose"))
            {
                // A connection back in the pool is not reset (seven statements, as many round trips as a small write):
                // the services keep no session state, their only advisory locks end with their transactions.
                builder.ConnectionStringBuilder.NoResetOnClose = true;
            }
            postgres = builder.Build();
        }
    }

    public SqlProvider Provider { get; }

    /// <summary>Whether the connection string itself sets one of <paramref name="keys"/> (Npgsql's builder answers yes for every key it knows).</summary>
    private static bool Names(string connectionString, params string[] keys)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return keys.Any(given.ContainsKey);
    }

    /// <summary>The store refused writes (<see cref="StoreFault"/>) since <paramref name="Since"/>, <paramref name="Failures"/> times, the last one at <paramref name="Last"/>.</summary>
    public sealed record WriteFailure(StoreFault Fault, DateTimeOffset Since, DateTimeOffset Last, long Failures);

    /// <summary>
    /// Set while the store refuses writes for a reason that passes (disk full, locked, away), cleared by the
    /// next commit that changes rows; readiness reports it.
    /// </summary>
    public WriteFailure? LastWriteFailure => Volatile.Read(ref lastWriteFailure);

    private void WriteFailed(Exception exception)
    {
        if (StoreFault.Of(exception) is not { } fault)
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (writeFailureLock)
        {
            var before = lastWriteFailure;
            Volatile.Write(ref lastWriteFailure, new WriteFailure(fault, before?.Since ?? now, now, (before?.Failures ?? 0) + 1));
        }
    }

    private int probing;

    /// <summary>
    /// While the store refuses writes, starts one write (unless one is under way) that reaches the disk and changes
    /// nothing anyone reads: SQLite's header, a PostgreSQL transaction id. When it commits the refusal is over, also
    /// for a service that has nothing else to write. In the background, as a locked store holds a write for its
    /// command timeout. SQL Server's refusal ends at the next write that changes rows.
    /// </summary>
    public void ProbeWrites()
    {
        var probe = Provider switch
        {
            SqlProvider.Sqlite => "PRAGMA user_version = 0",
            SqlProvider.Postgres => "SELECT pg_current_xact_id()",
            _ => null,
        };
        if (LastWriteFailure is null || probe is null || Interlocked.Exchange(ref probing, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await WriteAsync(t => t.Connection!.ExecuteAsync(probe, transaction: t));
                Volatile.Write(ref lastWriteFailure, null);
            }
            catch (Exception)
            {
                // Still refused: WriteAsync recorded why, and the next check tries again.
            }
            finally
            {
                Volatile.Write(ref probing, 0);
            }
        });
    }

    /// <param name="wroteRows">False when the commit changed no row: SQLite then writes nothing, so it says nothing of a full disk.</param>
    private void WriteCommitted(bool wroteRows = true)
    {
        if (wroteRows && Volatile.Read(ref lastWriteFailure) is not null)
        {
            Volatile.Write(ref lastWriteFailure, null);
        }

        Committed?.Invoke();
    }

    /// <summary>
    /// The store a service runs on: PostgreSQL when <c>ConnectionStrings:Postgres</c> is set, SQL Server when
    /// <c>ConnectionStrings:SqlServer</c> is, else its SQLite file; <c>Database:Provider</c> chooses when both are set.
    /// </summary>
    /// <exception cref="OptionsValidationException">The provider asked for has no connection string, or its connection string cannot be read.</exception>
    public static Database FromConfiguration(string service, string? sqlServerConnectionString, string? postgresConnectionString, DatabaseOptions options, TimeProvider? time = null)
    {
        var (provider, connectionString) = options.Select(sqlServerConnectionString, postgresConnectionString);
        if (provider != SqlProvider.Sqlite)
        {
            return new Database(provider, connectionString!, options.CommandTimeoutSeconds, time, options.ServerWriters);
        }

        var directory = Path.GetFullPath(options.DataDirectory);
        return ForSqliteFile(Path.Combine(directory, $"{service}.db"), options.CommandTimeoutSeconds, time);
    }

    public static Database ForSqliteFile(string path, int commandTimeoutSeconds = 30, TimeProvider? time = null)
    {
        OwnerOnlyFiles.PrepareDatabase(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            DefaultTimeout = commandTimeoutSeconds,
        };
        return new Database(SqlProvider.Sqlite, builder.ToString(), commandTimeoutSeconds, time);
    }

    /// <summary>A human description of the store, without credentials, for logs.</summary>
    public string Describe() => Provider switch
    {
        SqlProvider.Sqlite => $"SQLite {new SqliteConnectionStringBuilder(connectionString).DataSource}",
        SqlProvider.Postgres => DescribePostgres(new NpgsqlConnectionStringBuilder(connectionString)),
        _ => $"SQL Server {new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString).DataSource}",
    };

    private static string DescribePostgres(NpgsqlConnectionStringBuilder builder) =>
        $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";

    /// <summary>An open connection; what goes wrong while opening it is marked as before any write (<see cref="StoreFault.NotBegun"/>).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await OpenUnmarkedAsync(cancellationToken);
        }
        catch (Exception e)
        {
            StoreFault.NotBegun(e);
            throw;
        }
    }

    private async Task<DbConnection> OpenUnmarkedAsync(CancellationToken cancellationToken)
    {
        if (postgres is not null)
        {
            return await postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = Provider.CreateConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (Provider == SqlProvider.Sqlite)
        {
            // Durable at commit: a 2xx answer means the change survives a power cut.
            await connection.ExecuteAsync("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        }

        return connection;
    }

    /// <summary>
    /// On SQLite, rewrites the database file without its free pages, moves the log into it and empties the log:
    /// what was overwritten or deleted before lingers nowhere on disk. Rare and slow: for a one-time conversion.
    /// </summary>
    public async Task EraseOldPagesAsync(CancellationToken cancellationToken = default)
    {
        if (Provider == SqlProvider.Sqlite)
        {
            await using var connection = await OpenAsync(cancellationToken);
            await connection.ExecuteAsync("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);");
        }
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await read(connection);
    }

    /// <summary>BEGIN on a server; a connection that breaks here has not written anything (<see cref="StoreFault.NotBegun"/>).</summary>
    private static async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.BeginTransactionAsync(cancellationToken);
        }
        catch (Exception e)
        {
            StoreFault.NotBegun(e);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction and commits it; nothing of it is kept if it throws. It
    /// returns once the commit is durable.
    /// </summary>
    /// <remarks>
    /// On SQLite the writes that arrive while another is committing are committed together, each inside a
    /// savepoint of one transaction (group commit): a write that throws is rolled back to its savepoint and
    /// its caller gets the exception, the others commit, and one sync of the log makes them all durable. A
    /// sync costs about as much as a whole small write, so under load this multiplies what one writer can
    /// commit. The writes of a group run one after another, in the order they arrived.
    /// </remarks>
    public async Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> write, CancellationToken cancellationToken = default)
    {
        if (writeTurn is null)
        {
            T result;
            await serverWriters!.WaitAsync(cancellationToken);
            try
            {
                await using var connection = await OpenAsync(cancellationToken);
                await using var transaction = await BeginAsync(connection, cancellationToken);
                result = await write(transaction);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception e)
            {
                WriteFailed(e);
                throw;
            }
            finally
            {
                serverWriters.Release();
            }

            WriteCommitted();
            return result;
        }

        T value = default!;
        var pending = new PendingWrite(async t => value = await write(t), cancellationToken);
        waitingWrites.Enqueue(pending);
        while (!pending.Done.Task.IsCompleted)
        {
            await writeTurn.WaitAsync(CancellationToken.None);
            try
            {
                if (!pending.Done.Task.IsCompleted)
                {
                    await CommitWaitingWritesAsync();
                }
            }
            finally
            {
                writeTurn.Release();
            }
        }

        await pending.Done.Task;
        return value;
    }

    private const int MaxGroup = 100;

    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingWrite> waitingWrites = new();

    private sealed record PendingWrite(Func<DbTransaction, Task> Write, CancellationToken Cancellation)
    {
        // The leader runs every write of its group: each runs in its own caller's context (its UI culture for
        // the messages it throws, its log scope), not the leader's.
        private readonly ExecutionContext? caller = ExecutionContext.Capture();

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Run(DbTransaction transaction)
        {
            if (caller is null)
            {
                return Write(transaction);
            }

            Task running = null!;
            ExecutionContext.Run(caller, _ => running = Write(transaction), null);
            return running;
        }
    }

    /// <summary>Commits the writes waiting (up to <see cref="MaxGroup"/>) in one transaction, each in a savepoint; holds the write turn.</summary>
    private async Task CommitWaitingWritesAsync()
    {
        var group = new List<PendingWrite>();
        while (group.Count < MaxGroup && waitingWrites.TryDequeue(out var next))
        {
            if (!next.Cancellation.IsCancellationRequested || !next.Done.TrySetCanceled(next.Cancellation))
            {
                group.Add(next);
            }
        }

        if (group.Count == 0)
        {
            return;
        }

        var written = new List<PendingWrite>();
        var wroteRows = true;
        try
        {
            var statements = await WriterAsync();
            await using var transaction = (SqliteTransaction)await statements.Writer.BeginTransactionAsync();
            var enlisted = statements.Enlist(transaction);
            // While the store refuses writes, only a commit that changed rows shows that it takes them again.
            var changesBefore = LastWriteFailure is null ? -1 : await TotalChangesAsync(statements.Writer, transaction);
            foreach (var pending in group)
            {
                if (group.Count == 1)
                {
                    await pending.Run(enlisted);
                    written.Add(pending);
                    continue;
                }

                await transaction.SaveAsync("write");
                try
                {
                    await pending.Run(enlisted);
                }
                catch (Exception e)
                {
                    // The caller learns why its own write failed, also when rolling it back fails the group.
                    pending.Done.TrySetException(e);
                    await transaction.RollbackAsync("write");
                    await transaction.ReleaseAsync("write");
                    continue;
                }

                await transaction.ReleaseAsync("write");
                written.Add(pending);
            }

            wroteRows = changesBefore < 0 || await TotalChangesAsync(statements.Writer, transaction) != changesBefore;
            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            // Nothing of the group was kept (a write that broke the transaction, or the commit failed). The
            // writer is opened afresh for the next group, in case the failure was the connection's.
            WriteFailed(e);
            await CloseWriterAsync();
            foreach (var pending in group)
            {
                pending.Done.TrySetException(e);
            }

            return;
        }

        foreach (var pending in written)
        {
            pending.Done.TrySetResult();
        }

        WriteCommitted(wroteRows);
    }

    private static Task<long> TotalChangesAsync(SqliteConnection writer, SqliteTransaction transaction) =>
        writer.ExecuteScalarAsync<long>("SELECT total_changes()", transaction: transaction);

    /// <summary>The SQLite writer: one connection kept open, so that its compiled statements are kept too (see <see cref="PreparedStatements"/>).</summary>
    private PreparedStatements? writer;

    /// <summary>
    /// The writer, opened when first needed; holds the write turn. Its temporary store is in memory, where
    /// SQLite keeps the savepoints' page copies, and it checkpoints the log every 10,000 pages: both spare
    /// the disk writes of a group commit (docs/performance.md#the-sqlite-writers-files).
    /// </summary>
    private async Task<PreparedStatements> WriterAsync()
    {
        if (writer is null)
        {
            var connection = (SqliteConnection)await OpenAsync();
            await connection.ExecuteAsync("PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 10000;");
            writer = new PreparedStatements(connection);
        }

        return writer;
    }

    private async Task CloseWriterAsync()
    {
        if (writer is { } open)
        {
            writer = null;
            await open.DisposeAsync();
        }
    }

    /// <summary>Closes the SQLite writer once the writes under way are done, or PostgreSQL's pool of connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        if (writeTurn is null)
        {
            return;
        }

        await writeTurn.WaitAsync();
        try
        {
            await CloseWriterAsync();
        }
        finally
        {
            writeTurn.Release();
        }
    }

    public Task WriteAsync(Func<DbTransaction, Task> write, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>(async transaction => { await write(transaction); return true; }, cancellationToken);

    internal int CommandTimeoutSeconds => commandTimeoutSeconds;

    /// <summary>On PostgreSQL, the connection's settings, password included: for pg_dump and pg_restore (<c>admin backup</c>, <c>admin restore</c>).</summary>
    internal NpgsqlConnectionStringBuilder PostgresSettings() =>
        Provider == SqlProvider.Postgres ? new(connectionString) : throw new InvalidOperationException($"The store is {Provider.Name()}, not postgres.");
}
