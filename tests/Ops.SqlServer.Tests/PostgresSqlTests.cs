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
    /// The benchmark seeds PostgreSQL with COPY of the stores' own INSERT statements and parameters: each row it copies is the
    /// row Dapper's INSERT stores from the same values (times with an offset and a fraction finer than PostgreSQL keeps, nulls,
    /// text with a tab, a line break, a backslash and quotes, the statement's literals), all but its key.
    /// </summary>
    [Test]
    public async Task TheBenchmarksCopy_StoresTheRowsItsInsertStatementsStore()
    {
        var time = new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.FromHours(8)).AddTicks(1_234_567);
        var clock = new Ops.SlaTimer.Clocks.SlaClock
        {
            Id = Guid.NewGuid(), TicketId = Guid.NewGuid(), Clock = Ops.Contracts.Sla.ClockKind.Response, Sequence = 1, TicketNumber = "F20260301-0001",
            Contract = "OTQ-2026-OPS", TicketKind = Ops.Contracts.Tickets.TicketKind.Fault, Severity = Ops.Contracts.Tickets.Severity.General,
            SiteCode = "OTQ", System = "综合一窗受理平台", ReportedAt = time, TargetSeconds = 1800, StartedAt = time, Deadline = time.AddMinutes(30),
            State = Ops.Contracts.Sla.ClockState.Running, WarnedPercent = 80,
        };
        object Ticket(Guid id, string number) => new
        {
            Id = id, Number = number, Contract = "OTQ-2026-OPS", Severity = "general", Status = "resolved", SiteCode = "OTQ", System = "好差评",
            Title = "窗口3号机\t无法出件，报错\"打印失败\"\\ 'x'", ReporterPhone = "13800001111", ReportedAt = time,
            AcknowledgedAt = (DateTimeOffset?)time.AddMinutes(5), AcknowledgedBy = "王工", ResolvedAt = (DateTimeOffset?)null, ResolvedBy = (string?)null,
            Resolution = "更换打印模块后恢复正常出件，\n已回访报修人确认。\r",
        };
        var facts = new Ops.Contracts.Sla.ClockFacts
        {
            ClockId = Guid.NewGuid(), Clock = Ops.Contracts.Sla.ClockKind.Repair, Sequence = 3, TicketId = Guid.NewGuid(), TicketNumber = "F20260301-0001",
            Contract = "OTQ-2026-OPS", Kind = Ops.Contracts.Tickets.TicketKind.Fault, Severity = Ops.Contracts.Tickets.Severity.Severe, SiteCode = "SHM",
            System = "好差评", ReportedAt = time, Target = TimeSpan.FromHours(4), StartedAt = time, Deadline = time.AddHours(4),
            State = Ops.Contracts.Sla.ClockState.Breached, BreachedAt = time.AddHours(4).AddSeconds(1), StoppedAt = null,
        };
        var entry = new Ops.Scoring.Ledger.Deduction
        {
            EntryNo = 0, Id = Guid.NewGuid(), Contract = "OTQ-2026-OPS", Item = 6, PointsHundredths = 200, Source = Ops.Scoring.Ledger.DeductionSource.Breach,
            Reason = "benchmark", ClockId = facts.ClockId, TicketId = facts.TicketId, TicketNumber = "F20260301-0001", Clock = Ops.Contracts.Sla.ClockKind.Repair,
            Deadline = time.AddHours(4), BreachedAt = time.AddHours(4).AddSeconds(1), OccurredAt = time.AddHours(4), RecordedAt = time.AddHours(4).AddSeconds(1),
            RecordedBy = "benchmark", ChainSeq = 1, PrevHash = new string('0', 64), Hash = new string('0', 64),
        };
        var cases = new (string Insert, string Table, string Key, string[] Unlike, Func<Guid, int, object> Row)[]
        {
            (Ops.SlaTimer.Storage.ClockSql.For(SqlProvider.Postgres).Insert, "clocks", "id", ["ticket_id"],
                (id, _) => Ops.SlaTimer.Storage.ClockStore.Parameters(clock with { Id = id, TicketId = Guid.NewGuid() }, previousSequence: 0)),
            (Ops.Benchmarks.BenchSql.InsertTicket, "tickets", "id", ["number"], (id, n) => Ticket(id, $"F20260301-{n:0000}")),
            (Ops.Scoring.Ledger.LedgerSql.For(SqlProvider.Postgres).InsertClockFacts, "clock_facts", "clock_id", ["ticket_id"],
                (id, _) => Ops.Scoring.Ledger.DeductionLedger.FactParameters(facts with { ClockId = id, TicketId = Guid.NewGuid() })),
            (Ops.Scoring.Ledger.LedgerSql.For(SqlProvider.Postgres).Insert, "deductions", "id", ["entry_no", "chain_seq", "clock_id", "ticket_id"],
                (id, n) => Ops.Scoring.Ledger.DeductionLedger.EntryParameters(entry with { Id = id, ChainSeq = n, ClockId = Guid.NewGuid(), TicketId = Guid.NewGuid() })),
        };

        await using var database = new Database(SqlProvider.Postgres, connectionString);
        using var each = Assert.EnterMultipleScope();
        foreach (var (insert, table, key, unlike, row) in cases)
        {
            var (inserted, copied) = (Guid.NewGuid(), Guid.NewGuid());
            var rows = await database.WriteAsync(async t =>
            {
                await Dapper.SqlMapper.ExecuteAsync(t.Connection!, insert, row(inserted, 1), t);
                await Ops.Benchmarks.SeedRows.InsertAsync(t, insert, [row(copied, 2)]);
                var stored = await Dapper.SqlMapper.QueryAsync<string>(t.Connection!,
                    $"SELECT CAST(to_jsonb(r) - @Unlike AS text) FROM {table} r WHERE {key} IN (@Inserted, @Copied) ORDER BY {key} = @Copied",
                    new { Unlike = unlike.Append(key).ToArray(), Inserted = inserted, Copied = copied }, t);
                return stored.ToList();
            });

            Assert.That(rows, Has.Count.EqualTo(2), table);
            Assert.That(rows[^1], Is.EqualTo(rows[0]), table);
        }
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
