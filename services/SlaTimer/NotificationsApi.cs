using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.SlaTimer.Notifications;

namespace Ops.SlaTimer;

/// <summary>One page of notices, newest first.</summary>
public sealed record NotificationPage(IReadOnlyList<Notification> Items, long Total, int Limit, int Offset);

public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/notifications", List)
            .RequireAuthorization(Policies.Read)
            .WithTags("Notifications")
            .WithName("ListNotifications")
            .WithSummary("Warnings and breaches told to the escalation chain")
            .WithDescription("""
                Every notice to a level of the contract's escalation chain (WeCom or DingTalk robot, or a webhook):
                ticket, clock, stage (50 and 80 are warnings, 100 the breach), level, channel, status
                (sending|sent|failed|skipped), calls made and the last error. `engineer` names the engineer on duty the
                message @-mentioned (a level with `Target: oncall:primary|secondary`); `reason` says in Chinese why a notice
                went as it did: `skipped` when the rota named nobody and the next level was told instead (whose notice
                says whom it stands in for). `status` and `ticket` (a ticket's number) filter;
                `limit` (1–500, default 100) and `offset`. Newest first; only the caller's contracts and sites. Webhook addresses are never shown.
                """);
        return app;
    }

    public static async Task<Results<Ok<NotificationPage>, ValidationProblem>> List(
        string? status, string? ticket, string? limit, string? offset, NotificationStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var parsed = QueryValues.Choice<NotificationStatus>(status, "status", errors);
        if (ticket is not null && !QueryValues.IsReference(ticket))
        {
            errors.Add("ticket", L10n.Of("“ticket”须为工单编号，如 F20261124-0001。", "'ticket' must be a ticket's number, such as F20261124-0001."));
        }

        var take = QueryValues.WholeNumber(limit, "limit", 1, 500, 100, errors);
        var skip = QueryValues.WholeNumber(offset, "offset", 0, 1_000_000, 0, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        // Numbers are upper-case; SQLite compares case-sensitively where SQL Server does not, so both get the same answer.
        var (items, total) = await store.ListAsync(parsed, ticket?.ToUpperInvariant(), take, skip, Scope.Of(user), cancellationToken);
        return TypedResults.Ok(new NotificationPage(items, total, take, skip));
    }
}
