using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.Hosting.Http.Exports;
using Ops.Hosting.Security;
using Ops.Tickets.Access;
using Ops.Tickets.Intake;
using Ops.Tickets.Lifecycle;
using Ops.Tickets.Queries;
using Ops.Tickets.Storage;

namespace Ops.Tickets;

/// <summary>The tickets HTTP API: intake, lifecycle and queries.</summary>
public static partial class TicketsApi
{
    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/tickets").WithTags("Tickets");

        tickets.MapPost("", Report)
            .RequireAuthorization(Policies.Report)
            .RequireRateLimiting(AccessLimits.Intake)
            .WithName("ReportTicket")
            .WithSummary("Report a fault or a service request")
            .WithDescription("""
                Files a fault and starts its clocks: the response clock (30 minutes) and the repair clock
                (4 hours for a severe fault, 24 hours for a general one), both from `reportedAt`.
                A service request (`kind: request`) has a `grade` instead of a severity (the seed contract:
                urgent, normal, low), with the grade's response and completion targets; most grades count
                working time only (office hours on working days, China's holidays and make-up days included).
                Send an `Idempotency-Key` header (any unique string of up to 200 printable characters,
                e.g. the call id) and retry freely: the same key with the same body answers with the same
                ticket and `Idempotent-Replayed: true`; the same key with a different body is refused with 422.
                Without the header, `externalRef` plays the same part within its channel. Keys are the caller's
                own (its API key or user): another caller's same key is a new key.
                Roles: intake (the gateways' API keys), operator (the hotline desk), engineer, manager. A site outside the caller's scope is refused
                as an unknown one. Limited per caller (429 with Retry-After).
                The answer shows the reporter's phone masked.
                """);

        tickets.MapGet("{id}", Get)
            .RequireAuthorization(Policies.Read)
            .WithName("GetTicket")
            .WithSummary("A ticket with its timeline")
            .WithDescription("`id` is the ticket's id or its number (e.g. F20261124-0001); a ticket outside the caller's contracts or sites is not found, here and in every change below. The reporter's phone is shown whole here only, and only to engineers and managers, who call back; auditors and the hotline desk (operator) see it masked.");

        tickets.MapGet("", List)
            .RequireAuthorization(Policies.Read)
            .WithName("ListTickets")
            .WithSummary("Tickets, newest report first")
            .WithDescription("Filters: `status` (open|acknowledged|resolved), `siteCode`, `severity` (general|severe; a service request has none), `kind` (fault|request), `acknowledgedBy=me` (only the tickets the caller acknowledged; `me` is its only value), and tickets reported in [`from`, `to`): `from` inclusive, `to` exclusive, ISO 8601 times with an offset. Paging: `limit` (1–200, default 50) and `offset`. Only the caller's contracts and sites. Phones are masked.");

        tickets.MapGet("export", Export)
            .RequireAuthorization(Policies.Read)
            .WithName("ExportTickets")
            .WithSummary("The ticket list as a CSV or Excel file")
            .WithDescription("""
                `format` (csv|xlsx, default csv) and exactly the filters of the ticket list (`status`, `siteCode`, `severity`,
                `kind`, `acknowledgedBy=me`, `from`, `to`), without paging: every ticket the caller may see, newest report first,
                streamed as it is read. CSV is UTF-8 with a byte-order mark (Excel shows the Chinese), RFC 4180 quoting and CRLF;
                a text starting with = + - or @ gets a leading apostrophe. XLSX has one sheet, its header row frozen, times as
                Excel dates in Beijing time. Columns: 工单号, 类型, 标题, 站点, 系统, 严重程度/等级, 状态, 报修时间, 响应时间, 解决时间,
                报修人, 报修人电话 (masked for every role), 处理结果. The file is named like 工单-OTQ-2026-OPS-20261202.csv.
                """);

        tickets.MapPost("{id}/acknowledge", Acknowledge)
            .RequireAuthorization(Policies.Work)
            .WithName("AcknowledgeTicket")
            .WithSummary("Acknowledge a ticket (stops the response clock)")
            .WithDescription("Recorded at the server's time, in the name of the signed-in engineer or manager. No body, or `{ \"via\": \"console\" }` from the console's button, shown on the timeline as 经控制台 (a WeCom card's press arrives over the bus and shows 经企业微信; no `via` is the API itself). 409 when the ticket was already acknowledged or is resolved.");

