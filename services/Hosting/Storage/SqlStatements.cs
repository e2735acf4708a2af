namespace Ops.Hosting.Storage;

/// <summary>
/// The SQL one store runs, for one provider. A store keeps its statements in a class derived from this
/// one per provider, beside the store itself; every public string property is a statement, and a test
/// parses each SQL Server statement with the T-SQL parser.
/// </summary>
public abstract class SqlStatements
{
    public abstract SqlProvider Provider { get; }

    /// <summary>A list of plain columns (<c>id AS Id, kind AS Kind</c>) read from <paramref name="table"/>, e.g. <c>inserted</c> in an <c>OUTPUT</c> clause.</summary>
    protected static string Qualified(string columns, string table) =>
        string.Join(", ", columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(column => $"{table}.{column}"));
}
