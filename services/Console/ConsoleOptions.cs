using System.ComponentModel.DataAnnotations;

namespace Ops.Console;

/// <summary>Where the three services' APIs are (section <c>Console</c>, e.g. <c>Console__Tickets=http://10.0.0.5:5101/</c>).</summary>
public sealed class ConsoleOptions : IValidatableObject
{
    public const string Section = "Console";

    [Required]
    public Uri? Tickets { get; set; }

    [Required]
    public Uri? SlaTimer { get; set; }

    [Required]
    public Uri? Scoring { get; set; }

    /// <summary>How long a sign-in lasts: one on-call shift. The API token inside it may end sooner; then the person signs in again.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The folder of the keys that sign the session and antiforgery cookies (owner only); default
    /// <c>{Database:DataDirectory}/console-keys</c>. Consoles behind one load balancer share it.
    /// </summary>
    public string? DataProtectionKeys { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(DataProtectionKeys))
        {
            yield return new ValidationResult($"{Section}:{nameof(DataProtectionKeys)} ({Section}__{nameof(DataProtectionKeys)}) must name a folder for the keys of the sign-in cookies.", [nameof(DataProtectionKeys)]);
        }
        else if (Hosting.SessionKeys.Prepare(DataProtectionKeys) is { } reason)
        {
            yield return new ValidationResult($"{Section}:{nameof(DataProtectionKeys)} ({Section}__{nameof(DataProtectionKeys)}): the folder '{DataProtectionKeys}' cannot hold the keys of the sign-in cookies: {reason}", [nameof(DataProtectionKeys)]);
        }

        foreach (var (name, uri) in new[] { (nameof(Tickets), Tickets), (nameof(SlaTimer), SlaTimer), (nameof(Scoring), Scoring) })
        {
            if (uri is not null && (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query)))
            {
                yield return new ValidationResult($"{Section}:{name} must be an absolute http or https address of the service, such as http://127.0.0.1:5101/ (found '{uri}').", [name]);
            }
        }
    }
}
