using System.ComponentModel.DataAnnotations;

namespace Ops.SlaTimer.Notifications;

/// <summary>
/// Where people open the web console (<c>Console__PublicUrl</c>, e.g. <c>https://ops.example.gov.cn</c>): every notice
/// links to the ticket's page there, <c>/tickets/{number}</c>. Without it, notices carry no link.
/// </summary>
public sealed class ConsoleLinkOptions : IValidatableObject
{
    public const string Section = "Console";

    /// <summary>The console's address as the engineers' phones reach it; absolute http(s), no query.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The ticket's page in the console; null when no console address is set.</summary>
    public string? TicketLink(string ticketNumber) =>
        string.IsNullOrWhiteSpace(PublicUrl) ? null : $"{PublicUrl.TrimEnd('/')}/tickets/{Uri.EscapeDataString(ticketNumber)}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicUrl)
            && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment)))
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(PublicUrl)} ({Section}__{nameof(PublicUrl)}) must be the console's absolute http or https address, such as https://ops.example.gov.cn (found '{PublicUrl}').",
                [nameof(PublicUrl)]);
        }
    }
}
