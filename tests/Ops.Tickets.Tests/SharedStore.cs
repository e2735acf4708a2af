using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// One store that two instances of a service open, each with a <see cref="Database"/> of its own, as when the service runs
/// twice: two databases on one SQLite file, or two on one PostgreSQL database. Only the hosting library's schema is applied.
/// </summary>
internal sealed class SharedStore : IAsyncDisposable
{
    private readonly Func<Task> drop;

    private SharedStore(Database first, Database second, Func<Task> drop)
    {
        First = first;
        Second = second;
        this.drop = drop;
    }

    public Database First { get; }

    public Database Second { get; }

    public static async Task<SharedStore> CreateAsync(TestStore store)
    {
        SharedStore shared;
        if (store == TestStore.Postgres)
        {
            var (name, connectionString) = await PostgresServer.CreateDatabaseAsync();
            shared = new SharedStore(new Database(SqlProvider.Postgres, connectionString), new Database(SqlProvider.Postgres, connectionString), () => PostgresServer.DropDatabaseAsync(name));
        }
        else
        {
            var folder = TestFolder.Create();
            var file = Path.Combine(folder, "shared.db");
            shared = new SharedStore(Database.ForSqliteFile(file), Database.ForSqliteFile(file), () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
                return Task.CompletedTask;
            });
        }

        await SchemaMigrator.MigrateAsync(shared.First, [typeof(Database).Assembly]);
        return shared;
    }

    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await drop();
    }
}
