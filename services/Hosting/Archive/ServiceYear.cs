using System.Globalization;
using Ops.Hosting.Contracts;
using Ops.Hosting.Http;
using Ops.Hosting.Security;

namespace Ops.Hosting.Archive;

/// <summary>
/// One service year of a contract: <c>year=2026</c> is the year that starts on the contract's first day in 2026
/// (2026-02-28 to 2027-02-27 for the seed contract); a contract longer than a year has one per anniversary, the last
/// ending on its last day. <see cref="From"/> and <see cref="To"/> are the start of its first day and of the day after
/// its last (Asia/Shanghai), as UTC.
/// </summary>
public sealed record ServiceYear(string Contract, int Year, DateOnly FirstDay, DateOnly LastDay)
{
    public DateTimeOffset From => StartOfDay(FirstDay);

    public DateTimeOffset To => StartOfDay(LastDay.AddDays(1));

    /// <summary>Its key in the API (<c>2026</c>), the year it starts in.</summary>
    public string Key => Year.ToString(CultureInfo.InvariantCulture);

    /// <summary>2026年度服务期, as its reports name it.</summary>
    public string Name => $"{Key}年度服务期";

    /// <summary>2026-02-28 – 2027-02-27.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{FirstDay:yyyy-MM-dd} – {LastDay:yyyy-MM-dd}");

    /// <summary>
    /// The service years of a contract, first first. Each anniversary is counted from the contract's first day, not from
    /// the year before's, so a contract starting on 29 February starts its years on 28 February and again on 29 February
    /// in each leap year.
    /// </summary>
    public static IReadOnlyList<ServiceYear> Of(string code, ContractEntry contract) => Of(code, contract.ServiceStart, contract.ServiceEnd);

    /// <inheritdoc cref="Of(string, ContractEntry)"/>
    public static IReadOnlyList<ServiceYear> Of(string code, DateOnly serviceStart, DateOnly serviceEnd)
    {
        var years = new List<ServiceYear>();
        for (var i = 0; serviceStart.AddYears(i) is var first && first <= serviceEnd; i++)
        {
            var last = serviceStart.AddYears(i + 1).AddDays(-1);
            years.Add(new ServiceYear(code, first.Year, first, last < serviceEnd ? last : serviceEnd));
        }

        return years;
    }

    /// <summary>
    /// Checks <c>contract</c> (a code the caller holds whole; may be left out while the caller holds only one) and
    /// <c>year</c> (one of its service years); null with the errors, naming the field, when either is wrong.
    /// </summary>
    public static ServiceYear? Parse(string? contract, string? year, ContractsFile contracts, Scope scope, ValidationErrors errors)
    {
        var visible = contracts.Contracts.Keys.Where(scope.AllowsWholeContract).Order(StringComparer.Ordinal).ToList();
        string? code = null;
        ContractEntry? entry = null;
        if (string.IsNullOrWhiteSpace(contract))
        {
            if (visible.Count == 1)
            {
                code = visible[0];
            }
            else
            {
                errors.Add("contract", L10n.Of($"“contract”为必填项：{L10n.List(visible)} 之一。", $"'contract' is required: one of {L10n.List(visible)}."));
            }
        }
        else if (visible.FirstOrDefault(c => string.Equals(c, contract.Trim(), StringComparison.OrdinalIgnoreCase)) is { } known)
        {
            code = known;
        }
        else
        {
            errors.Add("contract", L10n.Of($"未知的合同“{contract}”。", $"Unknown contract '{contract}'."));
        }

        if (code is not null)
        {
            entry = contracts.Contracts[code];
        }

        if (string.IsNullOrWhiteSpace(year))
        {
            errors.Add("year", L10n.Of("“year”为必填项：服务年度开始的年份，如 2026。", "'year' is required: the year its service year starts in, e.g. 2026."));
            return null;
        }

        if (!int.TryParse(year.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add("year", L10n.Of("“year”须为四位年份，如 2026。", "'year' must be a year of four digits, e.g. 2026."));
            return null;
        }

        if (code is null || entry is null)
        {
            return null;
        }

        var years = Of(code, entry);
        if (years.FirstOrDefault(y => y.Year == number) is { } found)
        {
            return found;
        }

        var allowed = L10n.List(years.Select(y => $"{y.Year}（{y.Describe()}）"));
        var allowedEn = L10n.List(years.Select(y => $"{y.Year} ({y.Describe()})"));
        errors.Add("year", L10n.Of(
            $"“year”不在合同 {code} 的服务期内：须为 {allowed}。",
            $"'year' lies outside contract {code}'s service period: it must be {allowedEn}."));
        return null;
    }

    /// <summary>The start of <paramref name="date"/> in Shanghai, as UTC.</summary>
    internal static DateTimeOffset StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, ShanghaiTimeConverter.Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
