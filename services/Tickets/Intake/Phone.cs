using System.Text.RegularExpressions;

namespace Ops.Tickets.Intake;

/// <summary>
/// Reporter phone numbers: personal data, kept in a normal form and masked everywhere but a ticket's detail.
/// A mobile is its 11 digits (13812345678); a landline keeps its area code apart when it was written apart
/// (0477-1234567), and is one run of digits when it was written as one (04771234567).
/// </summary>
public static partial class Phone
{
    /// <summary>
    /// The normal form of a Chinese mobile (1xx xxxx xxxx, with or without +86) or landline (0 + area code +
    /// number of 7 or 8 digits) phone, without spaces and with a dash only between area code and number;
    /// null when it is neither.
    /// </summary>
    public static string? Normalize(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone) || phone.Length > 32)
        {
            return null;
        }

        var text = phone.Trim();
        var international = text.StartsWith("+86", StringComparison.Ordinal) || text.StartsWith("0086", StringComparison.Ordinal);
        if (!international && AreaApart().Match(text) is { Success: true } apart)
        {
            var area = apart.Groups["area"].Value;
            var number = Separators().Replace(apart.Groups["number"].Value, string.Empty);
            return AreaCode().IsMatch(area) && LocalNumber().IsMatch(number) ? $"{area}-{number}" : null;
        }

        var digits = Separators().Replace(text, string.Empty);
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

    /// <summary>
    /// 138****1234 for a mobile (the first three and the last four digits); 0477-***4567 for a landline (the
    /// area code and the last four digits), also when it was written without the dash (0477***4567).
    /// </summary>
    public static string Mask(string phone) => Ops.Hosting.Security.PhoneMask.Of(phone);

    // Spaces only, not tabs, line breaks or other whitespace: a number written otherwise is refused, not cleaned.
    [GeneratedRegex(@"[ \-()]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^1[3-9]\d{9}\z")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^0\d{9,11}\z")]
    private static partial Regex Landline();

    /// <summary>An area code written apart from the number: <c>0477-1234567</c>, <c>0477 1234567</c>, <c>(0477)1234567</c>.</summary>
    [GeneratedRegex(@"^(?:\((?<area>0\d{2,3})\)[ -]*|(?<area>0\d{2,3})[ -]+)(?<number>\d[\d -]*)\z")]
    private static partial Regex AreaApart();

    /// <summary>Beijing's 010, the 02x of the largest cities, and the four-digit codes of the rest.</summary>
    [GeneratedRegex(@"^(?:010|02\d|0[3-9]\d{2})\z")]
    private static partial Regex AreaCode();

    [GeneratedRegex(@"^\d{7,8}\z")]
    private static partial Regex LocalNumber();
}
