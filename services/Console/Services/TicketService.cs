using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>A ticket in a list, as the tickets service shows it (phone masked). <c>severity</c>: general|severe for a fault; a request has a grade.</summary>
public sealed record TicketSummary(Guid Id, string Number, string Status, string Kind, string? Severity, string? Grade, string SiteCode, string System, string Title, DateTimeOffset ReportedAt, DateTimeOffset? AcknowledgedAt);

/// <summary>The tickets service's ticket API (<c>/api/tickets</c>).</summary>
public sealed class TicketService(HttpClient http)
{
    private sealed record TicketPage(List<TicketSummary> Items, long Total, int Limit, int Offset);

    /// <summary>The most open tickets one list shows; a queue longer than this needs filters, not scrolling.</summary>
    public const int MaxOpen = 200;

    /// <summary>The tickets not yet resolved: reported (open) and acknowledged, the caller's contracts and sites only.</summary>
    public async Task<IReadOnlyList<TicketSummary>> OpenAsync(CancellationToken cancellationToken = default)
    {
        var open = ListAsync("open", cancellationToken);
        var acknowledged = ListAsync("acknowledged", cancellationToken);
        return [.. await open, .. await acknowledged];
    }

    private async Task<List<TicketSummary>> ListAsync(string status, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<TicketPage>($"api/tickets?status={status}&limit={MaxOpen}", cancellationToken))?.Items ?? [];
}
