namespace Ops.Hosting.Storage;

/// <summary>
/// The SQL one store runs, for one provider. A store keeps its statements in a class derived from this
/// one per provider, beside the store itself; every public string property is a statement, and a test
/// parses each SQL Server statement with the T-SQL parser.
/// </summary>
public abstract class SqlStatements
{
    public abstract SqlProvider Provider { get; }
}
