using System.Text.RegularExpressions;
using Npgsql;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.SqlServer.Tests;

/// <summary>
/// Every PostgreSQL script of every service mirrors its SQLite one, and every PostgreSQL statement is parsed and analysed by
/// PostgreSQL itself, against every service's schema: a mistyped column in a statement no other test runs still fails here.
/// </summary>
public partial class PostgresSqlTests
{
    private string? databaseName;
    private string connectionString = "";
    private readonly List<string> unmigrated = [];

    private static IEnumerable<TestCaseData> Statements() =>
        SqlCatalog.Statements(SqlProvider.Postgres).Select(s => new TestCaseData(s.Sql).SetName($"Statement_PreparesOnPostgres({s})"));

    /// <summary>One database with every service's schema and the benchmark's table, for all the statements (each only prepared, never run).</summary>
    [OneTimeSetUp]
    public async Task MigrateEveryServicesSchema()
    {
        (databaseName, connectionString) = await PostgresServer.CreateDatabaseAsync("ops_catalog");
        await using var database = new Database(SqlProvider.Postgres, connectionString);
        foreach (var assembly in SqlCatalog.Assemblies)
        {
            try
            {
                await SchemaMigrator.MigrateAsync(database, [assembly]);
            }
            catch (PostgresException e)
            {
                // A service whose scripts fail leaves its statements to fail for want of their tables; the scripts' own test names the script.
                unmigrated.Add($"{assembly.GetName().Name}: {e.MessageText}");
            }
        }

        // The benchmark's own table, which its insert ceiling writes to.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var ceiling = new NpgsqlCommand(Ops.Benchmarks.BenchSql.For(SqlProvider.Postgres).CreateCeilingTable, connection);
        await ceiling.ExecuteNonQueryAsync();
    }

    [OneTimeTearDown]
    public async Task DropTheDatabase()
    {
        if (databaseName is not null)
        {
            await PostgresServer.DropDatabaseAsync(databaseName);
        }
    }

    [Test]
    public void EveryServiceCarries_PostgresScripts_MatchingItsSqliteScripts()
    {
        using var everyService = Assert.EnterMultipleScope();
        foreach (var assembly in SqlCatalog.Assemblies)
        {
            var sqlite = SchemaMigrator.ScriptsIn(assembly, SqlProvider.Sqlite).Select(s => (s.Version, s.Name)).ToList();
            var postgres = SchemaMigrator.ScriptsIn(assembly, SqlProvider.Postgres).Select(s => (s.Version, s.Name)).ToList();

            Assert.That(sqlite, Is.Not.Empty, assembly.GetName().Name);
            Assert.That(postgres, Is.EqualTo(sqlite), $"{assembly.GetName().Name}: every schema version exists for both providers");
        }
    }

    [Test]
    public void EveryServicesPostgresScripts_Apply()
    {
        Assert.That(unmigrated, Is.Empty);
    }

    [Test]
    public void TheCatalog_FindsThePostgresStatementsOfTheHostingLibrary()
    {
        var owners = SqlCatalog.Statements(SqlProvider.Postgres).Select(s => s.Owner).Distinct().ToList();

        Assert.That(owners, Is.SupersetOf(new[]
        {
            "PostgresOutboxSql", "PostgresMigrationSql", "PostgresEvidenceSql", "PostgresApiKeySql", "PostgresDisabledUserSql", "PostgresBackupSql",
        }));
    }

    [TestCaseSource(nameof(Statements))]
    public async Task Statement_PreparesOnPostgres(string sql) => await PrepareAsync(sql);

    [Test]
    public void PostgreSQL_RefusesAStatementOfAColumnThatDoesNotExist()
    {
        var refused = Assert.ThrowsAsync<PostgresException>(() => PrepareAsync("SELECT id, sent FROM outbox_messages WHERE id > @After LIMIT @Limit"));

        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.UndefinedColumn), "a check that accepts anything would prove nothing");
    }

    /// <summary>
    /// Marking a round sent finds its rows by the key, however many sent rows the outbox keeps until they are purged: a plan
    /// that reads the whole table made every round cost more than the last (most of PostgreSQL's CPU per fault).
    /// </summary>
    [Test]
    public async Task MarkingARoundSent_FindsItsRowsByTheKey()
    {
        var markSent = SqlCatalog.Statements(SqlProvider.Postgres).Single(s => s.Owner == "PostgresOutboxSql" && s.Name == "MarkSent").Sql;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var sent = new NpgsqlCommand("""
            INSERT INTO outbox_messages (message_id, message_type, body, created_at, sent_at)
            SELECT gen_random_uuid(), 'TicketReported', repeat('x', 400), now(), now() FROM generate_series(1, 5000);
            ANALYZE outbox_messages;
            """, connection, transaction))
        {
            await sent.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + markSent.Replace("@SentAt", "now()", StringComparison.Ordinal).Replace("@Ids", "'[4001, 4002, 4003]'", StringComparison.Ordinal), connection, transaction);
        var plan = new List<string>();
        await using (var rows = await explain.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                plan.Add(rows.GetString(0));
            }
        }

        Assert.That(string.Join('\n', plan), Does.Not.Contain("Seq Scan").And.Contain("outbox_messages_pkey"));
    }

    /// <summary>
    /// Has PostgreSQL parse and analyse <paramref name="sql"/> (tables, columns, types, functions) without running it: prepared,
    /// each <c>@name</c> an untyped null, so the server infers each parameter's type from where it stands, as it does for Dapper's.
    /// A parameter whose type nothing around it tells (<c>@From IS NULL</c>, a flag alone) is given the first of the
    /// types Dapper sends that the statement accepts, as the typed value of a real call is.
    /// </summary>
    private async Task PrepareAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var names = Parameter().Matches(sql).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var types = new Dictionary<int, int>();
        var lastTyped = -1;
        while (true)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            for (var i = 0; i < names.Count; i++)
            {
                var parameter = new NpgsqlParameter { ParameterName = names[i], Value = DBNull.Value };
                if (types.TryGetValue(i, out var tried))
                {
                    parameter.NpgsqlDbType = Typed[tried];
                }

                command.Parameters.Add(parameter);
            }

            try
            {
                await command.PrepareAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == "42P08" && UntypedParameter().Match(e.MessageText) is { Success: true } found
                && int.Parse(found.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1 is var index && index < names.Count && !types.ContainsKey(index))
            {
                types[index] = 0;
                lastTyped = index;
            }
            catch (PostgresException e) when (e.SqlState is "42883" or "42804" && lastTyped >= 0 && types[lastTyped] + 1 < Typed.Length)
            {
                types[lastTyped]++; // the type given last does not fit where the parameter stands: the next one
            }
        }
    }

    private static readonly NpgsqlTypes.NpgsqlDbType[] Typed =
        [NpgsqlTypes.NpgsqlDbType.TimestampTz, NpgsqlTypes.NpgsqlDbType.Boolean, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Uuid];

    [GeneratedRegex(@"parameter \$(\d+)")]
    private static partial Regex UntypedParameter();

    /// <summary>A Dapper parameter: <c>@Name</c>, not an operator such as <c>@&gt;</c> or <c>@@</c>.</summary>
    [GeneratedRegex(@"(?<![@\w])@(\w+)")]
    private static partial Regex Parameter();
}
