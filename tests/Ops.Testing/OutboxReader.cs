using System.Text.Json;
using Dapper;
using Ops.Hosting.Messaging;
using Ops.Hosting.Storage;

namespace Ops.Testing;

/// <summary>Reads what a store put in the outbox, to check that a change and its events were written together.</summary>
public static class OutboxReader
{
    private sealed record Row
    {
        public required string MessageType { get; init; }
        public required string Body { get; init; }
    }

    public static async Task<IReadOnlyList<T>> MessagesAsync<T>(this Database database)
    {
        var prefix = typeof(T).FullName + ",";
        var rows = await database.ReadAsync(c => c.QueryAsync<Row>("SELECT message_type AS MessageType, body AS Body FROM outbox_messages ORDER BY id"));
        return [.. rows.Where(r => r.MessageType.StartsWith(prefix, StringComparison.Ordinal))
            .Select(r => JsonSerializer.Deserialize<T>(r.Body, MessageJson.Options)!)];
    }

    /// <summary>How many events in the outbox are not yet marked sent (published).</summary>
    public static Task<long> UnsentCountAsync(this Database database) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL"));

    public static Task<long> OutboxCountAsync(this Database database) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages"));
}
