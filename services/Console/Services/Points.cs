using System.Globalization;

namespace Ops.Console.Services;

/// <summary>Assessment points as every page writes them: the API's value, never rounded, without trailing zeros (<c>97.5</c>, <c>0.25</c>, <c>25</c>).</summary>
public static class Points
{
    public static string Format(decimal points) => points.ToString("0.############################", CultureInfo.InvariantCulture);
}
