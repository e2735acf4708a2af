using System.Globalization;
using System.Xml;

namespace Ops.Hosting.Http;

/// <summary>Query-string values read as text and checked here, so a bad one is a field error, never a binding failure.</summary>
public static class QueryValues
{
    /// <summary>
    /// An ISO 8601 time with an offset, within the <see cref="ContractEra"/>; a '+' that arrived unencoded (as a
    /// space) is taken as '+'.
    /// </summary>
    public static DateTimeOffset? Time(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim().Replace(' ', '+');
        var t = text.IndexOf('T', StringComparison.Ordinal);
        var hasOffset = t > 0 && (text.EndsWith('Z') || text.IndexOfAny(['+', '-'], t) > 0);
        if (text.Length > 40 || !hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            errors.Add(field, L10n.Of(
                $"“{field}”须为带时区偏移的 ISO 8601 时间，如 2026-11-24T00:00:00+08:00。",
                $"'{field}' must be an ISO 8601 time with an offset, e.g. 2026-11-24T00:00:00+08:00."));
            return null;
        }

        if (!ContractEra.Contains(time))
        {
            errors.Add(field, L10n.Of($"“{field}”须为{ContractEra.Description}的时间。", $"'{field}' must be a time {ContractEra.Description}."));
            return null;
        }

        return time.ToUniversalTime();
    }

    /// <summary>An ISO 8601 duration (e.g. PT10M) from zero to <paramref name="max"/>; null when left out.</summary>
    public static TimeSpan? Duration(string? value, string field, TimeSpan max, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        TimeSpan duration;
        try
        {
            duration = value.Length > 40 ? throw new FormatException() : XmlConvert.ToTimeSpan(value.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            errors.Add(field, L10n.Of($"“{field}”须为 ISO 8601 时长，如 PT10M。", $"'{field}' must be an ISO 8601 duration, e.g. PT10M."));
            return null;
        }

        if (duration < TimeSpan.Zero || duration > max)
        {
            errors.Add(field, L10n.Of(
                $"“{field}”须在 PT0S 至 {XmlConvert.ToString(max)}（{Durations.InChineseWords(max)}）之间。",
                $"'{field}' must be from PT0S to {XmlConvert.ToString(max)} ({Durations.InWords(max)})."));
            return null;
        }

        return duration;
    }

    /// <summary>
    /// What a path names a thing by: an id (a GUID), a number such as F20261124-0001 or a username, at most 64
    /// letters, digits, '-', '.' or '_'. Anything else is refused before it reaches a store.
    /// </summary>
    public static bool IsReference(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_');

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="fallback"/> when left out.</summary>
    public static int WholeNumber(string? value, string field, int min, int max, int fallback, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            errors.Add(field, L10n.Of($"“{field}”须为 {min} 至 {max} 之间的整数。", $"'{field}' must be a whole number from {min} to {max}."));
            return fallback;
        }

        return number;
    }

    /// <summary>Like <see cref="Choice{T}"/>, but a missing or blank value is an error too.</summary>
    public static T? RequiredChoice<T>(string? value, string field, ValidationErrors errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            var names = L10n.List(Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
            errors.Add(field, L10n.Of($"“{field}”为必填项，可选：{names}。", $"'{field}' is required: {names}."));
            return null;
        }

        return Choice<T>(value, field, errors);
    }

    /// <summary>One of the names of <typeparamref name="T"/>, any case; null when left out.</summary>
    public static T? Choice<T>(string? value, string field, ValidationErrors errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var names = Enum.GetNames<T>();
        var name = names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            var allowed = L10n.List(names.Select(n => n.ToLowerInvariant()));
            errors.Add(field, L10n.Of($"“{field}”须为以下之一：{allowed}。", $"'{field}' must be one of: {allowed}."));
            return null;
        }

        return Enum.Parse<T>(name);
    }

    /// <summary>
    /// A site's code (<c>siteCode</c>), wherever it is asked for: 1 to 32 letters, digits or '-', upper-cased.
    /// Null when left out.
    /// </summary>
    public static string? SiteCode(string? value, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var code = value.Trim();
        if (code.Length > 32 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            errors.Add("siteCode", L10n.Of("“siteCode”须为站点代码：1 至 32 个字母、数字或“-”。", "'siteCode' must be a site's code: 1 to 32 letters, digits or '-'."));
            return null;
        }

        return code.ToUpperInvariant();
    }

    /// <summary>
    /// A name as people write it (a system, a site): letters of any script, digits, spaces and
    /// <c>- _ . ( ) （ ） / · &amp; +</c>, at most <paramref name="maxLength"/> characters. Quotes, semicolons,
    /// comparison signs and the like are refused: no name needs them, and filters never pass them on.
    /// Null when left out.
    /// </summary>
    public static string? Name(string? value, string field, int maxLength, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var name = value.Trim();
        if (name.Length > maxLength || !name.All(IsNameCharacter))
        {
            errors.Add(field, L10n.Of(
                $"“{field}”最多 {maxLength} 个字符，只能是文字、数字、空格或 - _ . ( ) / · & +。",
                $"'{field}' must be at most {maxLength} letters, digits, spaces or - _ . ( ) / · & +."));
            return null;
        }

        return name;
    }

    private static bool IsNameCharacter(char c) =>
        char.IsLetterOrDigit(c) || c == ' ' || "-_.()（）/·&+".Contains(c);
}
