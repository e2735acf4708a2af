using System.Reflection;
using Ops.Hosting.Storage;

namespace Ops.Testing;

/// <summary>A SQLite file of its own for one test, with the outbox's and the given assemblies' schema applied; deleted afterwards.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private TempDatabase(string directory, Database database)
    {
        Directory = directory;
        Database = database;
    }

    public string Directory { get; }

    public Database Database { get; }

    public static async Task<TempDatabase> CreateAsync(params Assembly[] schemaAssemblies)
    {
        var directory = TestFolder.Create();
        var database = Database.ForSqliteFile(Path.Combine(directory, "test.db"));
        await SchemaMigrator.MigrateAsync(database, [typeof(Database).Assembly, .. schemaAssemblies]);
        return new TempDatabase(directory, database);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
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
