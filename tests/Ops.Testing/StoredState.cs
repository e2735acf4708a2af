using System.Security.Cryptography;
using System.Text;
using Dapper;
using Ops.Hosting.Storage;

namespace Ops.Testing;

/// <summary>A fingerprint of everything a SQLite store holds: every row of every table.</summary>
public static class StoredState
{
    public static async Task<string> FingerprintAsync(Database database) =>
        await database.ReadAsync(async connection =>
        {
            var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
            var text = new StringBuilder();
            foreach (var table in tables)
            {
                text.Append("# ").AppendLine(table);
                foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM \"{table}\" ORDER BY rowid"))
                {
                    text.AppendJoin('|', row.Select(c => $"{c.Key}={c.Value}")).AppendLine();
                }
            }

            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        });
}
