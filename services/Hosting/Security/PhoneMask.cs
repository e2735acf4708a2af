namespace Ops.Hosting.Security;

/// <summary>Phone numbers are personal data: whoever does not ring back sees them masked, the same way in every service.</summary>
public static class PhoneMask
{
    /// <summary>
    /// 138****1234 for a mobile (the first three and the last four digits); 0477-***4567 for a landline (the
    /// area code and the last four digits), also when it was written without the dash (0477***4567).
    /// </summary>
    public static string Of(string phone)
    {
        if (phone.Length < 8)
        {
            return new string('*', phone.Length);
        }

        if (!phone.StartsWith('0'))
        {
            return $"{phone[..3]}****{phone[^4..]}";
        }

        var dash = phone.IndexOf('-', StringComparison.Ordinal);
        var area = dash > 0 ? phone[..(dash + 1)] : phone[..(phone.StartsWith("01", StringComparison.Ordinal) || phone.StartsWith("02", StringComparison.Ordinal) ? 3 : 4)];
        return $"{area}{new string('*', phone.Length - area.Length - 4)}{phone[^4..]}";
    }
}
