namespace Ops.Console.Services;

/// <summary>A ticket in the engineer's queue with its next deadline: see <see cref="OpenTickets.NextDeadline"/>.</summary>
public sealed record QueueRow(TicketSummary Ticket, SlaClock? Next)
{
    /// <summary>Normal, past half of the time, past 80 %, breached or paused: the row's colour, before the page's script takes over.</summary>
    public string Stage(DateTimeOffset now)
    {
        if (Next is null)
        {
            return "";
        }

        if (Next.IsPaused)
        {
            return "paused";
        }

        if (Next.IsOverdue || now > Next.Deadline)
        {
            return "breached";
        }

        var share = (now - Next.StartedAt) / (Next.Deadline - Next.StartedAt);
        return share >= 0.8 ? "late" : share >= 0.5 ? "half" : "";
    }
}

/// <summary>The engineer's queue: every open ticket, overdue ones first, then the nearest deadline; paused and not yet timed tickets last.</summary>
public static class OpenTickets
{
    public static IReadOnlyList<QueueRow> Of(IEnumerable<TicketSummary> tickets, IEnumerable<SlaClock> clocks)
    {
        var next = clocks.GroupBy(c => c.TicketId).ToDictionary(g => g.Key, NextDeadline);
        return [.. tickets
            .Select(t => new QueueRow(t, next.GetValueOrDefault(t.Id)))
            .OrderBy(r => Rank(r.Next))
            .ThenBy(r => r.Next?.Deadline)
            .ThenBy(r => r.Ticket.ReportedAt)];
    }

    /// <summary>
    /// The clock a ticket's row shows: its earliest breached clock not yet stopped (the ticket is overdue), else its
    /// earliest running clock, else its earliest paused one; none when no clock counts.
    /// </summary>
    public static SlaClock? NextDeadline(IEnumerable<SlaClock> clocks)
    {
        // The same clock may come from a list and from the ticket's own clocks.
        var distinct = clocks.DistinctBy(c => c.Id).ToList();
        return distinct.Where(c => c.IsOverdue).MinBy(c => c.Deadline)
            ?? distinct.Where(c => c.IsRunning).MinBy(c => c.Deadline)
            ?? distinct.Where(c => c.IsPaused).MinBy(c => c.Deadline);
    }

    private static int Rank(SlaClock? clock) => clock switch
    {
        { IsOverdue: true } => 0,
        { IsRunning: true } => 1,
        { IsPaused: true } => 2,
        _ => 3,
    };

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
        : string.IsNullOrEmpty(ticket.Grade) ? "服务请求" : $"服务请求 · {GradeName(ticket.Grade)}";

    /// <summary>
    /// A request grade's name as people read it. The contract names its grades, but no API the console calls gives
    /// those names (tickets and clocks carry the code only): the seed contract's codes are named here, others shown as they are.
    /// </summary>
    public static string GradeName(string grade) => grade.ToLowerInvariant() switch
    {
        "urgent" => "紧急",
        "normal" => "一般",
        "low" => "低",
        _ => grade,
    };
}
