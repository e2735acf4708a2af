namespace Ops.Hosting.Http;

/// <summary>
/// The years a contract of the product may cover. Times outside are refused on the way in (bodies and query
/// strings alike), so no arithmetic overflows and none is written at an odd offset (Shanghai kept +08:05 before 1901).
/// </summary>
public static class ContractEra
{
    public static readonly DateTimeOffset Start = new(2000, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
    public static readonly DateTimeOffset End = new(2100, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>For messages: "from 2000-01-01 to 2100-01-01", in the caller's language.</summary>
    public static string Description => L10n.Of("2000-01-01 至 2100-01-01（北京时间）之间", "from 2000-01-01 to 2100-01-01 (Asia/Shanghai)");

    public static bool Contains(DateTimeOffset time) => time >= Start && time <= End;
}
