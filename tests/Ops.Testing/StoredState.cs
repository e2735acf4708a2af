using System.Security.Cryptography;
using System.Text;
using Dapper;
using Ops.Hosting.Storage;

namespace Ops.Testing;

/// <summary>A fingerprint of everything a SQLite store holds: every row of every table.</summary>
public static class StoredState
{
    /// <summary>
    /// Fingerprints the store once the outbox dispatcher has published what it holds, so that marking an
    /// earlier event sent is not mistaken for a change made by the requests under test.
    /// </summary>
    public static async Task<string> FingerprintAsync(Database database)
    {
        var settleBy = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < settleBy && await UnsentEventsAsync(database) > 0)
        {
            await Task.Delay(20);
        }

        return await FingerprintNowAsync(database);
    }

    private static Task<long> UnsentEventsAsync(Database database) =>
        database.ReadAsync(async connection =>
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox_messages'") == 0
                ? 0
                : await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL"));

    private static async Task<string> FingerprintNowAsync(Database database) =>
        await database.ReadAsync(async connection =>
        {
            var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
            var text = new StringBuilder();
            foreach (var table in tables)
            {
                // Rows in a stable order whatever the table's key (some tables have no rowid).
                var rows = (await connection.QueryAsync($"SELECT * FROM \"{table}\""))
                    .Cast<IDictionary<string, object?>>()
                    .Select(row => string.Join('|', row.Select(c => $"{c.Key}={c.Value}")))
                    .Order(StringComparer.Ordinal);
                text.Append("# ").AppendLine(table);
                foreach (var row in rows)
                {
                    text.AppendLine(row);
                }
            }

            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        });
}
