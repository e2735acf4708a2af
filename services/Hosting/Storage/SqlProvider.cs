using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Ops.Hosting.Storage;

/// <summary>The two stores a service runs on: an embedded SQLite file (the default) or SQL Server (production).</summary>
public enum SqlProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>What differs between the providers beyond the SQL text, which each store keeps in its own per-provider class.</summary>
public static class SqlProviderTraits
{
    /// <summary>True when the exception is a primary-key or unique-index violation.</summary>
    public static bool IsUniqueViolation(this SqlProvider provider, Exception exception) => provider switch
    {
        // SQLITE_CONSTRAINT_PRIMARYKEY (1555) and SQLITE_CONSTRAINT_UNIQUE (2067)
        SqlProvider.Sqlite => exception is SqliteException { SqliteExtendedErrorCode: 1555 or 2067 },
        SqlProvider.SqlServer => exception is SqlException { Number: 2627 or 2601 },
        _ => false,
    };

    internal static DbConnection CreateConnection(this SqlProvider provider, string connectionString) => provider switch
    {
        SqlProvider.Sqlite => new SqliteConnection(connectionString),
        _ => new SqlConnection(connectionString),
    };
}
