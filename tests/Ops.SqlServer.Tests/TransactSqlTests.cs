using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Ops.Hosting.Storage;

namespace Ops.SqlServer.Tests;

/// <summary>No SQL Server runs where the tests run: every T-SQL script and statement is parsed by SQL Server's own parser instead.</summary>
public partial class TransactSqlTests
{
    private static IEnumerable<TestCaseData> Scripts() =>
        SqlCatalog.Assemblies.SelectMany(a => SchemaMigrator.ScriptsIn(a, SqlProvider.SqlServer))
            .Select(s => new TestCaseData(s.Sql).SetName($"SchemaScript_Parses({s.Component}/{s.Name})"));

    private static IEnumerable<TestCaseData> Statements() =>
        SqlCatalog.Statements().Select(s => new TestCaseData(s.Sql).SetName($"Statement_Parses({s})"));

    [TestCaseSource(nameof(Scripts))]
    public void SchemaScript_ParsesAsTransactSql(string script) => AssertParses(script);

    [TestCaseSource(nameof(Statements))]
    public void Statement_ParsesAsTransactSql(string sql) =>
        // Dapper expands "IN @Ids" into "IN (@Ids1, @Ids2, …)" before SQL Server sees it.
        AssertParses(DapperList().Replace(sql, "IN (@$1)"));

    [Test]
    public void EveryServiceCarries_SqlServerScripts_MatchingItsSqliteScripts()
    {
        foreach (var assembly in SqlCatalog.Assemblies)
        {
            var sqlite = SchemaMigrator.ScriptsIn(assembly, SqlProvider.Sqlite).Select(s => (s.Version, s.Name)).ToList();
            var sqlServer = SchemaMigrator.ScriptsIn(assembly, SqlProvider.SqlServer).Select(s => (s.Version, s.Name)).ToList();

            Assert.That(sqlite, Is.Not.Empty, assembly.GetName().Name);
            Assert.That(sqlServer, Is.EqualTo(sqlite), $"{assembly.GetName().Name}: every schema version exists for both providers");
        }
    }

    [Test]
    public void TheCatalog_FindsTheStatementsOfEveryStore()
    {
        var owners = SqlCatalog.Statements().Select(s => s.Owner).Distinct().ToList();

        Assert.That(owners, Is.SupersetOf(new[] { "SqlServerOutboxSql", "SqlServerMigrationSql", "SqlServerTicketSql", "SqlServerClockSql", "LedgerSql", "SqlServerComplianceSql", "BenchSql" }));
    }

    [Test]
    public void TheParser_RefusesBrokenTransactSql()
    {
        var errors = Parse("SELECT TOP (@Limit) id FROM outbox_messages ORDER BY LIMIT 5");

        Assert.That(errors, Is.Not.Empty, "a parser that accepts anything would prove nothing");
    }

    private static void AssertParses(string sql)
    {
        var errors = Parse(sql);
        Assert.That(errors, Is.Empty, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")));
    }

    private static IList<ParseError> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }

    [GeneratedRegex(@"IN @(\w+)")]
    private static partial Regex DapperList();
}
