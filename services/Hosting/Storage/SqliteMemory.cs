using System.Diagnostics.Metrics;
using Ops.Hosting.Telemetry;

namespace Ops.Hosting.Storage;

/// <summary>
/// <c>ops_sqlite_memory_bytes</c>: what SQLite holds in this process (page caches, compiled statements), the part of
/// resident memory that neither the GC nor the runtime reports. Nothing is reported on a server store.
/// </summary>
public sealed class SqliteMemory
{
    public SqliteMemory(Database database, IMeterFactory meters)
    {
        if (database.Provider == SqlProvider.Sqlite)
        {
            meters.Create(ServiceTelemetry.HostingMeter).CreateObservableGauge("ops.sqlite.memory",
                () => SQLitePCL.raw.sqlite3_memory_used(), "By", "Memory SQLite's allocator holds in this process.");
        }
    }
}
