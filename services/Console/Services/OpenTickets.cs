namespace Ops.Console.Services;

/// <summary>A ticket in the engineer's queue with its next deadline: the earliest of its clocks still counting.</summary>
public sealed record QueueRow(TicketSummary Ticket, SlaClock? Next)
{
    /// <summary>Normal, past half of the time, past 80 %, or breached: the row's colour, before the page's script takes over.</summary>
    public string Stage(DateTimeOffset now)
    {
        if (Next is null)
        {
            return "";
        }

        if (now > Next.Deadline)
        {
            return "breached";
        }

        var share = (now - Next.StartedAt) / (Next.Deadline - Next.StartedAt);
        return share >= 0.8 ? "late" : share >= 0.5 ? "half" : "";
    }
}

/// <summary>The engineer's queue: every open ticket, the nearest deadline first; tickets whose clocks have not started yet last.</summary>
public static class OpenTickets
{
    public static IReadOnlyList<QueueRow> Of(IEnumerable<TicketSummary> tickets, IEnumerable<SlaClock> clocks)
    {
        var next = clocks.Where(c => c.IsLive).GroupBy(c => c.TicketId).ToDictionary(g => g.Key, g => g.MinBy(c => c.Deadline)!);
        return [.. tickets
            .Select(t => new QueueRow(t, next.GetValueOrDefault(t.Id)))
            .OrderBy(r => r.Next is null)
            .ThenBy(r => r.Next?.Deadline)
            .ThenBy(r => r.Ticket.ReportedAt)];
    }

    /// <summary>The clock's name as the contract says it.</summary>
    public static string ClockName(string clock) => clock switch
    {
        "response" => "响应时限",
        "repair" => "修复时限",
        "completion" => "办结时限",
        _ => "时限",
    };

    /// <summary>A fault's severity, or a service request's grade.</summary>
    public static string Level(TicketSummary ticket) => ticket.Kind == "fault"
        ? ticket.Severity switch { "severe" => "严重故障", "general" => "一般故障", _ => "故障" }
        : string.IsNullOrEmpty(ticket.Grade) ? "服务请求" : $"服务请求 · {ticket.Grade}";
}
