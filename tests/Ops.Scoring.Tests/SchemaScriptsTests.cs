using Ops.Hosting.Storage;
using Ops.Scoring.Ledger;

namespace Ops.Scoring.Tests;

/// <summary>The scoring schema is the same story on every store: one script per version, named alike.</summary>
public class SchemaScriptsTests
{
    [TestCase(SqlProvider.SqlServer)]
    [TestCase(SqlProvider.Postgres)]
    public void EveryVersionOfTheSqliteSchema_HasItsScript_NamedAlike(SqlProvider provider)
    {
        var sqlite = SchemaMigrator.ScriptsIn(typeof(DeductionLedger).Assembly, SqlProvider.Sqlite).Select(s => (s.Version, s.Name));
        var other = SchemaMigrator.ScriptsIn(typeof(DeductionLedger).Assembly, provider).Select(s => (s.Version, s.Name));

        Assert.That(other, Is.EqualTo(sqlite).And.Not.Empty);
    }
}
