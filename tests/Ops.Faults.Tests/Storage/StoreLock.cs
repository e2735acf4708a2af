using Microsoft.Data.Sqlite;

namespace Ops.Faults.Tests.Storage;

/// <summary>
/// Another connection holding a service's SQLite file with <c>BEGIN EXCLUSIVE</c> for a fixed time (the fault
/// itself), as a long maintenance job or a stuck tool would: the service's writes wait for it, then give up.
/// </summary>
internal sealed class StoreLock : IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly Task held;

    private StoreLock(SqliteConnection connection, TimeSpan duration)
    {
        this.connection = connection;
        held = Task.Delay(duration);
    }

    public static async Task<StoreLock> TakeAsync(string databaseFile, TimeSpan duration)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync();
        using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        return new StoreLock(connection, duration);
    }

    /// <summary>Waits out the rest of the lock's time, then lets go.</summary>
    public async Task ReleaseAsync()
    {
        await held;
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (connection.State == System.Data.ConnectionState.Open)
        {
            using (var rollback = connection.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }

            await connection.CloseAsync();
        }

        await connection.DisposeAsync();
    }
}
