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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, uri) in new[] { (nameof(Tickets), Tickets), (nameof(SlaTimer), SlaTimer), (nameof(Scoring), Scoring) })
        {
            if (uri is not null && (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query)))
            {
                yield return new ValidationResult($"{Section}:{name} must be an absolute http or https address of the service, such as http://127.0.0.1:5101/ (found '{uri}').", [name]);
            }
        }
    }
}
