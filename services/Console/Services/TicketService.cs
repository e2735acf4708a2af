using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.Console.Services;

/// <summary>A ticket in a list, as the tickets service shows it (phone masked). <c>severity</c>: general|severe for a fault; a request has a grade.</summary>
public sealed record TicketSummary(Guid Id, string Number, string Status, string Kind, string? Severity, string? Grade, string SiteCode, string System, string Title, DateTimeOffset ReportedAt, DateTimeOffset? AcknowledgedAt);

/// <summary>A ticket with its timeline, as the tickets service shows it; the reporter's phone is whole for engineers and managers only.</summary>
public sealed record TicketDetails(
    Guid Id, string Number, string Status, string Kind, string? Severity, string? Grade, string Contract, string Channel, string SiteCode, string System,
    string Title, string? Description, TicketReporter Reporter, DateTimeOffset ReportedAt, DateTimeOffset? ResolvedAt, string? Resolution,
    TicketPause? Pause, List<TicketEvent> Timeline)
{
    public TicketSummary Summary => new(Id, Number, Status, Kind, Severity, Grade, SiteCode, System, Title, ReportedAt, null);
}

/// <summary>Who reported a ticket.</summary>
public sealed record TicketReporter(string Name, string Phone);

/// <summary>The ticket's pause: asked for and waiting for a manager (<c>pausedAt</c> none), or in force since <c>pausedAt</c>.</summary>
public sealed record TicketPause(string Reason, DateTimeOffset? RequestedAt, string? RequestedBy, DateTimeOffset? PausedAt)
{
    public bool WaitsForApproval => PausedAt is null;
}

/// <summary>One event on a ticket's timeline.</summary>
public sealed record TicketEvent(DateTimeOffset At, string Action, string Actor, string? Detail);

/// <summary>What the tickets service answered to a change: the refusal's words (its problem's detail and errors), or none when the change is stored.</summary>
public sealed record ChangeRefusal(string Message);

/// <summary>The tickets service's ticket API (<c>/api/tickets</c>).</summary>
public sealed class TicketService(HttpClient http)
{
    private sealed record TicketPage(List<TicketSummary> Items, long Total, int Limit, int Offset);

    /// <summary>The most tickets the API gives in one answer: longer lists are read page by page.</summary>
    public const int PageSize = 200;

    /// <summary>Every ticket not yet resolved, reported (open) and acknowledged, however many: the caller's contracts and sites only.</summary>
    public async Task<IReadOnlyList<TicketSummary>> OpenAsync(CancellationToken cancellationToken = default)
    {
        var open = AllAsync("status=open", cancellationToken);
        var acknowledged = AllAsync("status=acknowledged", cancellationToken);
        return [.. (await open).Concat(await acknowledged).DistinctBy(t => t.Id)];
    }

    /// <summary>The unresolved tickets the signed-in person acknowledged: theirs to handle (a ticket nobody acknowledged is nobody's yet).</summary>
    public async Task<IReadOnlySet<Guid>> MineAsync(CancellationToken cancellationToken = default) =>
        (await AllAsync("status=acknowledged&acknowledgedBy=me", cancellationToken)).Select(t => t.Id).ToHashSet();

    /// <summary>Every page of a list; a ticket reported meanwhile may push one onto the next page twice, hence the caller's DistinctBy.</summary>
    private async Task<List<TicketSummary>> AllAsync(string query, CancellationToken cancellationToken)
    {
        var all = new List<TicketSummary>();
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await http.GetFromJsonAsync<TicketPage>($"api/tickets?{query}&limit={PageSize}&offset={offset}", cancellationToken);
            all.AddRange(page?.Items ?? []);
            if (page is null || page.Items.Count < PageSize || offset + PageSize >= page.Total)
            {
                return all;
            }
        }
    }

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

    /// <summary>Acknowledges a ticket in the signed-in person's name; the timeline records that it came from the console.</summary>
    public Task<ChangeRefusal?> AcknowledgeAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/acknowledge", new { via = "console" }, cancellationToken);

    /// <summary>Resolves a ticket with what was done.</summary>
    public Task<ChangeRefusal?> ResolveAsync(string id, string? resolution, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/resolve", new { resolution }, cancellationToken);

    /// <summary>Reopens a resolved fault, saying why; its repair clock runs on.</summary>
    public Task<ChangeRefusal?> ReopenAsync(string id, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/reopen", new { reason }, cancellationToken);

    /// <summary>Changes a fault's severity (general|severe), saying why; the repair deadline is recomputed.</summary>
    public Task<ChangeRefusal?> ChangeSeverityAsync(string id, string? severity, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/severity", new { severity, reason }, cancellationToken);

    /// <summary>Asks for the ticket's clock to stand still, for one of its contract's reasons; a manager's pause holds at once.</summary>
    public Task<ChangeRefusal?> PauseAsync(string id, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/pause", new { reason }, cancellationToken);

    /// <summary>A manager approves the pause an engineer asked for.</summary>
    public Task<ChangeRefusal?> ApprovePauseAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/pause/approve", null, cancellationToken);

    /// <summary>A manager declines the pause an engineer asked for, saying why.</summary>
    public Task<ChangeRefusal?> DeclinePauseAsync(string id, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/pause/decline", new { reason }, cancellationToken);

    /// <summary>Ends a pause: the clock runs on.</summary>
    public Task<ChangeRefusal?> ResumeAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync($"api/tickets/{Uri.EscapeDataString(id)}/resume", null, cancellationToken);

    private async Task<ChangeRefusal?> ChangeAsync(string path, object? body, CancellationToken cancellationToken)
    {
        using var response = body is null ? await http.PostAsync(path, null, cancellationToken) : await http.PostAsJsonAsync(path, body, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        if ((int)response.StatusCode is 400 or 403 or 404 or 409 or 422)
        {
            return new ChangeRefusal(await RefusalAsync(response, cancellationToken));
        }

        response.EnsureSuccessStatusCode();
        return null;
    }

    /// <summary>The labels people see on the ticket and notices pages for the API's field names.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reason"] = "原因",
        ["resolution"] = "处理结果",
        ["severity"] = "级别",
        ["ticket"] = "工单编号",
        ["status"] = "结果",
    };

    /// <summary>The API's message with its JSON field name (<c>“reason”</c>) replaced by the label a person sees (<c>“原因”</c>).</summary>
    private static string Labelled(string message, string field) =>
        Labels.TryGetValue(field, out var label) ? message.Replace($"“{field}”", $"“{label}”", StringComparison.OrdinalIgnoreCase) : message;

    /// <summary>The problem's own words: its field errors, else its detail, else its title (the tickets service answers in Chinese).</summary>
    internal static async Task<string> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                var messages = errors.EnumerateObject()
                    .SelectMany(e => e.Value.EnumerateArray().Select(m => m.GetString()).OfType<string>().Select(m => Labelled(m, e.Name)))
                    .ToList();
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
