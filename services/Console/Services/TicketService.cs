using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.Console.Services;

/// <summary>A ticket in a list, as the tickets service shows it (phone masked). <c>severity</c>: general|severe for a fault; a request has a grade.</summary>
public sealed record TicketSummary(Guid Id, string Number, string Status, string Kind, string? Severity, string? Grade, string SiteCode, string System, string Title, DateTimeOffset ReportedAt, DateTimeOffset? AcknowledgedAt);

/// <summary>A ticket with its timeline, as the tickets service shows it; the reporter's phone is whole for engineers and managers only.</summary>
public sealed record TicketDetails(
    Guid Id, string Number, string Status, string Kind, string? Severity, string? Grade, string Channel, string SiteCode, string System,
    string Title, string? Description, TicketReporter Reporter, DateTimeOffset ReportedAt, string? Resolution, List<TicketEvent> Timeline)
{
    public TicketSummary Summary => new(Id, Number, Status, Kind, Severity, Grade, SiteCode, System, Title, ReportedAt, null);
}

/// <summary>Who reported a ticket.</summary>
public sealed record TicketReporter(string Name, string Phone);

/// <summary>One event on a ticket's timeline.</summary>
public sealed record TicketEvent(DateTimeOffset At, string Action, string Actor, string? Detail);

/// <summary>What the tickets service answered to a change: the refusal's words (its problem's detail and errors), or none when the change is stored.</summary>
public sealed record ChangeRefusal(string Message);

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

    /// <summary>A ticket by its id or number; none when it is not found (or outside the caller's contracts and sites).</summary>
    public async Task<TicketDetails?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/tickets/{Uri.EscapeDataString(id)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TicketDetails>(cancellationToken);
    }

    /// <summary>Acknowledges a ticket in the signed-in person's name.</summary>
    public Task<ChangeRefusal?> AcknowledgeAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/acknowledge", null, cancellationToken);

    /// <summary>Resolves a ticket with what was done.</summary>
    public Task<ChangeRefusal?> ResolveAsync(string id, string? resolution, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/resolve", new { resolution }, cancellationToken);

    private async Task<ChangeRefusal?> ChangeAsync(string path, object? body, CancellationToken cancellationToken)
    {
        using var response = body is null ? await http.PostAsync(path, null, cancellationToken) : await http.PostAsJsonAsync(path, body, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        if ((int)response.StatusCode is 400 or 403 or 404 or 409)
        {
            return new ChangeRefusal(await RefusalAsync(response, cancellationToken));
        }

        response.EnsureSuccessStatusCode();
        return null;
    }

    /// <summary>The problem's own words: its field errors, else its detail, else its title (the tickets service answers in Chinese).</summary>
    internal static async Task<string> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                var messages = errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString()).OfType<string>().ToList();
                if (messages.Count > 0)
                {
                    return string.Join(" ", messages);
                }
            }

            foreach (var name in (string[])["detail", "title"])
            {
                if (problem.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(text.GetString()))
                {
                    return text.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the refusal is said without its words below.
        }

        return "操作被拒绝。";
    }
}