        tickets.MapPost("{id}/resolve", Resolve)
            .RequireAuthorization(Policies.Work)
            .WithName("ResolveTicket")
            .WithSummary("Resolve a ticket (stops the repair clock)")
            .WithDescription("Recorded at the server's time, in the name of the signed-in engineer or manager. Resolving a ticket nobody acknowledged also counts as its response. 409 when it is already resolved.");

        tickets.MapPost("{id}/severity", ChangeSeverity)
            .RequireAuthorization(Policies.Work)
            .WithName("ChangeTicketSeverity")
            .WithSummary("Change a fault's severity (recomputes its repair clock)")
            .WithDescription("""
                `severity` (general|severe) and a `reason`, recorded on the timeline in the caller's name. The repair
                deadline is recomputed from `reportedAt` (4 hours severe, 24 hours general), keeping the time that
                does not count; an upgrade past the new deadline breaches at once, and a breach already recorded
                stays. Engineers may upgrade; only managers may downgrade. 409 when the ticket is resolved or
                already has that severity.
                """);

        tickets.MapPost("{id}/reopen", Reopen)
            .RequireAuthorization(Policies.Work)
            .WithName("ReopenTicket")
            .WithSummary("Reopen a resolved ticket (resumes its repair clock)")
            .WithDescription("""
                With a `reason`, within the contract's reopen window after the resolution (`Sla:ReopenWindow`,
                7 days by default). The ticket goes back to acknowledged and its repair clock resumes; the time it
                spent resolved does not count. 409 when it is not resolved or the window has passed.
                """);

        tickets.MapPost("{id}/pause", Pause)
            .RequireAuthorization(Policies.Work)
            .WithName("PauseTicket")
            .WithSummary("Ask for the ticket's clock to stand still")
            .WithDescription("""
                With a `reason` from the contract's list (`Sla:Pauses:Reasons`), where the contract allows pauses for
                this kind of ticket (the seed contract: service requests only; faults run 7×24). An engineer's request
                waits for a manager; a manager's pauses at once. From the approval until the ticket resumes (or is
                resolved), its repair or completion clock stands still and that time does not count. 409 when the
                contract allows no pause, or the ticket is resolved, paused or waiting for approval.
                """);

        tickets.MapPost("{id}/pause/approve", ApprovePause)
            .RequireAuthorization(Policies.Manage)
            .WithName("ApprovePause")
            .WithSummary("Approve the pause an engineer asked for")
            .WithDescription("Managers only; no body. The clock stands still from now on. 409 when no pause waits for approval.");

        tickets.MapPost("{id}/pause/decline", DeclinePause)
            .RequireAuthorization(Policies.Manage)
            .WithName("DeclinePause")
            .WithSummary("Decline the pause an engineer asked for")
            .WithDescription("Managers only, with a `reason`. The clock never stood still. 409 when no pause waits for approval.");

        tickets.MapPost("{id}/resume", Resume)
            .RequireAuthorization(Policies.Work)
            .WithName("ResumeTicket")
            .WithSummary("End a pause: the clock runs on")
            .WithDescription("No body. The paused time is set aside: the deadline moves by it (in working time for a working-time clock). 409 when the ticket is not paused.");

