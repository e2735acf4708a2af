using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.SlaTimer.OnCall;

namespace Ops.SlaTimer;

/// <summary>An engineer on the rota; the mobile is masked for whoever does not ring engineers (auditors).</summary>
public sealed record DutyEngineerView(string Id, string Name, string Mobile, string? WeComUserId, string? Username);

/// <summary>A shift of one layer: who, from when to when; an override's shift names it and its reason.</summary>
public sealed record DutyShiftView(DutyLayer Layer, DutyEngineerView Engineer, DateTimeOffset From, DateTimeOffset To, Guid? OverrideId, string? Reason);

/// <summary>One layer now: the shift on duty (null: nobody), the next hand-over and the shift that begins then.</summary>
public sealed record DutyLayerView(DutyLayer Layer, DutyShiftView? Shift, DateTimeOffset? NextHandover, DutyShiftView? Next);

public sealed record OnDutyView(string Contract, DateTimeOffset At, IReadOnlyList<DutyLayerView> Layers);

public sealed record DutyScheduleView(string Contract, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<DutyShiftView> Shifts);

/// <summary>A rotation as the API writes it: handover "08:30" (Asia/Shanghai), start "2026-02-28", the engineers' ids in turn order.</summary>
public sealed record RotationView(string Name, DutyLayer Layer, DutyTurn Turn, string Handover, string Start, IReadOnlyList<string> Engineers);

