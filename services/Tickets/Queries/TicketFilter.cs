using Ops.Contracts.Tickets;
using Ops.Hosting.Http;

namespace Ops.Tickets.Queries;

/// <summary>The query string of the ticket list, as sent: every value is checked before it reaches the database.</summary>
public sealed record TicketQuery(string? Status, string? SiteCode, string? Severity, string? Kind, string? From, string? To, string? Limit, string? Offset);

/// <summary>A checked ticket list query: tickets reported in [<see cref="From"/>, <see cref="To"/>).</summary>
public sealed record TicketFilter(
    TicketStatus? Status,
    string? SiteCode,
    Severity? Severity,
    TicketKind? Kind,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    int Offset)
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    public static (TicketFilter? Filter, ValidationErrors Errors) Parse(TicketQuery query)
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

        var limit = QueryValues.WholeNumber(query.Limit, "limit", 1, MaxLimit, DefaultLimit, errors);
        var offset = QueryValues.WholeNumber(query.Offset, "offset", 0, 1_000_000, 0, errors);
        return errors.IsEmpty
            ? (new TicketFilter(status, siteCode, severity, kind, from, to, limit, offset), errors)
            : (null, errors);
    }
}
