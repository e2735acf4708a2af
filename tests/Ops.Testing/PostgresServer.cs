using System.Diagnostics;
using Npgsql;

namespace Ops.Testing;

/// <summary>
/// The private PostgreSQL cluster of the test run, driven through <c>deploy/postgres.sh</c>. ./deploy/test.sh
/// starts it (OPS_POSTGRES_PORT, OPS_POSTGRES_DIR) and stops it; a plain <c>dotnet test</c> starts it here
/// when first needed and leaves it running (<c>deploy/postgres.sh stop</c> with the same settings ends it).
/// Each test gets a database of its own, dropped afterwards.
/// </summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static string? admin;

    public static int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("OPS_POSTGRES_PORT") ?? "5642", System.Globalization.CultureInfo.InvariantCulture);

    public static string Directory { get; } = Environment.GetEnvironmentVariable("OPS_POSTGRES_DIR") ?? Path.Combine(TestRepository.Root, ".local", "test-postgres");

    /// <summary>A connection string of the cluster's account to its <c>postgres</c> database, the cluster started if it is not running.</summary>
    public static async Task<string> ConnectionStringAsync(string database = "postgres")
    {
        if (admin is null)
        {
            await Starting.WaitAsync();
            try
            {
                admin ??= await StartAsync();
            }
            finally
            {
                Starting.Release();
            }
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
    }

    /// <summary>A new database, empty or a copy of <paramref name="template"/>; returns its name and a connection string to it.</summary>
    public static async Task<(string Name, string ConnectionString)> CreateDatabaseAsync(string prefix = "ops_test", string? template = null)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{(template is null ? "" : $" TEMPLATE \"{template}\"")}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        return (name, await ConnectionStringAsync(name));
    }

    /// <summary>
    /// The database <paramref name="name"/>, made by <paramref name="fill"/> (given its connection string) unless an
    /// earlier run left it: filled under another name and renamed once complete, so a run cut short leaves no half template.
    /// </summary>
    public static async Task<string> TemplateAsync(string name, Func<string, Task> fill)
    {
        await using (var connection = new NpgsqlConnection(await ConnectionStringAsync()))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", name);
            if ((long)(await exists.ExecuteScalarAsync())! > 0)
            {
                return name;
            }
        }

        var (filling, connectionString) = await CreateDatabaseAsync("ops_filling");
        await fill(connectionString);
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(await ConnectionStringAsync()))
        {
            await connection.OpenAsync();
            try
            {
                await using var rename = new NpgsqlCommand($"ALTER DATABASE \"{filling}\" RENAME TO \"{name}\"", connection);
                await rename.ExecuteNonQueryAsync();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                await DropDatabaseAsync(filling); // another test process made it first
            }
        }

        return name;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what is still connected to it.</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 5)
            {
                // A server process the account may not end (autovacuum's) is on it: it ends by itself.
                await Task.Delay(200 * attempt);
            }
        }
    }

    private static async Task<string> StartAsync()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestRepository.Root, "deploy", "postgres.sh"), "start"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["OPS_POSTGRES_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OPS_POSTGRES_DIR"] = Directory;
        // A throw-away cluster (as ./deploy/test.sh runs it): nothing in it needs to outlive the run.
        start.Environment["OPS_POSTGRES_OPTIONS"] = Environment.GetEnvironmentVariable("OPS_POSTGRES_OPTIONS")
            ?? "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/postgres.sh start failed: {await error}{await output}");
        }

        var settings = (await File.ReadAllLinesAsync(Path.Combine(Directory, "postgres.env")))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = settings["OPS_POSTGRES_USER"],
            Password = settings["OPS_POSTGRES_PASSWORD"],
            Database = "postgres",
        }.ConnectionString;
    }
}
