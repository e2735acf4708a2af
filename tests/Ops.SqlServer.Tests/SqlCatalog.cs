using System.Collections;
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

    /// <summary>The assemblies whose statements are parsed: the services', and the benchmark's (it runs on SQL Server when configured).</summary>
    private static readonly Assembly[] StatementAssemblies = [.. Assemblies, typeof(Ops.Benchmarks.BenchSql).Assembly];

    public sealed record Statement(string Owner, string Name, string Sql)
    {
        public override string ToString() => $"{Owner}.{Name}";
    }

    /// <summary>
    /// The statements of every <see cref="SqlStatements"/> class, as they run on SQL Server: each concrete
    /// class made for SQL Server (by its constructor's provider argument, or because it is the SQL Server
    /// variant), every public string property, static or not, and every list of statements.
    /// </summary>
    public static IEnumerable<Statement> Statements()
    {
        foreach (var type in StatementAssemblies.SelectMany(a => a.GetTypes()).Where(t => typeof(SqlStatements).IsAssignableFrom(t) && !t.IsAbstract))
        {
            var instance = Create(type);
            if (instance is null || instance.Provider != SqlProvider.SqlServer)
            {
                continue;
            }

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

    private static SqlStatements? Create(Type type)
    {
        var withProvider = type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(SqlProvider)]);
        if (withProvider is not null)
        {
            return (SqlStatements)withProvider.Invoke([SqlProvider.SqlServer]);
        }

        return type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes) is { } plain
            ? (SqlStatements)plain.Invoke(null)
            : null;
    }
}
