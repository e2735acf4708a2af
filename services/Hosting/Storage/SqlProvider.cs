using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ops.Hosting.Storage;

/// <summary>
/// The stores a service runs on: an embedded SQLite file (the default), or a server shared by several
/// instances: PostgreSQL (and the databases that speak its protocol) or SQL Server.
/// </summary>
public enum SqlProvider
{
    Sqlite,
    SqlServer,
    Postgres,
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
        SqlProvider.Postgres => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation },
        _ => false,
    };

    /// <summary>The provider's name in settings, manifests and logs: <c>sqlite</c>, <c>sqlserver</c>, <c>postgres</c>.</summary>
    public static string Name(this SqlProvider provider) => provider.ToString().ToLowerInvariant();

    /// <summary>A value for each provider, for the few places that differ by one expression.</summary>
    public static T Pick<T>(this SqlProvider provider, T sqlite, T sqlServer, T postgres) => provider switch
    {
        SqlProvider.Sqlite => sqlite,
        SqlProvider.SqlServer => sqlServer,
        SqlProvider.Postgres => postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    internal static DbConnection CreateConnection(this SqlProvider provider, string connectionString) => provider switch
    {
        SqlProvider.Sqlite => new SqliteConnection(connectionString),
        SqlProvider.SqlServer => new SqlConnection(connectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "PostgreSQL connections come from the database's data source."),
    };
}
