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

        Assert.That(owners, Is.SupersetOf(new[]
        {
            "SqlServerOutboxSql", "SqlServerMigrationSql", "SqlServerTicketSql", "SqlServerUserSql", "SqlServerClockSql", "SqlServerNotificationSql",
            "SqlServerPendingNoticeSql", "SqlServerLedgerSql", "SqlServerComplianceSql", "SqlServerBenchSql",
            "SqlServerRotaSql", "SqlServerReportStoreSql", "SqlServerBackupSql",
        }));
    }

    [Test]
    public void EveryStoresSql_HasOneClassPerProvider_NamedForIt()
    {
        var variants = SqlCatalog.Variants().ToList();

        Assert.That(variants.Select(v => v.GetType().BaseType), Is.All.Matches<Type>(t => t.IsAbstract && t.BaseType == typeof(SqlStatements)), "a store's SQL is a base class and a subclass per provider");
        using var everyStore = Assert.EnterMultipleScope();
        foreach (var store in variants.GroupBy(v => v.GetType().BaseType!))
        {
            Assert.That(store.Select(v => v.GetType().Name), Is.EquivalentTo(SqlCatalog.Providers.Select(p => $"{p}{store.Key.Name}")), store.Key.Name);
            Assert.That(store.Select(v => $"{v.Provider}{store.Key.Name}"), Is.EquivalentTo(store.Select(v => v.GetType().Name)), store.Key.Name);
        }
    }

    [Test]
    public void TheBreachClaim_ReturnsTheColumnsTheWarningScanReads()
    {
        var claim = Parse<OutputClause>(Statement("SqlServerClockSql", "BreachDue"));
        var scan = Parse<QuerySpecification>(Statement("SqlServerClockSql", "WarningDue"));

        var returned = claim.SelectColumns.Cast<SelectScalarExpression>().Select(Column).ToList();
        var read = scan.SelectElements.Cast<SelectScalarExpression>().Select(Column).ToList();

        Assert.That(read, Has.Count.GreaterThan(20));
        Assert.That(returned, Is.EqualTo(read.Select(c => "inserted." + c).ToList()));
    }

    private static string Statement(string owner, string name) => SqlCatalog.Statements().Single(s => s.Owner == owner && s.Name == name).Sql;

    private static string Column(SelectScalarExpression column) =>
        $"{string.Join('.', ((ColumnReferenceExpression)column.Expression).MultiPartIdentifier.Identifiers.Select(i => i.Value))} AS {column.ColumnName.Value}";

    /// <summary>The first part of this kind in the statement.</summary>
    private static T Parse<T>(string sql)
        where T : TSqlFragment
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        Assert.That(errors, Is.Empty);
        var finder = new FirstOf<T>();
        fragment.Accept(finder);
        return finder.Found ?? throw new AssertionException($"No {typeof(T).Name} in: {sql}");
    }

    private sealed class FirstOf<T> : TSqlFragmentVisitor
        where T : TSqlFragment
    {
        public T? Found { get; private set; }

        public override void Visit(TSqlFragment fragment)
        {
            if (Found is null && fragment is T found)
            {
                Found = found;
            }
        }
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
