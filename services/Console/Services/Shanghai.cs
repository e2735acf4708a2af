namespace Ops.Console.Services;

/// <summary>Times as people in the bureau read them: Asia/Shanghai, <c>2026-12-01 21:05</c>.</summary>
public static class Shanghai
{
    /// <summary>China keeps no daylight saving time: UTC+8 all year.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static string Format(DateTimeOffset time) =>
        time.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
