using System.Reflection;
using Ops.Hosting.Storage;

namespace Ops.Testing;

/// <summary>The stores a store-level test runs on: each such fixture runs once per store.</summary>
public enum TestStore
{
    Sqlite,
    Postgres,
}

/// <summary>The store of a whole-system test run: <c>OPS_TEST_DATABASE=postgres</c> runs the services on PostgreSQL, else SQLite.</summary>
public static class TestStores
{
    public static TestStore OfRun { get; } = Environment.GetEnvironmentVariable("OPS_TEST_DATABASE") switch
    {
        null or "" or "sqlite" => TestStore.Sqlite,
        "postgres" => TestStore.Postgres,
        var other => throw new InvalidOperationException($"OPS_TEST_DATABASE must be sqlite or postgres, not '{other}'."),
    };
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
        Assembly[] assemblies = [typeof(Database).Assembly, .. schemaAssemblies];
        if (store == TestStore.Postgres)
        {
            var (name, connectionString) = await MigratedPostgresAsync(assemblies);
            return new TempDatabase(TestFolder.Create(), new Database(SqlProvider.Postgres, connectionString), name);
        }

        var created = await CreateEmptyAsync(store);
        await SchemaMigrator.MigrateAsync(created.Database, assemblies);
        return created;
    }

    /// <summary>
    /// A new PostgreSQL database with these assemblies' schema: a copy of a database migrated once, since applying every
    /// script for every test would cost most of the test. The caller drops it (<see cref="PostgresServer.DropDatabaseAsync"/>).
    /// </summary>
    public static async Task<(string Name, string ConnectionString)> MigratedPostgresAsync(params Assembly[] assemblies)
    {
        var template = await Templates.GetOrAdd(TemplateName(assemblies), name => new Lazy<Task<string>>(() => PostgresServer.TemplateAsync(name, MigrateAsync))).Value;
        return await PostgresServer.CreateDatabaseAsync(template: template);

        async Task MigrateAsync(string connectionString)
        {
            await using var database = new Database(SqlProvider.Postgres, connectionString);
            await SchemaMigrator.MigrateAsync(database, assemblies);
        }
    }

    /// <summary>A database without any schema, for a test that applies the scripts itself (one that moves data stored before a script).</summary>
    public static async Task<TempDatabase> CreateEmptyAsync(TestStore store)
    {
        var directory = TestFolder.Create();
        if (store == TestStore.Postgres)
        {
            var (name, connectionString) = await PostgresServer.CreateDatabaseAsync();
            return new TempDatabase(directory, new Database(SqlProvider.Postgres, connectionString), name);
        }

        return new TempDatabase(directory, Database.ForSqliteFile(Path.Combine(directory, "test.db")));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<string>>> Templates = new();

    /// <summary>A template's name for these assemblies' PostgreSQL scripts: a changed script makes a new template.</summary>
    private static string TemplateName(IEnumerable<Assembly> assemblies)
    {
        var scripts = string.Join('\n', assemblies.SelectMany(a => SchemaMigrator.ScriptsIn(a, SqlProvider.Postgres)).Select(s => $"{s.Component}/{s.Name}\n{s.Sql}"));
        return $"ops_template_{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(scripts)))[..16]}";
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
