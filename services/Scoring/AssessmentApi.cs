using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Scoring.Assessment;
using Ops.Scoring.Ledger;

namespace Ops.Scoring;

/// <summary>The assessment API: the running score of a contract and the manual deductions managers record.</summary>
public static class AssessmentApi
{
    public static IEndpointRouteBuilder MapAssessmentApi(this IEndpointRouteBuilder app)
    {
        var assessment = app.MapGroup("/api/assessment").WithTags("Assessment");

        assessment.MapGet("", Get)
            .RequireAuthorization(Policies.Oversee)
            .WithName("GetAssessment")
            .WithSummary("A contract's running assessment")
            .WithDescription("""
                The 15 items of the contract's assessment table with their maximum, the points deducted (capped
                at the maximum) and the newest ledger entries behind them (`evidence` per item, 0–1000, default 100);
                the total deduction, score (100 − total), tier (良好 ≥ 80, 合格 60–79, 不合格 < 60), the fee
                reduction in yuan (1 % of the contract amount per point above 20) and whether rectification is
                required (above 40). The period is the contract's service year. `contract` may be left out while
                the caller has only one. Managers and auditors whose scope holds the whole contract (a caller limited to
                some of its sites sees its dashboard, not the contract's assessment); another contract is answered as unknown.
                """);

        assessment.MapPost("deductions", AddDeduction)
            .RequireAuthorization(Policies.Manage)
            .WithName("AddManualDeduction")
            .WithSummary("Record a manual deduction")
            .WithDescription("For the items no clock measures (organisation, reports, archives, satisfaction …): item, points, reason; recorded in the name of the signed-in manager. The ledger is append-only and hash-chained. Only for a contract wholly in the caller's scope; another is answered as unknown.");

        assessment.MapPost("waivers", Waive)
            .RequireAuthorization(Policies.Manage)
            .WithName("WaiveDeduction")
            .WithSummary("Waive a deduction")
            .WithDescription("""
                `deduction` (the id of a ledger entry, as the assessment's evidence shows it) and a `reason`, e.g. a
                fault in a region-level system outside the contractor's reach. The ledger records a compensating
                entry with the opposite points in the signed-in manager's name; the deduction stays, and the
                assessment shows both. 404 for an unknown entry, and for one of a contract not wholly in the caller's scope; 409 for an entry that is not a deduction or was
                already taken back.
                """);
        return app;
    }

