using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>
/// A notice to one level of the escalation chain, as the sla-timer records it (the level's URL is never in it):
/// <c>stage</c> 50 or 80 for a warning, 100 for the breach; <c>channel</c> wecom|dingtalk|webhook; <c>status</c> sending|sent|failed|skipped
/// (skipped: the rota named nobody and the next level was told). <c>reason</c> says in Chinese why it went so; <c>engineer</c> is the
/// name of the engineer on duty the message @-mentioned.
/// </summary>
public sealed record Notice(
    Guid Id, string TicketNumber, string Clock, int Stage, string Level, string Channel, string Status, int Attempts, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, string? Reason = null, string? Engineer = null);

/// <summary>One page of notices, newest first, and how many there are in all.</summary>
public sealed record NoticeList(List<Notice> Items, long Total, int Limit, int Offset);

/// <summary>What the sla-timer answered to a list of notices: a page, or its refusal of the filters in its own words.</summary>
public sealed record NoticeAnswer(NoticeList? Page, string? Refusal);

/// <summary>The sla-timer's record of what it told the escalation chain (<c>/api/notifications</c>).</summary>
public sealed class NotificationService(HttpClient http)
{
    /// <summary>Notices on one page of the console.</summary>
    public const int PageSize = 50;

    /// <summary>The notices in <paramref name="status"/> (any when none) of one ticket (any when none), page <paramref name="page"/> from 1.</summary>
    public async Task<NoticeAnswer> ListAsync(string? status, string? ticket, int page, CancellationToken cancellationToken = default)
    {
        var query = $"api/notifications?limit={PageSize}&offset={(Math.Max(page, 1) - 1) * PageSize}";
        if (!string.IsNullOrWhiteSpace(status))
        {
            query += $"&status={Uri.EscapeDataString(status)}";
        }

        if (!string.IsNullOrWhiteSpace(ticket))
        {
            query += $"&ticket={Uri.EscapeDataString(ticket.Trim())}";
        }

        using var response = await http.GetAsync(query, cancellationToken);
        if ((int)response.StatusCode == StatusCodes.Status400BadRequest)
        {
            return new NoticeAnswer(null, await TicketService.RefusalAsync(response, cancellationToken));
        }

        response.EnsureSuccessStatusCode();
        return new NoticeAnswer(await response.Content.ReadFromJsonAsync<NoticeList>(cancellationToken), null);
    }
}
