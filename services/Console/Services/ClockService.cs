using System.Net;
using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>An SLA clock as the sla-timer shows it: <c>clock</c> response|repair|completion, <c>state</c> running|met|breached|paused.</summary>
public sealed record SlaClock(Guid Id, Guid TicketId, string TicketNumber, string Clock, DateTimeOffset StartedAt, DateTimeOffset Deadline, string State, DateTimeOffset? BreachedAt, DateTimeOffset? StoppedAt,
    string? SiteCode = null, string? System = null, string? Severity = null)
{
    /// <summary>Past its deadline and not yet stopped: the ticket is overdue on this clock.</summary>
    public bool IsOverdue => StoppedAt is null && State == "breached";

    /// <summary>Counting towards its deadline.</summary>
    public bool IsRunning => StoppedAt is null && State == "running";

    /// <summary>Stopped for now with a manager's approval; its deadline moves when it resumes.</summary>
    public bool IsPaused => StoppedAt is null && State == "paused";
}

/// <summary>The sla-timer's clock API.</summary>
public sealed class ClockService(HttpClient http)
{
    private sealed record ClockPage(List<SlaClock> Items, long Total, int Limit, int Offset);

    /// <summary>The most clocks the API gives in one answer: longer lists are read page by page.</summary>
    public const int PageSize = 500;

    /// <summary>Every clock in one state (running or paused), however many, earliest deadline first.</summary>
    public async Task<IReadOnlyList<SlaClock>> InStateAsync(string state, CancellationToken cancellationToken = default)
    {
        var all = new List<SlaClock>();
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await http.GetFromJsonAsync<ClockPage>($"api/clocks?state={state}&limit={PageSize}&offset={offset}", cancellationToken);
            all.AddRange(page?.Items ?? []);
            if (page is null || page.Items.Count < PageSize || offset + PageSize >= page.Total)
            {
                return all;
            }
        }
    }

    /// <summary>The tickets still overdue (breached, not yet stopped), earliest deadline first: the first <paramref name="limit"/> and how many there are in all.</summary>
    public async Task<(IReadOnlyList<SlaClock> Clocks, long Total)> OverdueAsync(string? contract, string? siteCode, string? system, string? severity, int limit, CancellationToken cancellationToken = default)
    {
        var query = string.Concat(
            $"api/clocks?state=breached&open=true&limit={limit}",
            Parameter("contract", contract), Parameter("siteCode", siteCode), Parameter("system", system), Parameter("severity", severity));
        using var response = await http.GetAsync(query, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            return ([], 0); // a filter scoring refuses too: the page shows scoring's refusal
        }

        response.EnsureSuccessStatusCode();
        var page = await response.Content.ReadFromJsonAsync<ClockPage>(cancellationToken);
        return (page?.Items ?? [], page?.Total ?? 0);
    }

    private static string Parameter(string name, string? value) => value is null ? "" : $"&{name}={Uri.EscapeDataString(value)}";

    /// <summary>A ticket's clocks; none when the sla-timer has not seen the ticket yet.</summary>
    public async Task<IReadOnlyList<SlaClock>> OfTicketAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/tickets/{ticketId}/clocks", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<SlaClock>>(cancellationToken) ?? [];
    }
}
