using System.Reflection;
using Ops.Hosting.Storage;

namespace Ops.Testing;

/// <summary>The stores a store-level test runs on: each such fixture runs once per store.</summary>
public enum TestStore
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A database of its own for one test, with the outbox's and the given assemblies' schema applied, deleted
/// afterwards: a SQLite file, or a database in the test run's PostgreSQL cluster (<see cref="PostgresServer"/>).
/// </summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly string? postgresName;

    private TempDatabase(string directory, Database database, string? postgresName = null)
    {
        Directory = directory;
        Database = database;
        this.postgresName = postgresName;
    }

    /// <summary>A folder of the test's own; on SQLite the database file is in it.</summary>
    public string Directory { get; }

    public Database Database { get; }

    public static Task<TempDatabase> CreateAsync(params Assembly[] schemaAssemblies) => CreateAsync(TestStore.Sqlite, schemaAssemblies);

    public static async Task<TempDatabase> CreateAsync(TestStore store, params Assembly[] schemaAssemblies)
    {
        var created = await CreateEmptyAsync(store);
        await SchemaMigrator.MigrateAsync(created.Database, [typeof(Database).Assembly, .. schemaAssemblies]);
        return created;
    }

    /// <summary>A database without any schema, for a test that applies the scripts itself (one that moves data stored before a script).</summary>
    public static async Task<TempDatabase> CreateEmptyAsync(TestStore store)
    {
        var directory = TestFolder.Create();
        TempDatabase created;
        if (store == TestStore.Postgres)
        {
            var (name, connectionString) = await PostgresServer.CreateDatabaseAsync();
            created = new TempDatabase(directory, new Database(SqlProvider.Postgres, connectionString), name);
        }
        else
        {
            created = new TempDatabase(directory, Database.ForSqliteFile(Path.Combine(directory, "test.db")));
        }

        return created;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (postgresName is not null)
        {
            await PostgresServer.DropDatabaseAsync(postgresName);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open elsewhere; the temp folder is cleaned by the machine
        }
    }
}
