using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Ops.Hosting.Storage;

/// <summary>
/// Where a service keeps its data: PostgreSQL with <c>ConnectionStrings:Postgres</c>, SQL Server with
/// <c>ConnectionStrings:SqlServer</c>, and without either the SQLite file <c>{DataDirectory}/{service}.db</c>.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// <c>sqlite</c>, <c>postgres</c> or <c>sqlserver</c>; empty to choose by the connection string that is set.
    /// Needed only when both server connection strings are set.
    /// </summary>
    [AllowedValues("", "sqlite", "postgres", "sqlserver", ErrorMessage = "The field Provider must be sqlite, postgres or sqlserver (or empty to choose by the connection string that is set).")]
    public string Provider { get; set; } = "";

    /// <summary>Folder of the SQLite files; relative paths are taken from the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>How long a statement may wait for the database before it fails.</summary>
    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// On a server (PostgreSQL, SQL Server): how many write transactions one instance runs at once; the others wait their
    /// turn in the process. Writes to shared rows (an evidence chain's head, a day's totals) take turns in the database
    /// anyway, each holding its row across round trips; a few at a time keeps dozens from queuing on those locks.
    /// </summary>
    [Range(1, 256)]
    public int ServerWriters { get; set; } = 4;

    /// <summary>The provider these settings choose and its connection string (none for SQLite).</summary>
    /// <exception cref="OptionsValidationException">The choice cannot be made, or its connection string cannot be read.</exception>
    public (SqlProvider Provider, string? ConnectionString) Select(string? sqlServer, string? postgres)
    {
        var provider = Provider.Trim().ToLowerInvariant() switch
        {
            "sqlite" => SqlProvider.Sqlite,
            "postgres" => SqlProvider.Postgres,
            "sqlserver" => SqlProvider.SqlServer,
            _ when !string.IsNullOrWhiteSpace(postgres) && !string.IsNullOrWhiteSpace(sqlServer) =>
                throw Refused("ConnectionStrings:Postgres and ConnectionStrings:SqlServer are both set: say which store to use with Database:Provider (Database__Provider) postgres or sqlserver."),
            _ when !string.IsNullOrWhiteSpace(postgres) => SqlProvider.Postgres,
            _ when !string.IsNullOrWhiteSpace(sqlServer) => SqlProvider.SqlServer,
            _ => SqlProvider.Sqlite,
        };
        var (key, value) = provider switch
        {
            SqlProvider.Postgres => ("ConnectionStrings:Postgres (ConnectionStrings__Postgres)", postgres),
            SqlProvider.SqlServer => ("ConnectionStrings:SqlServer (ConnectionStrings__SqlServer)", sqlServer),
            _ => ("", null),
        };
        if (provider == SqlProvider.Sqlite)
        {
            return (provider, null);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw Refused($"Database:Provider is {provider.Name()}, but {key} is not set.");
        }

        try
        {
            // Read here, so a mistyped key stops the service at start rather than at its first statement.
            _ = provider == SqlProvider.Postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(value).ConnectionString
                : new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(value).ConnectionString;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw Refused($"{key}: {e.Message}");
        }

        return (provider, value);
    }

    private static OptionsValidationException Refused(string failure) =>
        new(Section, typeof(DatabaseOptions), [failure]);
}
