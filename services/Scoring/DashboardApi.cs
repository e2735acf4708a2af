using System.Security.Claims;
using Ops.Hosting.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;

namespace Ops.Scoring;

/// <summary>The SLA compliance dashboard.</summary>
public static class DashboardApi
{
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard/sla", Get)
            .RequireAuthorization(Policies.Oversee)
            .WithTags("Dashboard")
            .WithName("GetSlaDashboard")
            .WithSummary("SLA compliance of faults and service requests")
            .WithDescription("""
                Faults reported in [`from`, `to`) (ISO 8601 with offset, from 2000-01-01 to 2100-01-01; default: the
                contract's service year, whose start and end the answer echoes),
                optionally of one `siteCode`, `system` or `severity` (general|severe): how many, how many were
                responded to and repaired, how many of those in time, the response and repair rates (in time ÷
                decided, where a clock is decided once stopped or breached), open breaches, faults reopened, and the
                mean and p90 minutes to acknowledge and to repair (leaving out the time a reopened fault spent resolved);
                and of the service requests: how many, completed, completed in time, and the completion rate. A request
                has no severity: with `severity`, only faults are counted.
                Only the caller's contracts, and within them its sites: another contract is answered as unknown.
                """);
        app.MapGet("/api/dashboard/sla/breakdown", GetBreakdown)
            .RequireAuthorization(Policies.Oversee)
            .WithTags("Dashboard")
            .WithName("GetSlaBreakdown")
            .WithSummary("SLA compliance split by month, site or system")
            .WithDescription("""
                The figures of `GET /api/dashboard/sla`, with the same filters, defaults, validation and scope, split into
                `rows` by `by`: `month` (the default), one row per Shanghai calendar month of the period (its part of the
                period, every month even without faults: a trend); `site`, one row per site, or `system`, one per system,
                that has faults or requests in the period (ordered by code or name). Each row is exactly what
                `GET /api/dashboard/sla` answers for that month's part of the period or with that `siteCode` or `system`;
                the rows' counts add up to the whole period's. One call instead of one per month or per site.
                """);
        return app;
    }

    public static async Task<Results<Ok<SlaCompliance>, ValidationProblem>> Get(
        string? contract, string? from, string? to, string? siteCode, string? system, string? severity,
        ContractBook contracts, SlaDashboard dashboard, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var filter = Filter(contract, from, to, siteCode, system, severity, contracts, user, errors);
        return filter is null ? errors.ToProblem() : TypedResults.Ok(await dashboard.ComplianceAsync(filter, cancellationToken));
    }

    public static async Task<Results<Ok<SlaBreakdown>, ValidationProblem>> GetBreakdown(
        string? by, string? contract, string? from, string? to, string? siteCode, string? system, string? severity,
        ContractBook contracts, SlaDashboard dashboard, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var grouping = QueryValues.Choice<BreakdownBy>(by, "by", errors) ?? BreakdownBy.Month;
        var filter = Filter(contract, from, to, siteCode, system, severity, contracts, user, errors);
        return filter is null ? errors.ToProblem() : TypedResults.Ok(await dashboard.BreakdownAsync(filter, grouping, cancellationToken));
    }

    /// <summary>The dashboard's filter from the query, within the caller's scope; null with <paramref name="errors"/> said.</summary>
    private static DashboardFilter? Filter(
        string? contract, string? from, string? to, string? siteCode, string? system, string? severity,
        ContractBook contracts, ClaimsPrincipal user, ValidationErrors errors)
    {
        var scope = Scope.Of(user);
        var terms = AssessmentApi.FindContract(contract, contracts, errors, scope.Reaches);
        var fromTime = QueryValues.Time(from, "from", errors);
        var toTime = QueryValues.Time(to, "to", errors);
        var parsedSeverity = QueryValues.Choice<Severity>(severity, "severity", errors);
        var site = QueryValues.SiteCode(siteCode, errors);
        var systemName = QueryValues.Name(system, "system", 100, errors);
        if (terms is null || !errors.IsEmpty)
        {
            return null;
        }

        var (periodFrom, periodTo) = terms.Period;
        var filter = new DashboardFilter(
            terms.Code,
            fromTime ?? periodFrom,
            toTime ?? periodTo,
            site,
            systemName,
            parsedSeverity,
            scope);
        if (filter.From > filter.To)
        {
            // Without a 'to', the period ends with the service year: the caller only gave 'from'.
            if (toTime is null)
            {
                errors.Add("from", L10n.Of(
                    $"“from”不能晚于服务期的结束时间 {ShanghaiTimeConverter.Format(periodTo)}。",
                    $"'from' must not be after the end of the service period, {ShanghaiTimeConverter.Format(periodTo)}."));
            }
            else
            {
                errors.Add("to", L10n.Of("“to”不能早于“from”。", "'to' must not be before 'from'."));
            }

            return null;
        }

        return filter;
    }
}
