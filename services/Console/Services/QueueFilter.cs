namespace Ops.Console.Services;

/// <summary>
/// The queue's filters as the address carries them (<c>queue?site=SHM&amp;level=severe&amp;mine=1</c>), so a view can be
/// shared and survives a reload: a site's code, a level (a fault's severity, or every service request) and only mine.
/// A value the page does not know filters nothing.
/// </summary>
public sealed record QueueFilter(string? Site, string? Level, bool Mine)
{
    /// <summary>The levels the filter offers, in the order shown: the query value and its name.</summary>
    public static readonly IReadOnlyList<(string Value, string Name)> Levels =
    [
        ("severe", "严重故障"),
        ("general", "一般故障"),
        ("request", "服务请求"),
    ];

    public static QueueFilter Of(string? site, string? level, string? mine) => new(
        string.IsNullOrWhiteSpace(site) ? null : site.Trim().ToUpperInvariant(),
        Levels.Any(l => l.Value == level) ? level : null,
        mine is "1" or "true" or "on");

    public bool IsEmpty => Site is null && Level is null && !Mine;

    /// <summary>Whether the ticket is shown; <paramref name="mine"/>: the tickets the signed-in person acknowledged.</summary>
    public bool Matches(TicketSummary ticket, IReadOnlySet<Guid> mine) =>
        (Site is null || ticket.SiteCode == Site)
        && Level switch
        {
            "severe" => ticket is { Kind: "fault", Severity: "severe" },
            "general" => ticket is { Kind: "fault", Severity: "general" },
            "request" => ticket.Kind == "request",
            _ => true,
        }
        && (!Mine || mine.Contains(ticket.Id));

    /// <summary>The sites to choose from: those of the open tickets, and the one chosen even when none of its tickets is open.</summary>
    public IReadOnlyList<string> Sites(IEnumerable<TicketSummary> open) =>
        [.. open.Select(t => t.SiteCode).Append(Site).OfType<string>().Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// The console's export address for these filters in the tickets API's names (<c>siteCode</c>, <c>kind</c>, <c>severity</c>,
    /// <c>acknowledgedBy=me</c>). The API filters one status at a time: only mine narrows to the acknowledged; otherwise the
    /// export holds the filters' tickets of every status, resolved ones too.
    /// </summary>
    public string ExportHref(string format)
    {
        var query = new List<string> { $"format={format}" };
        if (Site is not null)
        {
            query.Add($"siteCode={Uri.EscapeDataString(Site)}");
        }

        query.AddRange(Level switch
        {
            "severe" => ["kind=fault", "severity=severe"],
            "general" => ["kind=fault", "severity=general"],
            "request" => ["kind=request"],
            _ => [],
        });
        if (Mine)
        {
            query.Add("status=acknowledged");
            query.Add("acknowledgedBy=me");
        }

        return "tickets/export?" + string.Join("&", query);
    }
}
