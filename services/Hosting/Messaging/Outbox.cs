using System.Collections.Concurrent;
using System.Diagnostics;
using System.Data.Common;
using System.Text.Json;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Messaging;

/// <summary>
/// The transactional outbox: an event is written in the same transaction as the change that caused
/// it, and <see cref="OutboxDispatcher"/> publishes it afterwards. A change is never stored without its
/// events, nor an event published for a change that was rolled back.
/// (MassTransit's own outbox needs Entity Framework or MongoDB; this store is Dapper, so the outbox is two statements and a loop.)
/// </summary>
public sealed class Outbox(TimeProvider time)
{
    private static readonly ConcurrentDictionary<string, Type> Types = new();

    /// <summary>Adds <paramref name="message"/> (an event record from <c>contracts/</c>) to the outbox inside <paramref name="transaction"/>.</summary>
    public Task AddAsync(DbTransaction transaction, object message) => AddAllAsync(transaction, [message]);

    /// <summary>
    /// Adds <paramref name="messages"/> in their order, with one statement prepared once (a scan may add thousands).
    /// Each body is written as the statement reaches it, so a large batch never holds all of them at once.
    /// </summary>
    public Task AddAllAsync(DbTransaction transaction, IReadOnlyCollection<object> messages)
    {
        if (messages.Count == 0)
        {
            return Task.CompletedTask;
        }

        var traceParent = TraceParent();
        return transaction.ExecuteAsync(OutboxSql.Insert, messages.Select(message => new
        {
            MessageId = Guid.CreateVersion7(),
            MessageType = TypeName(message.GetType()),
            Body = JsonSerializer.Serialize(message, message.GetType(), MessageJson.Options),
            CreatedAt = time.GetUtcNow(),
            TraceParent = traceParent,
        }));
    }

    /// <summary>
    /// The change's span (a request, a consumer) as a W3C traceparent, when the service traces and the span is sampled:
    /// the dispatcher publishes the event as its child, so the trace goes on through the broker. None without tracing
    /// (a request's activity then only carries its caller's flags), which costs nothing then.
    /// </summary>
    internal static string? TraceParent() =>
        OutboxDispatcher.Traced && Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } change ? change.Id : null;

    internal static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    internal static Type ResolveType(string name) =>
        Types.GetOrAdd(name, n => Type.GetType(n, throwOnError: true)!);
}

internal abstract class OutboxSql : SqlStatements
{
    public static OutboxSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteOutboxSql(),
        SqlProvider.Postgres => new PostgresOutboxSql(),
        _ => new SqlServerOutboxSql(),
    };

    public static string Insert => """
        INSERT INTO outbox_messages (message_id, message_type, body, created_at, trace_parent)
        VALUES (@MessageId, @MessageType, @Body, @CreatedAt, @TraceParent)
        """;

    public abstract string Pending { get; }

    /// <summary>
    /// Where several instances share the outbox: claims the oldest <c>@Limit</c> unsent events for the claiming
    /// transaction, skipping those another instance holds. Null where the dispatcher reads rounds with <see cref="Pending"/>.
    /// </summary>
    public virtual string? Claim => null;

    /// <summary>
    /// Marks a round sent; <c>@Ids</c> is its ids as one JSON array: one statement for rounds of any size, and
    /// no limit from SQL Server's 2,100 parameters (a list that Dapper expands takes a parameter per id).
    /// </summary>
    public abstract string MarkSent { get; }

    /// <summary>The ids of a round as the JSON array <see cref="MarkSent"/> reads.</summary>
    public static string IdList(IEnumerable<long> ids) => $"[{string.Join(',', ids)}]";

    public string Backlog => "SELECT COUNT(*) AS Count, MIN(created_at) AS Oldest FROM outbox_messages WHERE sent_at IS NULL";

    public abstract string PurgeSent { get; }
}

internal sealed class SqliteOutboxSql : OutboxSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string Pending => """
        SELECT id AS Id, message_id AS MessageId, message_type AS MessageType, body AS Body, trace_parent AS TraceParent
        FROM outbox_messages WHERE sent_at IS NULL AND id > @After ORDER BY id LIMIT @Limit
        """;

    public override string MarkSent => "UPDATE outbox_messages SET sent_at = @SentAt WHERE id IN (SELECT value FROM json_each(@Ids))";

    public override string PurgeSent => """
        DELETE FROM outbox_messages WHERE id IN (
            SELECT id FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < @Before LIMIT 5000)
        """;
}

internal sealed class SqlServerOutboxSql : OutboxSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string Pending => """
        SELECT TOP (@Limit) id AS Id, message_id AS MessageId, message_type AS MessageType, body AS Body, trace_parent AS TraceParent
        FROM outbox_messages WHERE sent_at IS NULL AND id > @After ORDER BY id
        """;

    public override string MarkSent => "UPDATE outbox_messages SET sent_at = @SentAt WHERE id IN (SELECT CAST([value] AS bigint) FROM OPENJSON(@Ids))";

    public override string PurgeSent => "DELETE TOP (5000) FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < @Before";
}

internal sealed class PostgresOutboxSql : OutboxSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    public override string Pending => """
        SELECT id AS Id, message_id AS MessageId, message_type AS MessageType, body AS Body, trace_parent AS TraceParent
        FROM outbox_messages WHERE sent_at IS NULL AND id > @After ORDER BY id LIMIT @Limit
        """;

    /// <summary>The rows stay locked until the claim's transaction ends: another instance's claim passes over them.</summary>
    public override string Claim => """
        SELECT id AS Id, message_id AS MessageId, message_type AS MessageType, body AS Body, trace_parent AS TraceParent
        FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT @Limit FOR UPDATE SKIP LOCKED
        """;

    /// <summary>
    /// The ids as one array, so the rows are found by the key: <c>id IN (SELECT … jsonb_array_elements_text …)</c> is planned
    /// as a hash join over the whole table, sent rows included, on every round.
    /// </summary>
    public override string MarkSent => "UPDATE outbox_messages SET sent_at = @SentAt WHERE id = ANY(CAST(ARRAY(SELECT jsonb_array_elements_text(CAST(@Ids AS jsonb))) AS bigint[]))";

    public override string PurgeSent => """
        DELETE FROM outbox_messages WHERE id IN (
            SELECT id FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < @Before LIMIT 5000)
        """;
}
