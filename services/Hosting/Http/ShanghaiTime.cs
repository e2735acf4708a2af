using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ops.Hosting.Http;

/// <summary>
/// People read times in Asia/Shanghai (UTC+8): the HTTP API writes every time with that offset and at most
/// milliseconds (<see cref="Format"/>). It reads ISO 8601 times only with an explicit offset (<c>Z</c> or
/// <c>+08:00</c>), never guessing a zone, and only within the <see cref="ContractEra"/>.
/// </summary>
public sealed class ShanghaiTimeConverter : JsonConverter<DateTimeOffset>
{
    public static TimeZoneInfo Zone { get; } = FindZone();

    /// <summary>Asia/Shanghai has kept UTC+8 all year since 1992; earlier times never get in (<see cref="ContractEra"/>).</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTimeOffset ToShanghai(DateTimeOffset time) => time.ToOffset(Offset);

    /// <summary>
    /// The one way a time is written for people and clients: +08:00, whole seconds without a fraction, otherwise
    /// exactly three digits of milliseconds (finer parts are cut): 2026-11-24T10:00:00+08:00, 2026-11-24T10:00:00.120+08:00.
    /// </summary>
    public static string Format(DateTimeOffset time)
    {
        Span<char> text = stackalloc char[MaxLength];
        return new string(text[..FormatInto(time, text)]);
    }

    /// <summary>The longest <see cref="Format"/> writes: 2026-11-24T10:00:00.120+08:00.</summary>
    private const int MaxLength = 29;

    /// <summary>
    /// <see cref="Format"/> into <paramref name="text"/> (at least <see cref="MaxLength"/> long), answering the length: the
    /// API and the reports write hundreds of thousands of times, so without a format string to parse or a string to make.
    /// </summary>
    private static int FormatInto(DateTimeOffset time, Span<char> text)
    {
        var local = ToShanghai(time).DateTime;
        var millisecond = local.Millisecond;
        local.TryFormat(text, out var length, "s", CultureInfo.InvariantCulture); // yyyy-MM-ddTHH:mm:ss
        if (millisecond != 0)
        {
            text[length++] = '.';
            millisecond.TryFormat(text[length..], out var digits, "000", CultureInfo.InvariantCulture);
            length += digits;
        }

        "+08:00".CopyTo(text[length..]);
        return length + 6;
    }

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !HasOffset(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new RefusedJsonValueException(L10n.Of(
                "须为带时区偏移的 ISO 8601 时间，如 2026-11-24T09:30:00+08:00。",
                "Expected an ISO 8601 time with an offset, e.g. 2026-11-24T09:30:00+08:00."));
        }

        if (!ContractEra.Contains(value))
        {
            throw new RefusedJsonValueException(L10n.Of($"须为{ContractEra.Description}的时间。", $"Expected a time {ContractEra.Description}."));
        }

        return value.ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> text = stackalloc char[MaxLength];
        writer.WriteStringValue(text[..FormatInto(value, text)]);
    }

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.Ordinal);
        if (t < 0)
        {
            return false;
        }

        var time = text[(t + 1)..];
        return time.EndsWith('Z') || time.EndsWith('z') || time.Contains('+', StringComparison.Ordinal) || time.Contains('-', StringComparison.Ordinal);
    }

    private static TimeZoneInfo FindZone() =>
        TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Shanghai", out var zone)
            ? zone
            : TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
}

/// <summary>A value a converter of the product refuses, with a message for the caller (the framework's own are not for people).</summary>
public sealed class RefusedJsonValueException(string message) : JsonException(message);
