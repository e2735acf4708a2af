using Ops.Hosting.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Storage;

namespace Ops.SlaTimer;

/// <summary>The sla-timer HTTP API: the clocks of a ticket, and what is about to breach.</summary>
public static class ClocksApi
{
    /// <summary>A year ahead is the farthest anyone looks for deadlines.</summary>
    public static readonly TimeSpan MaxDueWithin = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapClocksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tickets/{id}/clocks", OfTicket)
            .RequireAuthorization(Policies.Read)
            .WithTags("Clocks")
            .WithName("GetTicketClocks")
            .WithSummary("The clocks of a ticket")
            .WithDescription("`id` is the ticket's id or number; a ticket outside the caller's contracts or sites is not found. Each clock: `clock` (response|repair for a fault, response|completion for a service request), the ticket's `kind`, target, startedAt, deadline, state (running|paused|met|breached: a repair or completion clock is paused while its ticket is paused with a manager's approval), breachedAt, stoppedAt and the overrun past the deadline.");

        app.MapGet("/api/clocks", List)
            .RequireAuthorization(Policies.Read)
            .WithTags("Clocks")
            .WithName("ListClocks")
            .WithSummary("Clocks by deadline, e.g. what is about to breach")
            .WithDescription("`state` (running|paused|met|breached) and `dueWithin` (an ISO 8601 duration from PT0S to P366D such as PT10M: deadline no later than now plus that); `open=true` only clocks not yet stopped (with `state=breached`: the tickets still overdue); `contract`, `siteCode`, `system` and `severity` (general|severe) narrow to one contract, site, system or fault severity. Only the caller's contracts and sites. Earliest deadline first; `total` counts every match; `limit` (1–500, default 100) and `offset`.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<ClockView>>, ProblemHttpResult>> OfTicket(string id, ClockStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var clocks = await store.OfTicketAsync(id, Scope.Of(user), cancellationToken);
        return clocks.Count == 0
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: L10n.Of("该工单没有计时。", "No clocks for this ticket."),
                detail: L10n.Of("计时服务（还）没有收到此 id 或编号的工单。", "No ticket with this id or number has reached the sla-timer (yet)."))
            : TypedResults.Ok<IReadOnlyList<ClockView>>([.. clocks.Select(ClockView.Of)]);
    }

    public static async Task<Results<Ok<ClockPage>, ValidationProblem>> List(
        string? state, string? dueWithin, string? open, string? contract, string? siteCode, string? system, string? severity, string? limit, string? offset,
        ClockStore store, ScopeCatalog catalog, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        // As contracts.json spells it: the clocks store the code so.
        var contractCode = QueryValues.Name(contract, "contract", 64, errors) is { } code
            ? catalog.SitesByContract.Keys.FirstOrDefault(k => string.Equals(k, code, StringComparison.OrdinalIgnoreCase)) ?? code
            : null;
        if (contractCode is not null && !catalog.SitesByContract.ContainsKey(contractCode))
        {
            var known = L10n.List(catalog.SitesByContract.Keys);
            errors.Add("contract", L10n.Of($"“contract”不是已知的合同，已知的合同：{known}。", $"'contract' is not a known contract. Known: {known}."));
        }

        var parsedState = QueryValues.Choice<ClockState>(state, "state", errors);
        var onlyOpen = QueryValues.Choice<OpenClocks>(open, "open", errors) == OpenClocks.True;
        var filter = new ClockFilter(
            parsedState,
            null,
            onlyOpen,
            contractCode,
            QueryValues.SiteCode(siteCode, errors),
            QueryValues.Name(system, "system", 64, errors),
            QueryValues.Choice<Severity>(severity, "severity", errors) is { } s ? s.ToString().ToLowerInvariant() : null);

        var within = QueryValues.Duration(dueWithin, "dueWithin", MaxDueWithin, errors);
        DateTimeOffset? dueBefore = within is { } w ? time.GetUtcNow() + w : null;
        var take = QueryValues.WholeNumber(limit, "limit", 1, 500, 100, errors);
        var skip = QueryValues.WholeNumber(offset, "offset", 0, 1_000_000, 0, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var (clocks, total) = await store.ListAsync(filter with { DueBefore = dueBefore }, take, skip, Scope.Of(user), cancellationToken);
        return TypedResults.Ok(new ClockPage([.. clocks.Select(ClockView.Of)], total, take, skip));
    }
}

/// <summary>The values of <c>open</c>: true lists only clocks not yet stopped.</summary>
public enum OpenClocks
{
    False,
    True,
}
