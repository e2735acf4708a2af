using System.Net;
using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>An SLA clock as the sla-timer shows it: <c>clock</c> response|repair|completion, <c>state</c> running|met|breached|paused.</summary>
public sealed record SlaClock(Guid Id, Guid TicketId, string TicketNumber, string Clock, DateTimeOffset StartedAt, DateTimeOffset Deadline, string State, DateTimeOffset? BreachedAt, DateTimeOffset? StoppedAt)
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

    /// <summary>Clocks in one state (running or paused), earliest deadline first (at most 500: what a queue can show).</summary>
    public async Task<IReadOnlyList<SlaClock>> InStateAsync(string state, CancellationToken cancellationToken = default) =>
        (await http.GetFromJsonAsync<ClockPage>($"api/clocks?state={state}&limit=500", cancellationToken))?.Items ?? [];

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
