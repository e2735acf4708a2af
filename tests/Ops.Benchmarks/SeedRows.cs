using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Ops.Benchmarks;

/// <summary>
/// Writes seeded rows with a store's own INSERT statement and parameters: through Dapper, one statement a row, or
/// on PostgreSQL as one COPY of the statement's table and columns, with each column's value taken from the
/// statement (a parameter of the row, or the statement's literal), as text for the server to read as the
/// column's type. A million rows go in in seconds instead of minutes; the rows are the same.
/// </summary>
public static partial class SeedRows
{
    public static async Task<int> InsertAsync(DbTransaction transaction, string insert, IReadOnlyCollection<object> rows)
    {
        if (transaction.Connection is not NpgsqlConnection connection)
        {
            return await transaction.Connection!.ExecuteAsync(insert, rows, transaction);
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        var statement = Copy.Of(insert);
        var properties = rows.First().GetType().GetProperties().ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var values = statement.Values.Select(v => v.Parameter is { } name
            ? (Func<object, string>)(row => Text(properties[name].GetValue(row)))
            : _ => v.Literal).ToArray();
        await using (var writer = await connection.BeginTextImportAsync($"COPY {statement.Table} ({string.Join(", ", statement.Columns)}) FROM STDIN"))
        {
            var line = new StringBuilder();
            foreach (var row in rows)
            {
                line.Clear();
                for (var i = 0; i < values.Length; i++)
                {
                    line.Append(i == 0 ? "" : "\t").Append(values[i](row));
                }

                await writer.WriteAsync(line.Append('\n'));
            }
        }

        return rows.Count;
    }

    /// <summary>A value in COPY's text form: \N for null, times in UTC to the microsecond (as Npgsql sends them), text escaped.</summary>
    internal static string Text(object? value) => value switch
    {
        null => @"\N",
        string text => Escape(text),
        Guid id => id.ToString("D"),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00",
        bool flag => flag ? "t" : "f",
        int or long or short or decimal => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new NotSupportedException($"A seeded {value.GetType().Name} has no COPY text here."),
    };

    private static string Escape(string text) => text.IndexOfAny(['\\', '\t', '\n', '\r']) < 0
        ? text
        : text.Replace(@"\", @"\\").Replace("\t", @"\t").Replace("\n", @"\n").Replace("\r", @"\r");

    /// <summary>An INSERT's table, columns and values (a parameter's name, or a literal's COPY text).</summary>
    internal sealed record Copy(string Table, string[] Columns, (string? Parameter, string Literal)[] Values)
    {
        public static Copy Of(string insert)
        {
            var match = InsertStatement().Match(insert);
            if (!match.Success)
            {
                throw new NotSupportedException($"Not an INSERT … VALUES the seeding can COPY: {insert}");
            }

            var columns = match.Groups["columns"].Value.Split(',', StringSplitOptions.TrimEntries);
            var values = Split(match.Groups["values"].Value).Select(Value).ToArray();
            return columns.Length == values.Length
                ? new(match.Groups["table"].Value, columns, values)
                : throw new NotSupportedException($"The INSERT names {columns.Length} columns and {values.Length} values: {insert}");
        }

        private static (string? Parameter, string Literal) Value(string sql) => sql switch
        {
            ['@', .. var name] => (name, ""),
            "NULL" => (null, @"\N"),
            ['\'', .. var quoted, '\''] => (null, Escape(quoted.Replace("''", "'"))),
            _ when long.TryParse(sql, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => (null, sql),
            _ => throw new NotSupportedException($"A value the seeding cannot COPY: {sql}"),
        };

        // The values, split at the commas outside quotes.
        private static IEnumerable<string> Split(string values)
        {
            var start = 0;
            var quoted = false;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] == '\'')
                {
                    quoted = !quoted;
                }
                else if (values[i] == ',' && !quoted)
                {
                    yield return values[start..i].Trim();
                    start = i + 1;
                }
            }

            yield return values[start..].Trim();
        }
    }

    [GeneratedRegex(@"^\s*INSERT\s+INTO\s+(?<table>\w+)\s*\((?<columns>[^)]*)\)\s*VALUES\s*\((?<values>[^)]*)\)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InsertStatement();
}
