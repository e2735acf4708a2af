using System.ComponentModel.DataAnnotations;

namespace Ops.Hosting.Storage;

/// <summary>
/// Where a service keeps its data. With no SQL Server connection string (<c>ConnectionStrings:SqlServer</c>)
/// the service uses the SQLite file <c>{DataDirectory}/{service}.db</c>.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Folder of the SQLite files; relative paths are taken from the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>How long a statement may wait for the database before it fails.</summary>
    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 30;
}
