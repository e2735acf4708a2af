using System.Globalization;
using System.Text.RegularExpressions;
using Ops.Hosting.Contracts;

namespace Ops.Console.Services;

/// <summary>The rota's field names as people read them on the 值班表 pages (<c>rotations[1].handover</c> → “轮换 2 的交接时间”).</summary>
public static partial class OnCallFields
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["engineers"] = "值班人员",
        ["rotations"] = "轮换",
        ["overrides"] = "换班",
        ["id"] = "编号",
        ["name"] = "姓名",
        ["mobile"] = "手机号",
        ["weComUserId"] = "企业微信 UserID",
        ["username"] = "本地用户名",
        ["layer"] = "班次",
        ["turn"] = "轮换方式",
        ["handover"] = "交接时间",
        ["start"] = "开始日期",
        ["engineer"] = "值班工程师",
        ["from"] = "开始时间",
        ["to"] = "结束时间",
        ["reason"] = "原因",
    };

    /// <summary>A field path of the API in words: <c>rotations[0].engineers</c> → “轮换 1 的值班人员”.</summary>
    public static string Label(string field)
    {
        var parts = FieldPart().Matches(field.TrimStart('$', '.'));
        var words = new List<string>();
        foreach (Match part in parts)
        {
            var name = part.Groups["name"].Value;
            var word = Names.GetValueOrDefault(name, name);
            if (name.Equals("rotations", StringComparison.OrdinalIgnoreCase) && parts.Count > 1 && part.Groups["index"].Success)
            {
                word = "轮换";
            }
            else if (name.Equals("engineers", StringComparison.OrdinalIgnoreCase) && part.Groups["index"].Success && words.Count == 0)
            {
                word = "工程师";
            }

            words.Add(part.Groups["index"].Success ? $"{word} {int.Parse(part.Groups["index"].Value, CultureInfo.InvariantCulture) + 1}" : word);
        }

        return words.Count == 0 ? field : string.Join(" 的", words);
    }

    /// <summary>The API's message, its JSON field name replaced by the label; prefixed with the label when the message names no field.</summary>
    public static string Labelled(string message, string field)
    {
        var label = Label(field);
        var replaced = message.Replace($"“{field}”", $"“{label}”", StringComparison.OrdinalIgnoreCase);
        return replaced.Contains(label, StringComparison.Ordinal) ? replaced : $"{label}：{replaced}";
    }

    [GeneratedRegex(@"(?<name>[A-Za-z]+)(\[(?<index>\d+)\])?")]
    private static partial Regex FieldPart();
}

/// <summary>One day of the week view: each layer's shifts cut to the day (Asia/Shanghai).</summary>
public sealed record OnCallDay(DateOnly Date, IReadOnlyList<(string Layer, IReadOnlyList<OnCallShift> Shifts)> Layers)
{
    private static readonly string[] WeekDays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    public string Title => $"{Date.Month}月{Date.Day}日 {WeekDays[(int)Date.DayOfWeek]}";

    public DateTimeOffset Start => OnCallWeek.Midnight(Date);

    /// <summary>“08:30–24:00”: a shift's part of this day, as a person reads it.</summary>
    public string Hours(OnCallShift shift)
    {
        var from = shift.From <= Start ? Start : shift.From;
        var to = shift.To >= Start.AddDays(1) ? Start.AddDays(1) : shift.To;
        return $"{Clock(from)}–{(to == Start.AddDays(1) ? "24:00" : Clock(to))}";
    }

    private static string Clock(DateTimeOffset time) => time.ToOffset(Shanghai.Offset).ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>The week the 值班表 shows: Monday to Sunday in Asia/Shanghai.</summary>
public static class OnCallWeek
{
    /// <summary>The days rotas may start on (2000 to 2099): a week asked for beyond them shows the nearest within.</summary>
    private static readonly DateOnly FirstDay = new(2000, 1, 1);

    private static readonly DateOnly LastDay = new(2099, 12, 31);

    /// <summary>The Monday of the week holding <paramref name="date"/>.</summary>
    public static DateOnly Monday(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>The Monday of the week asked for in the address (<c>2026-11-30</c>, any day of it, held within 2000 to 2099), else of this week.</summary>
    public static DateOnly Of(string? week, DateTimeOffset now) =>
        Monday(DateOnly.TryParseExact(week?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asked)
            ? (asked < FirstDay ? FirstDay : asked > LastDay ? LastDay : asked)
            : DateOnly.FromDateTime(now.ToOffset(Shanghai.Offset).DateTime));

    public static DateTimeOffset Midnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Shanghai.Offset);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The seven days from <paramref name="monday"/>, each layer's shifts that overlap the day.</summary>
    public static IReadOnlyList<OnCallDay> Days(DateOnly monday, IReadOnlyList<OnCallShift> shifts) =>
        Enumerable.Range(0, 7).Select(i =>
        {
            var date = monday.AddDays(i);
            var start = Midnight(date);
            var end = start.AddDays(1);
            IReadOnlyList<(string, IReadOnlyList<OnCallShift>)> layers = OnCallService.Layers
                .Select(l => (l.Layer, (IReadOnlyList<OnCallShift>)shifts.Where(s => s.Layer == l.Layer && s.From < end && s.To > start).OrderBy(s => s.From).ToList()))
                .ToList();
            return new OnCallDay(date, layers);
        }).ToList();

    /// <summary>A time typed in a <c>datetime-local</c> field, read as Shanghai time; none when it is not one.</summary>
    public static DateTimeOffset? ParseLocal(string? typed) =>
        DateTime.TryParseExact(typed?.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, Shanghai.Offset)
            : null;

    /// <summary>A time as a <c>datetime-local</c> field shows it, in Shanghai time.</summary>
    public static string Local(DateTimeOffset time) => time.ToOffset(Shanghai.Offset).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The contracts named in <c>contracts.json</c>, the file the services read.</summary>
    public static IReadOnlyList<string> Contracts(ContractsFile file) => [.. file.Usable.Keys.Order(StringComparer.Ordinal)];
}
