using System.Globalization;

namespace Ops.Console.Services;

/// <summary>Money as the contract writes it: <c>¥25,756.80</c>.</summary>
public static class Money
{
    public static string Format(decimal amount) =>
        (amount < 0 ? "-¥" : "¥") + Math.Abs(amount).ToString("#,##0.00", CultureInfo.InvariantCulture);
}
