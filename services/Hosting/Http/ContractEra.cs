namespace Ops.Hosting.Http;

/// <summary>
/// The years a contract of the product may cover. Times outside are refused on the way in (bodies and query
/// strings alike), so no arithmetic overflows and none is written at an odd offset (Shanghai kept +08:05 before 1901).
/// </summary>
public static class ContractEra
{
    public static readonly DateTimeOffset Start = new(2000, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
    public static readonly DateTimeOffset End = new(2100, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>For messages: "from 2000-01-01 to 2100-01-01".</summary>
    public const string Description = "from 2000-01-01 to 2100-01-01 (Asia/Shanghai)";

    public static bool Contains(DateTimeOffset time) => time >= Start && time <= End;
}