public sealed record DutyOverrideView(Guid Id, DutyLayer Layer, string Engineer, DateTimeOffset From, DateTimeOffset To, string Reason, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A contract's rota; <c>source</c> is api, contracts.json or none.</summary>
public sealed record RotaView(
    string Contract, string Source, IReadOnlyList<DutyEngineerView> Engineers, IReadOnlyList<RotationView> Rotations,
    IReadOnlyList<DutyOverrideView> Overrides, string? ChangedBy, DateTimeOffset? ChangedAt);

/// <summary>The rota a manager saves: engineers, and rotations naming them by id.</summary>
public sealed record RotaRequest(List<EngineerInput>? Engineers, List<RotationInput>? Rotations);

/// <summary>An override (换班): engineer takes the layer from, to, and why.</summary>
public sealed record OverrideRequest(string? Layer, string? Engineer, DateTimeOffset? From, DateTimeOffset? To, string? Reason);

/// <summary>The on-call API: who is on duty, the resolved shifts, the rota (值班表) and its overrides (换班).</summary>
public static class OnCallApi
{
    /// <summary>The longest span of shifts one request may ask for.</summary>
    public static readonly TimeSpan MaxSchedule = TimeSpan.FromDays(62);

    /// <summary>How long past overrides stay in the rota's listing, beside those not yet ended.</summary>
    public static readonly TimeSpan PastOverridesListed = TimeSpan.FromDays(7);

    /// <summary>How far in the past an override may begin (a swap entered just after the hand-over); earlier duty is history.</summary>
    public static readonly TimeSpan PastOverrideStart = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapOnCallApi(this IEndpointRouteBuilder app)
    {
        var oncall = app.MapGroup("/api/oncall/{contract}").WithTags("On call");

        oncall.MapGet("now", Now)
            .RequireAuthorization(Policies.Duty)
            .WithName("GetOnDuty")
            .WithSummary("Who is on duty now, on each layer")
            .WithDescription("For each layer (primary, secondary): the shift on duty now (null when the rota names nobody), the next hand-over and the shift that begins then. An override beats the rotation for its time. Mobiles are masked for auditors. A contract outside the caller's scope is not found.");

        oncall.MapGet("schedule", Schedule)
            .RequireAuthorization(Policies.Duty)
            .WithName("GetDutySchedule")
            .WithSummary("The resolved shifts over a span")
            .WithDescription("`from` and `to` (ISO 8601 with an offset, at most 62 days apart): every shift of every layer that overlaps the span, cut to it, in order of start. Overrides carry their id and reason. Duty runs 7×24: holidays change nothing.");

        oncall.MapGet("rotations", Rotations)
            .RequireAuthorization(Policies.Duty)
            .WithName("GetRota")
            .WithSummary("The contract's rota: engineers, rotations and overrides")
            .WithDescription("`source` says where the rota comes from: `api` (a manager saved it; it wins), `contracts.json`, or `none`. Overrides listed are those not yet ended and those of the past 7 days. `changedBy`/`changedAt`: the last change through the API (rotations saved, an override added or removed).");

        oncall.MapPut("rotations", SaveRotations)
            .RequireAuthorization(Policies.Manage)
            .WithName("SaveRota")
            .WithSummary("Set the contract's engineers and rotations")
            .WithDescription("""
                `engineers`: {id, name, mobile (11 digits), weComUserId?, username?}; `rotations`: {name, layer (primary|secondary),
                turn (daily|weekly), handover ("08:30", Asia/Shanghai), start ("2026-02-28", the day whose hand-over begins the first turn),
                engineers (ids, in turn order)}. One rotation per layer. A rotation with no engineers, an unknown engineer id, a bad
                hand-over time, or an engineer removed while an override not yet ended names them is refused (400, naming the field).
                Recorded in the signed-in manager's name; from then on this rota wins over contracts.json. Answers the saved rota.
                """);

        oncall.MapPost("overrides", AddOverride)
            .RequireAuthorization(Policies.Manage)
            .WithName("AddDutyOverride")
            .WithSummary("Add an override (a shift swap)")
            .WithDescription("`layer`, `engineer` (an engineer id of the rota), `from`, `to` (at most 31 days apart, ending in the future) and `reason`. It beats the rotation for its time. One that overlaps another override of the same layer is refused (409); ends that touch do not overlap. Recorded in the signed-in manager's name.");

        oncall.MapDelete("overrides/{id}", RemoveOverride)
            .RequireAuthorization(Policies.Manage)
            .WithName("RemoveDutyOverride")
            .WithSummary("Remove an override")
            .WithDescription("The rotation is on duty again for the override's time. Recorded in the signed-in manager's name. 404 for an override the contract does not have.");
        return app;
    }

    public static async Task<Results<Ok<OnDutyView>, ValidationProblem, ProblemHttpResult>> Now(
        string contract, RotaBook book, DutyRoster roster, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (BadContract(contract) is { } bad)
        {
            return bad;
        }

        if (!Reaches(contract, book, user))
        {
            return UnknownContract(contract);
        }

        var now = time.GetUtcNow();
        var (rota, _) = await roster.RotaAsync(contract, now - DutyResolution.MaxOverride, cancellationToken);
        var full = SeesMobiles(user);
        var layers = Enum.GetValues<DutyLayer>().Select(layer =>
        {
            var (handover, next) = DutyResolution.Next(rota, layer, now);
            return new DutyLayerView(layer, View(DutyResolution.OnDuty(rota, layer, now), full), handover, View(next, full));
        });
        return TypedResults.Ok(new OnDutyView(contract, now, [.. layers]));
    }

    public static async Task<Results<Ok<DutyScheduleView>, ValidationProblem, ProblemHttpResult>> Schedule(
        string contract, string? from, string? to, RotaBook book, DutyRoster roster, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckContract(contract, errors);
        var start = QueryValues.Time(from, "from", errors);
        var end = QueryValues.Time(to, "to", errors);
        if (errors.IsValid("from") && start is null)
        {
            errors.Add("from", L10n.Of("“from”为必填项：带时区偏移的 ISO 8601 时间。", "'from' is required: an ISO 8601 time with an offset."));
        }

        if (errors.IsValid("to") && end is null)
        {
            errors.Add("to", L10n.Of("“to”为必填项：带时区偏移的 ISO 8601 时间。", "'to' is required: an ISO 8601 time with an offset."));
        }

        if (start is { } s && end is { } e && (e <= s || e - s > MaxSchedule))
        {
            errors.Add("to", L10n.Of("“to”须晚于“from”，且相距不超过 62 天。", "'to' must be after 'from', at most 62 days later."));
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        if (!Reaches(contract, book, user))
        {
            return UnknownContract(contract);
        }

        var shifts = await roster.ShiftsAsync(contract, start!.Value, end!.Value, cancellationToken);
        var full = SeesMobiles(user);
        return TypedResults.Ok(new DutyScheduleView(contract, start.Value, end.Value, [.. shifts.Select(x => View(x, full)!)]));
    }

    public static async Task<Results<Ok<RotaView>, ValidationProblem, ProblemHttpResult>> Rotations(
        string contract, RotaBook book, DutyRoster roster, RotaStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        BadContract(contract) is { } bad ? bad
        : Reaches(contract, book, user) ? TypedResults.Ok(await ViewAsync(contract, roster, store, time, SeesMobiles(user), cancellationToken))
        : UnknownContract(contract);

    public static async Task<Results<Ok<RotaView>, ValidationProblem, ProblemHttpResult>> SaveRotations(
        string contract, RotaRequest request, RotaBook book, DutyRoster roster, RotaStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (BadContract(contract) is { } bad)
        {
            return bad;
        }

        if (!ChangeableBy(contract, book, user))
        {
            return UnknownContract(contract);
        }

        var (engineers, rotations, problems) = RotaRules.Check(request.Engineers, request.Rotations);
        var errors = new ValidationErrors();
        foreach (var problem in problems)
        {
            errors.Add(problem.Field, problem.Message);
        }

        var now = time.GetUtcNow();
        if (errors.IsEmpty)
        {
            var (current, _) = await roster.RotaAsync(contract, now, cancellationToken);
            foreach (var named in current.Overrides.Where(o => engineers.All(e => e.Id != o.Engineer)))
            {
                errors.Add("engineers", L10n.Of(
                    $"“engineers”缺少“{named.Engineer}”：换班 {named.Id}（{Shanghai(named.From)} 至 {Shanghai(named.To)}）仍安排此人，请先删除该换班。",
                    $"'engineers' leaves out '{named.Engineer}', whom override {named.Id} ({Shanghai(named.From)} to {Shanghai(named.To)}) still names: remove it first."));
            }
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        await store.SaveAsync(contract, new SavedRota(engineers, rotations), Caller.Actor(user), now, cancellationToken);
        return TypedResults.Ok(await ViewAsync(contract, roster, store, time, true, cancellationToken));
    }

    public static async Task<Results<Created<DutyOverrideView>, ValidationProblem, ProblemHttpResult>> AddOverride(
        string contract, OverrideRequest request, RotaBook book, DutyRoster roster, RotaStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (BadContract(contract) is { } bad)
        {
            return bad;
        }

        if (!ChangeableBy(contract, book, user))
        {
            return UnknownContract(contract);
        }

        var now = time.GetUtcNow();
        var errors = new ValidationErrors();
        var layer = QueryValues.RequiredChoice<DutyLayer>(request.Layer, "layer", errors);
        var (rota, source) = await roster.RotaAsync(contract, DateTimeOffset.MaxValue, cancellationToken);
        if (string.IsNullOrWhiteSpace(request.Engineer))
        {
            errors.Add("engineer", L10n.Of("“engineer”为必填项：值班表中工程师的 id。", "'engineer' is required: the id of an engineer on the rota."));
        }
        else if (rota.Engineer(request.Engineer.Trim()) is null)
        {
            errors.Add("engineer", source == RotaSource.None
                ? L10n.Of("“engineer”无从选择：该合同还没有值班表。", "'engineer' cannot be chosen: the contract has no rota yet.")
                : L10n.Of($"“engineer”须为值班表中工程师的 id：{L10n.List(rota.Engineers.Select(e => e.Id))}。", $"'engineer' must be the id of an engineer on the rota: {L10n.List(rota.Engineers.Select(e => e.Id))}."));
        }

        if (request.From is null)
        {
            errors.Add("from", L10n.Of("“from”为必填项：换班开始的时间。", "'from' is required: when the override begins."));
        }
        else if (request.From < now - PastOverrideStart)
        {
            errors.Add("from", L10n.Of("“from”不能早于现在 5 分钟以上：已经过去的值班不能改写。", "'from' must not be more than 5 minutes in the past: past duty cannot be rewritten."));
        }

        if (request.To is null)
        {
            errors.Add("to", L10n.Of("“to”为必填项：换班结束的时间。", "'to' is required: when the override ends."));
        }
        else if (request.From is { } f && (request.To <= f || request.To - f > DutyResolution.MaxOverride))
        {
            errors.Add("to", L10n.Of("“to”须晚于“from”，且相距不超过 31 天。", "'to' must be after 'from', at most 31 days later."));
        }
        else if (request.To <= now)
        {
            errors.Add("to", L10n.Of("“to”须是将来的时间：已经结束的值班不能再换。", "'to' must be in the future: a shift that has ended cannot be swapped."));
        }

        errors.RequireText("reason", request.Reason, 200);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var actor = Caller.Actor(user);
        var added = new DutyOverride(Guid.NewGuid(), layer!.Value, request.Engineer!.Trim(), request.From!.Value, request.To!.Value, request.Reason!.Trim(), actor.Name, now);
        if (await store.AddOverrideAsync(contract, added, actor, cancellationToken) is { } clash)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: L10n.Of("换班时间重叠。", "The override overlaps another."),
                detail: L10n.Of(
                    $"{RotaRules.Layer(clash.Layer)} 层已有换班 {clash.Id}（{clash.Engineer}，{Shanghai(clash.From)} 至 {Shanghai(clash.To)}，北京时间）与此重叠：同一层的换班不能重叠，请先删除或调整那一条。",
                    $"The {RotaRules.Layer(clash.Layer)} layer already has override {clash.Id} ({clash.Engineer}, {Shanghai(clash.From)} to {Shanghai(clash.To)}, Asia/Shanghai) in that time: overrides of one layer must not overlap."));
        }

        return TypedResults.Created($"/api/oncall/{Uri.EscapeDataString(contract)}/rotations", View(added));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveOverride(
        string contract, string id, RotaBook book, RotaStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckContract(contract, errors);
        if (!Guid.TryParseExact(id, "D", out var overrideId))
        {
            errors.Add("id", L10n.Of("“id”须为换班的 id，如 3f2b8c1e-0000-4000-8000-000000000000。", "'id' must be an override's id, such as 3f2b8c1e-0000-4000-8000-000000000000."));
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        if (!ChangeableBy(contract, book, user))
        {
            return UnknownContract(contract);
        }

        return await store.RemoveOverrideAsync(contract, overrideId, Caller.Actor(user), time.GetUtcNow(), cancellationToken) switch
        {
            OverrideRemoval.Removed => TypedResults.NoContent(),
            OverrideRemoval.Started => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: L10n.Of("换班已开始。", "The override has begun."),
                detail: L10n.Of("已开始的换班不能删除；可登记新的换班。", "An override that has begun cannot be removed; add a new override instead.")),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: L10n.Of("没有这条换班。", "No such override."),
                detail: L10n.Of($"合同 {contract} 的值班表中没有 id 为 {id} 的换班。", $"The rota of contract {contract} has no override {id}.")),
        };
    }

    private static async Task<RotaView> ViewAsync(string contract, DutyRoster roster, RotaStore store, TimeProvider time, bool fullMobiles, CancellationToken cancellationToken)
    {
        var (rota, source) = await roster.RotaAsync(contract, time.GetUtcNow() - PastOverridesListed, cancellationToken);
        var change = await store.LastChangeAsync(contract, cancellationToken);
        return new RotaView(
            contract,
            source switch { RotaSource.Api => "api", RotaSource.ContractsJson => "contracts.json", _ => "none" },
            [.. rota.Engineers.Select(e => View(e, fullMobiles))],
            [.. rota.Rotations.Select(r => new RotationView(
                r.Name, r.Layer, r.Turn, r.Handover.ToString("HH:mm", CultureInfo.InvariantCulture), r.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Engineers))],
            [.. rota.Overrides.Select(View)],
            change?.ChangedBy,
            change?.ChangedAt);
    }

    private static DutyOverrideView View(DutyOverride o) => new(o.Id, o.Layer, o.Engineer, o.From, o.To, o.Reason, o.CreatedBy, o.CreatedAt);

    private static DutyEngineerView View(DutyEngineer e, bool fullMobile) =>
        new(e.Id, e.Name, fullMobile ? e.Mobile : PhoneMask.Of(e.Mobile), e.WeComUserId, e.Username);

    private static DutyShiftView? View(DutyShift? s, bool fullMobile) =>
        s is null ? null : new(s.Layer, View(s.Engineer, fullMobile), s.From, s.To, s.OverrideId, s.Reason);

    /// <summary>Engineers and managers ring the engineer on duty; everyone else sees the mobile masked.</summary>
    private static bool SeesMobiles(ClaimsPrincipal user) => Caller.IsAny(user, Roles.Engineer, Roles.Manager);

    /// <summary>Anything of the contract is in the caller's scope: who is on duty covers every site.</summary>
    private static bool Reaches(string contract, RotaBook book, ClaimsPrincipal user) => book.Knows(contract) && Scope.Of(user).Reaches(contract);

    /// <summary>The rota belongs to the whole contract: only a manager of all of it changes it.</summary>
    private static bool ChangeableBy(string contract, RotaBook book, ClaimsPrincipal user) => book.Knows(contract) && Scope.Of(user).AllowsWholeContract(contract);

    private static string Shanghai(DateTimeOffset t) => ShanghaiTimeConverter.ToShanghai(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A contract's code as contracts.json spells it: 1 to 64 letters, digits, '-', '.' or '_'.</summary>
    private static void CheckContract(string contract, ValidationErrors errors)
    {
        if (!QueryValues.IsReference(contract))
        {
            errors.Add("contract", L10n.Of("“contract”须为合同编号，如 OTQ-2026-OPS。", "'contract' must be a contract's code, such as OTQ-2026-OPS."));
        }
    }

    private static ValidationProblem? BadContract(string contract)
    {
        var errors = new ValidationErrors();
        CheckContract(contract, errors);
        return errors.IsEmpty ? null : errors.ToProblem();
    }

    private static ProblemHttpResult UnknownContract(string contract) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: L10n.Of("没有这个合同。", "No such contract."),
        detail: L10n.Of($"没有合同 {contract}，或它不在您的范围之内。", $"There is no contract {contract}, or it lies outside your scope."));
}
