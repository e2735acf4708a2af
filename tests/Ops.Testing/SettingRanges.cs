using System.Globalization;
using System.Reflection;
using NUnit.Framework;
using RangeAttribute = System.ComponentModel.DataAnnotations.RangeAttribute;

namespace Ops.Testing;

/// <summary>
/// The ranged settings of a service, found where they are declared: every public property with a [Range] of
/// every settings class (a class with a <c>Section</c> constant) in the given assemblies.
/// </summary>
public static class SettingRanges
{
    /// <summary>For each ranged setting, its key and a value just below its range and one just above.</summary>
    public static IEnumerable<TestCaseData> OutOfRange(params Assembly[] assemblies) =>
        from type in assemblies.SelectMany(a => a.GetTypes())
        let section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
        where section is not null
        from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        let range = property.GetCustomAttribute<RangeAttribute>()
        where range is not null
        from value in new[] { Outside(range, -1), Outside(range, +1) }
        let key = $"{section}:{property.Name}"
        select new TestCaseData(key, value).SetName($"{{m}}({key}={value})");

    /// <summary>A limit of a duration range: the text the attribute was given, or the duration it made of it once it checked a value.</summary>
    private static TimeSpan Limit(object limit) => limit as TimeSpan? ?? TimeSpan.Parse((string)limit, CultureInfo.InvariantCulture);

    /// <summary>The value one step outside the range: below its minimum (-1) or above its maximum (+1).</summary>
    private static string Outside(RangeAttribute range, int direction)
    {
        var limit = direction < 0 ? range.Minimum : range.Maximum;
        return range.OperandType == typeof(TimeSpan)
            ? Ops.Hosting.Configuration.Settings.Format(Limit(limit) + TimeSpan.FromMilliseconds(direction))
            : (Convert.ToInt64(limit, CultureInfo.InvariantCulture) + direction).ToString(CultureInfo.InvariantCulture);
    }
}
