using Ops.Contracts.Tickets;
using Ops.Hosting.Http;

namespace Ops.Tickets.Queries;

/// <summary>The query string of the ticket list, as sent: every value is checked before it reaches the database.</summary>
public sealed record TicketQuery(string? Status, string? SiteCode, string? Severity, string? Kind, string? From, string? To, string? Limit, string? Offset, string? AcknowledgedBy);

/// <summary>
/// A checked ticket list query: tickets reported in [<see cref="From"/>, <see cref="To"/>); with <see cref="AcknowledgedById"/>,
/// only the tickets that identity acknowledged.
/// </summary>
public sealed record TicketFilter(
    TicketStatus? Status,
    string? SiteCode,
    Severity? Severity,
    TicketKind? Kind,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    int Offset,
    string? AcknowledgedById = null)
{
    /// <summary>The one value <c>acknowledgedBy</c> takes: the caller.</summary>
    public const string Me = "me";

    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    /// <summary>Checks the query; <paramref name="caller"/> is the identity <c>acknowledgedBy=me</c> stands for.</summary>
    public static (TicketFilter? Filter, ValidationErrors Errors) Parse(TicketQuery query, string caller)
    {
        var errors = new ValidationErrors();
        var status = QueryValues.Choice<TicketStatus>(query.Status, "status", errors);
        var severity = QueryValues.Choice<Severity>(query.Severity, "severity", errors);
        var kind = QueryValues.Choice<TicketKind>(query.Kind, "kind", errors);
        var from = QueryValues.Time(query.From, "from", errors);
        var to = QueryValues.Time(query.To, "to", errors);
        if (from is not null && to is not null && from > to)
        {
            errors.Add("to", L10n.Of("“to”不能早于“from”。", "'to' must not be before 'from'."));
        }

        var siteCode = QueryValues.SiteCode(query.SiteCode, errors);

        var acknowledgedBy = AcknowledgedBy(query.AcknowledgedBy, caller, errors);

        var limit = QueryValues.WholeNumber(query.Limit, "limit", 1, MaxLimit, DefaultLimit, errors);
        var offset = QueryValues.WholeNumber(query.Offset, "offset", 0, 1_000_000, 0, errors);
        return errors.IsEmpty
            ? (new TicketFilter(status, siteCode, severity, kind, from, to, limit, offset, acknowledgedBy), errors)
            : (null, errors);
    }

    /// <summary>Only <c>me</c>: a person's own tickets are what a queue needs, and another person's identity is not the caller's to look up.</summary>
    private static string? AcknowledgedBy(string? value, string caller, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!string.Equals(value.Trim(), Me, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("acknowledgedBy", L10n.Of("“acknowledgedBy”只能是 me（调用者本人响应的工单）。", "'acknowledgedBy' must be me (the tickets the caller acknowledged)."));
            return null;
        }

        return caller;
    }
}