    public static async Task<Results<Ok<AssessmentView>, ValidationProblem>> Get(
        string? contract, string? evidence, ContractBook contracts, DeductionLedger ledger, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var terms = FindContract(contract, contracts, errors, Scope.Of(user).AllowsWholeContract);
        var perItem = QueryValues.WholeNumber(evidence, "evidence", 0, 1000, 100, errors);

        if (terms is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var totals = await ledger.ItemTotalsAsync(terms, cancellationToken);
        var entries = perItem == 0 ? [] : await ledger.EvidenceAsync(terms, perItem, cancellationToken);
        var result = AssessmentCalculator.Compute(terms, totals.ToDictionary(t => t.Item, t => t.Hundredths / 100m));
        var items = result.Items.Select(i => new ItemView(
            i.Item, i.Name, i.MaxPoints, i.Deducted, i.Recorded,
            totals.FirstOrDefault(t => t.Item == i.Item)?.Entries ?? 0,
            [.. entries.Where(e => e.Item == i.Item).Select(EvidenceView.Of)]));
        return TypedResults.Ok(new AssessmentView(
            terms.Code, terms.Title, terms.Bureau, terms.Contractor, terms.Amount, terms.ServiceStart, terms.ServiceEnd,
            result.TotalDeduction, result.Score, result.TierName, result.Tier, result.FeeReduction, result.RectificationRequired,
            [.. items]));
    }

    public static async Task<Results<Created<EvidenceView>, ValidationProblem>> AddDeduction(
        ManualDeductionRequest request, ContractBook contracts, DeductionLedger ledger, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new ValidationErrors();
        var terms = FindContract(request.Contract, contracts, errors, Scope.Of(user).AllowsWholeContract);
        var item = terms?.Assessment.Items.FirstOrDefault(i => i.Number == request.Item);
        if (request.Item is null)
        {
            errors.Add("item", L10n.Of("“item”为必填项：考核项目，1–15。", "'item' is required: the assessment item, 1–15."));
        }
        else if (terms is not null && item is null)
        {
            var items = L10n.List(terms.Assessment.Items.Select(i => i.Number));
            errors.Add("item", L10n.Of($"“item”须为合同的考核项目之一：{items}。", $"'item' must be one of the contract's items: {items}."));
        }

        if (request.Points is not { } points)
        {
            errors.Add("points", L10n.Of("“points”为必填项。", "'points' is required."));
        }
        else if (points <= 0 || decimal.Round(points, 2) != points)
        {
            errors.Add("points", L10n.Of("“points”须大于 0，最多两位小数。", "'points' must be more than 0, with at most two decimals."));
        }
        else if (item is not null && points > item.MaxPoints)
        {
            var max = item.MaxPoints.ToString(CultureInfo.InvariantCulture);
            errors.Add("points", L10n.Of($"“points”不能超过该项目的满分 {max}。", $"'points' must not exceed the item's maximum of {max}."));
        }

        errors.RequireText("reason", request.Reason, 1000, TextKind.Lines);
        var occurredAt = request.OccurredAt ?? now;
        if (terms is not null && (occurredAt < terms.Period.From || occurredAt >= terms.Period.To))
        {
            var period = string.Create(CultureInfo.InvariantCulture, $"{terms.ServiceStart:yyyy-MM-dd} – {terms.ServiceEnd:yyyy-MM-dd}");
            errors.Add("occurredAt", L10n.Of($"“occurredAt”须在服务期 {period} 之内。", $"'occurredAt' must lie in the service period {period}."));
        }
        else if (occurredAt > now + TimeSpan.FromMinutes(2))
        {
            errors.Add("occurredAt", L10n.Of("“occurredAt”不能是将来的时间。", "'occurredAt' must not be in the future."));
        }

        if (terms is null || item is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var entry = await ledger.AddManualAsync(terms, item.Number, request.Points!.Value, request.Reason!.Trim(), occurredAt, Caller.Actor(user), now, cancellationToken);
        return TypedResults.Created($"/api/assessment?contract={Uri.EscapeDataString(terms.Code)}", EvidenceView.Of(entry));
    }

    public static async Task<Results<Created<EvidenceView>, ValidationProblem, ProblemHttpResult>> Waive(
        WaiverRequest request, DeductionLedger ledger, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Deduction is not { } deduction || deduction == Guid.Empty)
        {
            errors.Add("deduction", L10n.Of("“deduction”为必填项：要豁免的台账条目的 id。", "'deduction' is required: the id of the ledger entry to waive."));
        }

        errors.RequireText("reason", request.Reason, 1000, TextKind.Lines);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var (waiver, refusal) = await ledger.WaiveAsync(request.Deduction!.Value, request.Reason!.Trim(), Caller.Actor(user), time.GetUtcNow(), Scope.Of(user), cancellationToken);
        if (waiver is not null)
        {
            return TypedResults.Created($"/api/assessment?contract={Uri.EscapeDataString(waiver.Contract)}", EvidenceView.Of(waiver));
        }

        return refusal is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: L10n.Of("没有这个台账条目。", "No such ledger entry."),
                detail: L10n.Of($"扣分台账中没有条目 {request.Deduction}。", $"The ledger has no entry {request.Deduction}."))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: L10n.Of("该条目不能豁免。", "This entry cannot be waived."), detail: refusal);
    }

    /// <summary>
    /// The contract named, among those <paramref name="inScope"/> admits: one outside the caller's scope is
    /// answered as an unknown one, and may be left out when the caller has only one.
    /// </summary>
    internal static ContractTerms? FindContract(string? contract, ContractBook contracts, ValidationErrors errors, Func<string, bool> inScope)
    {
        var visible = contracts.Contracts.Keys.Where(inScope).ToList();
        var terms = string.IsNullOrWhiteSpace(contract)
            ? visible.Count == 1 ? contracts.Find(visible[0]) : null
            : contracts.Find(contract) is { } found && inScope(found.Code) ? found : null;
        if (terms is null)
        {
            errors.Add("contract", string.IsNullOrWhiteSpace(contract)
                ? L10n.Of($"“contract”为必填项，可选：{L10n.List(visible)}。", $"'contract' is required: {L10n.List(visible)}.")
                : L10n.Of($"“contract”须为以下之一：{L10n.List(visible)}。", $"'contract' must be one of: {L10n.List(visible)}."));
        }

        return terms;
    }
}