        return app;
    }

    public static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> Pause(
        string id, PauseRequest request, TicketStore store, ContractCatalog contracts, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().RequireText("reason", request.Reason, 200);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        // The reasons are the contract's: read the ticket to know its contract.
        if (await store.FindAsync(id, Scope.Of(user), cancellationToken) is not { } ticket)
        {
            return NotFound(id);
        }

        var policy = contracts.PolicyOf(ticket.Contract).Pauses;
        var reason = policy.Reasons.FirstOrDefault(r => r == request.Reason!.Trim());
        if (policy.Allows(ticket.Kind) && reason is null)
        {
            return errors.Add("reason", L10n.Of(
                $"“reason”须为合同所列的原因之一：{L10n.List(policy.Reasons)}。",
                $"'reason' must be one of the contract's: {L10n.List(policy.Reasons)}.")).ToProblem();
        }

        var actor = Caller.Actor(user);
        var isManager = Caller.IsAny(user, Roles.Manager);
        var now = time.GetUtcNow();
        return await ChangeAsync(store, id, user,
            t => TicketLifecycle.RequestPause(t, reason ?? "", actor, isManager, policy, now),
            (_, t) => new TicketPaused(t.ToFacts(), actor.Name, now, t.PauseReason!, Approved: t.PausedAt is not null),
            cancellationToken);
    }

    public static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> ApprovePause(
        string id, TicketStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var manager = Caller.Actor(user);
        var now = time.GetUtcNow();
        return await ChangeAsync(store, id, user,
            t => TicketLifecycle.ApprovePause(t, manager, now),
            (_, t) => new TicketPaused(t.ToFacts(), manager.Name, now, t.PauseReason!, Approved: true),
            cancellationToken);
    }

    public static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> DeclinePause(
        string id, DeclinePauseRequest request, TicketStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().RequireText("reason", request.Reason, 1000, TextKind.Lines);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var manager = Caller.Actor(user);
        var why = request.Reason!.Trim();
        var now = time.GetUtcNow();
        return await ChangeAsync(store, id, user,
            t => TicketLifecycle.DeclinePause(t, manager, why, now),
            (_, t) => new TicketResumed(t.ToFacts(), manager.Name, now),
            cancellationToken);
    }

    public static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> Resume(
        string id, TicketStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var actor = Caller.Actor(user);
        var now = time.GetUtcNow();
        return await ChangeAsync(store, id, user,
            t => TicketLifecycle.Resume(t, actor, now),
            (_, t) => new TicketResumed(t.ToFacts(), actor.Name, now),
            cancellationToken);
    }

    public static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> ChangeSeverity(
        string id, ChangeSeverityRequest request, TicketStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var severity = QueryValues.RequiredChoice<Severity>(request.Severity, "severity", errors);
        errors.RequireText("reason", request.Reason, 1000, TextKind.Lines);
        if (severity is not { } to || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var actor = Caller.Actor(user);
        var reason = request.Reason!.Trim();
        var now = time.GetUtcNow();
        var mayLower = Caller.IsAny(user, Roles.Manager);
        return await ChangeAsync(store, id, user,
            t => TicketLifecycle.ChangeSeverity(t, to, reason, actor, mayLower, now),
            (before, t) => new TicketSeverityChanged(t.ToFacts(), actor.Name, now, before.Severity!.Value, reason), // only a fault's severity changes
            cancellationToken);
    }

    public static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> Reopen(
        string id, ReopenRequest request, TicketStore store, ContractCatalog contracts, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().RequireText("reason", request.Reason, 1000, TextKind.Lines);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var actor = Caller.Actor(user);
        var reason = request.Reason!.Trim();
        var now = time.GetUtcNow();
        return await ChangeAsync(store, id, user,
            t => TicketLifecycle.Reopen(t, reason, actor, now, contracts.PolicyOf(t.Contract).ReopenWindow),
            (_, t) => new TicketReopened(t.ToFacts(), actor.Name, now, reason),
            cancellationToken);
    }

    public static async Task<Results<Created<TicketView>, ValidationProblem, ProblemHttpResult>> Report(
        ReportTicketRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ReportValidation validation,
        TicketStore store,
        IntakeMetrics metrics,
        TimeProvider time,
        ClaimsPrincipal user,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (report, errors) = validation.Validate(request, now, Scope.Of(user));
        if (idempotencyKey is not null && !IdempotencyKeyShape().IsMatch(idempotencyKey))
        {
            errors.Add("Idempotency-Key", L10n.Of(
                "请求头 Idempotency-Key 须为 1 至 200 个可打印的 ASCII 字符。",
                "The Idempotency-Key header must be 1 to 200 printable ASCII characters."));
        }

        if (report is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        // A key is the caller's own: another gateway's same key (or externalRef) files a new ticket and learns nothing of the first.
        var key = idempotencyKey is not null ? new IdempotencyKey(Caller.Partition(user), $"key:{idempotencyKey}")
            : report.ExternalRef is not null ? new IdempotencyKey(Caller.Partition(user), $"ref:{report.Channel}:{report.ExternalRef}")
            : null;
        var (result, ticket, timeline) = await store.ReportAsync(report, key, Caller.Actor(user), now, cancellationToken);
        if (result == ReportResult.KeyReused)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: L10n.Of("该幂等键已用于另一个请求。", "The idempotency key was used for a different request."),
                detail: idempotencyKey is not null
                    ? L10n.Of("该 Idempotency-Key 属于另一份报告；新的报告请用新的键。", "This Idempotency-Key belongs to another report; use a new key for a new report.")
                    : L10n.Of("该 externalRef 属于同一渠道的另一份报告。", "This externalRef belongs to another report from the same channel."),
                extensions: new Dictionary<string, object?> { ["ticketId"] = ticket.Id, ["ticketNumber"] = ticket.Number });
        }

        if (result == ReportResult.Replayed)
        {
            response.Headers["Idempotent-Replayed"] = "true";
        }
        else
        {
            metrics.Reported(ticket);
        }

        return TypedResults.Created($"/api/tickets/{ticket.Id}", TicketView.Of(ticket, timeline, fullPhone: false));
    }

    public static async Task<Results<Ok<TicketView>, ProblemHttpResult>> Get(string id, TicketStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var ticket = await store.FindAsync(id, Scope.Of(user), cancellationToken);
        return ticket is null
            ? NotFound(id)
            : TypedResults.Ok(TicketView.Of(ticket, await store.TimelineAsync(ticket.Id, cancellationToken), CallsBack(user)));
    }

    /// <summary>Engineers and managers call reporters back; nobody else sees a whole phone number.</summary>
    private static bool CallsBack(ClaimsPrincipal user) => Caller.IsAny(user, Roles.Engineer, Roles.Manager);

    public static async Task<Results<Ok<TicketPage>, ValidationProblem>> List([AsParameters] TicketQuery query, TicketStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (filter, errors) = TicketFilter.Parse(query, Caller.Id(user));
        if (filter is null)
        {
            return errors.ToProblem();
        }

        var (tickets, total) = await store.ListAsync(filter, Scope.Of(user), cancellationToken);
        return TypedResults.Ok(new TicketPage([.. tickets.Select(TicketSummary.Of)], total, filter.Limit, filter.Offset));
    }

    public static Results<ExportFile, ValidationProblem> Export(
        [AsParameters] TicketExportQuery query, TicketStore store, ContractCatalog contracts, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (filter, errors) = TicketFilter.Parse(query.AsListQuery(), Caller.Id(user));
        var format = ExportFormats.Parse(query.Format, errors);
        if (filter is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var scope = Scope.Of(user);
        return ExportFile.Of(TicketExport.FileName(contracts, scope, time.GetUtcNow()), format, TicketExport.Columns(contracts), store.ExportAsync(filter, scope, cancellationToken));
    }

    public static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> Acknowledge(
        string id, [FromBody] AcknowledgeRequest? request, TicketStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var via = request?.Via;
        // Only the console says so over HTTP: a WeCom press arrives over the bus, checked by the sla-timer.
        if (via is not null && via != TicketLifecycle.ViaConsole)
        {
            return new ValidationErrors().Add("via", L10n.Of("“via”只能是 console（不填即 API）。", "'via' must be console (none for the API).")).ToProblem();
        }

        var engineer = Caller.Actor(user);
        var now = time.GetUtcNow();
        return await ChangeAsync(store, id, user,
            t => TicketLifecycle.Acknowledge(t, engineer, now, via),
            (_, t) => new TicketAcknowledged(t.ToFacts(), engineer.Name, now),
            cancellationToken);
    }

    public static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> Resolve(
        string id, ResolveRequest request, TicketStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().RequireText("resolution", request.Resolution, 4000, TextKind.Lines);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var engineer = Caller.Actor(user);
        var resolution = request.Resolution!.Trim();
        var now = time.GetUtcNow();
        return await ChangeAsync(store, id, user,
            t => TicketLifecycle.Resolve(t, engineer, resolution, now),
            (_, t) => new TicketResolved(t.ToFacts(), engineer.Name, now, resolution),
            cancellationToken);
    }

    private static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        TicketStore store, string id, ClaimsPrincipal user, Func<Ticket, Transition> change, Func<Ticket, Ticket, object> toEvent, CancellationToken cancellationToken)
    {
        var (result, ticket, conflict) = await store.ChangeAsync(id, Scope.Of(user), change, toEvent, cancellationToken);
        return result switch
        {
            ChangeResult.NotFound => NotFound(id),
            ChangeResult.Conflict => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: L10n.Of("工单当前的状态不允许此操作。", "The ticket is not in a state that allows this."),
                detail: conflict,
                extensions: new Dictionary<string, object?> { ["ticketStatus"] = ticket!.Status.ToString().ToLowerInvariant() }),
            ChangeResult.Forbidden => TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: L10n.Of("你无权做此变更。", "You may not make this change."),
                detail: conflict),
            _ => TypedResults.Ok(TicketView.Of(ticket!, await store.TimelineAsync(ticket!.Id, cancellationToken), CallsBack(user))),
        };
    }

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: L10n.Of("没有这个工单。", "No such ticket."),
        detail: L10n.Of($"没有 id 或编号为“{Shorten(id)}”的工单。", $"No ticket has the id or number '{Shorten(id)}'."));

    private static string Shorten(string id) => id.Length > 64 ? id[..64] : id;

    [GeneratedRegex(@"^[\x21-\x7E]{1,200}\z")]
    private static partial Regex IdempotencyKeyShape();
}
