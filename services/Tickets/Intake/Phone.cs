using System.Text.RegularExpressions;

namespace Ops.Tickets.Intake;

/// <summary>Reporter phone numbers: personal data, normalized to digits, masked everywhere but a ticket's detail.</summary>
public static partial class Phone
{
    /// <summary>
    /// The digits of a Chinese mobile (1xx xxxx xxxx) or landline (0 + area code + number) phone,
    /// without +86, spaces or dashes; null when it is neither.
    /// </summary>
    public static string? Normalize(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone) || phone.Length > 32)
        {
            return null;
        }

        var digits = Separators().Replace(phone.Trim(), string.Empty);
        if (digits.StartsWith("+86", StringComparison.Ordinal))
        {
            digits = digits[3..];
        }
        else if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }

        return Mobile().IsMatch(digits) || Landline().IsMatch(digits) ? digits : null;
    }

    /// <summary>138****1234: the first three and the last four digits.</summary>
    public static string Mask(string phone) =>
        phone.Length < 8 ? new string('*', phone.Length) : $"{phone[..3]}****{phone[^4..]}";

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^0\d{9,11}$")]
    private static partial Regex Landline();
}
