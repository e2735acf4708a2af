using System.Reflection;
using Ops.Hosting.Storage;

namespace Ops.SqlServer.Tests;

/// <summary>Every SQL Server script and statement the services carry, found by reflection so none can be forgotten.</summary>
internal static class SqlCatalog
{
    public static readonly Assembly[] Assemblies =
    [
        typeof(Database).Assembly,
        typeof(Ops.Tickets.Storage.TicketStore).Assembly,
        typeof(Ops.SlaTimer.Storage.ClockStore).Assembly,
        typeof(Ops.Scoring.Ledger.DeductionLedger).Assembly,
    ];

    /// <summary>The assemblies whose statements are parsed: the services', and the benchmark's (it runs on PostgreSQL and SQL Server when asked).</summary>
    private static readonly Assembly[] StatementAssemblies = [.. Assemblies, typeof(Ops.Benchmarks.BenchSql).Assembly];

    public sealed record Statement(string Owner, string Name, string Sql)
    {
        public override string ToString() => $"{Owner}.{Name}";
    }

    /// <summary>Every class of SQL statements, one per store and provider (<c>SqliteTicketSql</c>, <c>SqlServerTicketSql</c> …).</summary>
    public static IEnumerable<SqlStatements> Variants() =>
        StatementAssemblies.SelectMany(a => a.GetTypes())
            .Where(t => typeof(SqlStatements).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (SqlStatements)Activator.CreateInstance(t, nonPublic: true)!);

    /// <summary>The providers every store class of the services and the benchmark is written for.</summary>
    public static readonly IReadOnlyList<SqlProvider> Providers = [SqlProvider.Sqlite, SqlProvider.SqlServer, SqlProvider.Postgres];

    /// <summary>
    /// The statements of every <see cref="SqlStatements"/> class, as they run on <paramref name="provider"/> (SQL Server unless
    /// given): each store's variant for it, every public string property, static or not, and every list of statements.
    /// </summary>
    public static IEnumerable<Statement> Statements(SqlProvider provider = SqlProvider.SqlServer)
    {
        foreach (var instance in Variants().Where(v => v.Provider == provider))
        {
            var type = instance.GetType();

            const BindingFlags Everything = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy;
            foreach (var property in type.GetProperties(Everything).Where(p => p.GetIndexParameters().Length == 0))
            {
                var target = property.GetMethod!.IsStatic ? null : instance;
                switch (property.GetValue(target))
                {
                    case string sql:
                        yield return new Statement(type.Name, property.Name, sql);
                        break;
                    case IEnumerable<string> many:
                        var i = 0;
                        foreach (var sql in many)
                        {
                            yield return new Statement(type.Name, $"{property.Name}[{i++}]", sql);
                        }

                        break;
                }
            }
        }
    }
}
