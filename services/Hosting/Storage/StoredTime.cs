namespace Ops.Hosting.Storage;

/// <summary>
/// A time as the store keeps it: PostgreSQL's <c>timestamptz</c> to the microsecond (the finer part is cut), SQLite and
/// SQL Server to the tick. What is sealed into an evidence chain is sealed at the store's precision.
/// </summary>
public static class StoredTime
{
    public static DateTimeOffset Of(SqlProvider provider, DateTimeOffset time) =>
        provider == SqlProvider.Postgres ? time.AddTicks(-(time.UtcTicks % 10)) : time;

    public static DateTimeOffset? Of(SqlProvider provider, DateTimeOffset? time) =>
        time is { } value ? Of(provider, value) : null;
}
