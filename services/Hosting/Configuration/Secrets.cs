using System.Text.RegularExpressions;

namespace Ops.Hosting.Configuration;

/// <summary>
/// Which settings are secret, and how they are shown: a key whose last part names a password, secret, key or token
/// (<c>Auth:SigningKey</c>, <c>Audit:ChainKey</c>, <c>PersonalData:Key</c>, <c>RabbitMq:Password</c>, a WeCom app's
/// <c>Secret</c>, <c>Token</c> and <c>EncodingAESKey</c>, a DingTalk robot's <c>Secret</c>) is masked whole; a connection
/// string keeps all but its password; a webhook URL keeps only its host (a robot's key may be in its path or its query);
/// an engineer's mobile is masked like every phone number.
/// </summary>
public static partial class Secrets
{
    public const string Mask = "********";

    /// <summary>Settings that are secret though their names do not say so.</summary>
    public static readonly IReadOnlyList<string> KnownNames = ["Url", "Mobile"];

    public static bool IsSecret(string key) => SecretName().IsMatch(LastPart(key));

    /// <summary>The value as <c>admin check-config</c> prints it.</summary>
    public static string Shown(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value ?? "";
        }

        var name = LastPart(key);
        if (IsSecret(key))
        {
            return Mask;
        }

        if (key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase))
        {
            return ConnectionPassword().Replace(value, m => $"{m.Groups[1].Value}={Mask}");
        }

        if (name.Equals("Url", StringComparison.OrdinalIgnoreCase))
        {
            // Robots carry their key in the query (WeCom, DingTalk) or in the path (Feishu, Slack): only where it goes shows.
            return Uri.TryCreate(value, UriKind.Absolute, out var url) ? $"{url.Scheme}://{url.Host}{(url.IsDefaultPort ? "" : $":{url.Port}")}/{Mask}" : Mask;
        }

        return name.Equals("Mobile", StringComparison.OrdinalIgnoreCase) && value.Length > 7 ? $"{value[..3]}****{value[^4..]}" : value;
    }

    private static string LastPart(string key) => key[(key.LastIndexOf(':') + 1)..];

    [GeneratedRegex("(Password|Pwd|Secret|Key|Token)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(Password|Pwd|Psw)\s*=\s*(""(?:[^""]|"""")*""|'(?:[^']|'')*'|[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionPassword();
}
