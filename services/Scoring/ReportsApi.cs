using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Scoring.Assessment;
using Ops.Scoring.Reports;

namespace Ops.Scoring;

/// <summary>A stored report as the API lists it.</summary>
/// <param name="Period">The period's key: <c>2026-03</c> (a Shanghai month), <c>Q1</c>–<c>Q4</c> (a quarter of the first service year; a later year's <c>2027-Q1</c>), <c>2026</c> (the service year starting in 2026).</param>
/// <param name="PeriodName">The period in Chinese, e.g. 2026年3月.</param>
/// <param name="From">The period's start, inclusive.</param>
/// <param name="To">The period's end, exclusive.</param>
/// <param name="SiteCode">The site of a per-site report; null for the whole contract.</param>
/// <param name="Version">1 for the first report of the period (and site); a later one when corrected figures changed the workbook.</param>
/// <param name="InProgress">True (未结束) when it was made before the period ended.</param>
/// <param name="GeneratedBy">The manager who generated it, or 系统 for the schedule.</param>
/// <param name="Sha256">The SHA-256 of the workbook, 64 hex digits: what <c>POST /api/reports/verify</c> checks a file against.</param>
/// <param name="Bytes">The workbook's size.</param>
public sealed record ReportSummary(
    Guid Id, string Contract, ReportKind Kind, string Period, string PeriodName, DateTimeOffset From, DateTimeOffset To, string? SiteCode,
    int Version, bool InProgress, DateTimeOffset GeneratedAt, string GeneratedBy, string Sha256, long Bytes);

/// <summary>A contract's reports.</summary>
public sealed record ReportList(IReadOnlyList<ReportSummary> Items);

/// <summary>A report and the figures it holds, exactly as they were when it was generated.</summary>
/// <param name="Figures">The figures: counts, rates and p90 times (overall, by severity, site and system), every breach, the ledger entries and items of the period, the assessment at its end, the previous period, the tickets open at its end.</param>
public sealed record ReportDetail(ReportSummary Report, JsonElement Figures);

/// <summary>What a file is: the report and version whose workbook it is, or none.</summary>
/// <param name="Sha256">The SHA-256 of the file checked.</param>
public sealed record ReportVerification(bool Matches, ReportSummary? Report, string Sha256);

/// <summary>What to generate.</summary>
/// <param name="Contract">The contract's code; may be left out while the caller has only one.</param>
/// <param name="Kind">month, quarter or year.</param>
/// <param name="Period">The period's key: <c>2026-03</c>, <c>Q1</c>, <c>2026</c>.</param>
/// <param name="Site">A site of the contract for a per-site report; left out for the whole contract.</param>
public sealed record GenerateReportRequest(string? Contract, string? Kind, string? Period, string? Site);

/// <summary>The SLA reports (月报, 季报, 年度报告): generated, kept as evidence, downloaded and checked.</summary>
public static class ReportsApi
{
    /// <summary>The largest file <c>POST /api/reports/verify</c> reads: a year's workbook of a busy contract is a few megabytes.</summary>
    public const long MaxFileBytes = 50L * 1024 * 1024;

    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports");

        reports.MapGet("", List)
            .RequireAuthorization(Policies.Oversee)
            .WithName("ListReports")
            .WithSummary("List a contract's reports")
            .WithDescription("""
                Every stored report of the contract, optionally of one `kind` (month|quarter|year) and one `site`: the newest
                period first, then the newest version. Every version is kept; a report made before its period ended is
                `inProgress` (未结束). Without `site`, per-site reports are listed beside the whole-contract ones. `contract`
                may be left out while the caller has only one. Managers and auditors; a whole-contract report only for a
                caller whose scope holds the whole contract, a site's report for one whose scope holds the site; another
                contract is answered as unknown.
                """);

        reports.MapPost("", Generate)
            .RequireAuthorization(Policies.Manage)
            .WithName("GenerateReport")
            .WithSummary("Generate a report now")
            .WithDescription("""
                `{ contract, kind, period, site? }`: the report of a month (`2026-03`, a Shanghai calendar month cut to the
                service period), a quarter of a service year (`Q1`–`Q4` in the first, `2027-Q1` in a later one; three months
                from its start day) or a service year (`2026`, the year it starts in), for the whole contract or one `site`, including the running period (then `inProgress`). The figures
                are as of the period's end, with every correction recorded since (a waiver, a breach taken back). 201 with a
                new version when the workbook differs from the newest stored version; 200 with that version when it is the
                same (a closed period generated again gives the same bytes). Each version's SHA-256 is sealed into the
                evidence chain `reports`. A period not yet begun is refused. The schedule generates the whole-contract report
                of every period at 01:00 Shanghai time after it ends; per-site reports are made only here. Managers.
                """);

        reports.MapGet("{id:guid}", Get)
            .RequireAuthorization(Policies.Oversee)
            .WithName("GetReport")
            .WithSummary("A report and its figures")
            .WithDescription("The report and the figures it holds, as stored when it was generated (later corrections make a new version, they never change this one). 404 for an unknown report and for one outside the caller's scope. Managers and auditors.");

        reports.MapGet("{id:guid}/xlsx", Workbook)
            .RequireAuthorization(Policies.Oversee)
            .Produces(StatusCodes.Status200OK, contentType: XlsxType)
            .WithName("DownloadReportWorkbook")
            .WithSummary("Download a report's workbook")
            .WithDescription("The stored Excel workbook (sheets 概览, 超时明细, 扣分明细, 工单明细), byte for byte the file whose SHA-256 the report lists, named like `OTQ-2026-OPS-月报-2026-03-v1.xlsx`. 404 for an unknown report and for one outside the caller's scope. Managers and auditors.");

        reports.MapPost("verify", Verify)
            .RequireAuthorization(Policies.Oversee)
            .DisableAntiforgery()
            .WithMetadata(new BodyLimit(MaxFileBytes))
            .WithName("VerifyReportFile")
            .WithSummary("Check whether a file is a stored report")
            .WithDescription("""
                A `multipart/form-data` body with the field `file` (at most 50 MB; any other body is refused naming `file`): its SHA-256 is looked up among the stored reports.
                `{ matches: true, report }` names the report and version the file is, unaltered; `{ matches: false, report:
                null, sha256 }` when it is none of them (a changed byte is enough). A report outside the caller's scope is
                answered as none. Managers and auditors.
                """);
        return app;
    }

    public static async Task<Results<Ok<ReportList>, ValidationProblem>> List(
        string? contract, string? kind, string? site, ContractBook contracts, ScopeCatalog catalog, ReportStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var scope = Scope.Of(user);
        var errors = new ValidationErrors();
        var terms = AssessmentApi.FindContract(contract, contracts, errors, scope.Reaches);
        var parsedKind = QueryValues.Choice<ReportKind>(kind, "kind", errors);
        var siteCode = terms is null ? null : SiteOf(site, terms, catalog, scope, errors);
        if (terms is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var reports = await store.ListAsync(terms.Code, parsedKind, siteCode, scope, cancellationToken);
        return TypedResults.Ok(new ReportList([.. reports.Select(r => Summary(r, contracts))]));
    }

    public static async Task<Results<Created<ReportSummary>, Ok<ReportSummary>, ValidationProblem>> Generate(
        GenerateReportRequest request, ContractBook contracts, ScopeCatalog catalog, ReportStore store, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var scope = Scope.Of(user);
        var errors = new ValidationErrors();
        var terms = AssessmentApi.FindContract(request.Contract, contracts, errors, scope.Reaches);
        var kind = QueryValues.RequiredChoice<ReportKind>(request.Kind, "kind", errors);
        var site = terms is null ? null : SiteOf(request.Site, terms, catalog, scope, errors);
        if (terms is not null && errors.IsValid("site") && site is null && !scope.AllowsWholeContract(terms.Code))
        {
            var sites = L10n.List(SitesOf(terms, catalog).Where(s => scope.Allows(terms.Code, s)));
            errors.Add("site", L10n.Of($"你的范围不含整个合同：请给出“site”，可选：{sites}。", $"Your scope does not hold the whole contract: give 'site', one of: {sites}."));
        }

        ReportPeriod? period = null;
        if (string.IsNullOrWhiteSpace(request.Period))
        {
            errors.Add("period", L10n.Of("“period”为必填项：如 2026-03（月）、Q1（季度）或 2026（年度）。", "'period' is required, e.g. 2026-03 (a month), Q1 (a quarter) or 2026 (the year)."));
        }
        else if (terms is not null && kind is { } k)
        {
            period = request.Period.Length <= 16 ? ReportPeriods.Of(terms, k, request.Period.Trim()) : null;
            if (period is null)
            {
                var keys = ReportPeriods.All(terms, k).Select(p => p.Key).ToList();
                var shown = L10n.List(keys.Count > 6 ? [.. keys.Take(3), "…", .. keys.TakeLast(2)] : keys);
                errors.Add("period", L10n.Of($"合同 {terms.Code} 没有这个{Report.KindTitle(k)}期间，可选：{shown}。", $"Contract {terms.Code} has no such {Report.KindName(k)}: {shown}."));
            }
            else if (period.From > now)
            {
                errors.Add("period", L10n.Of($"{period.Name}尚未开始。", $"{period.Key} has not begun yet."));
            }
        }

        if (terms is null || period is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var (report, created) = await store.GenerateAsync(terms, period, site, Caller.Actor(user), now, cancellationToken: cancellationToken);
        var summary = Summary(report, contracts);
        return created ? TypedResults.Created($"/api/reports/{report.Id}", summary) : TypedResults.Ok(summary);
    }

    public static async Task<Results<Ok<ReportDetail>, ProblemHttpResult>> Get(
        Guid id, ContractBook contracts, ReportStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var report = await store.FindAsync(id, workbook: false, cancellationToken);
        if (report?.Figures is null || !Visible(report, Scope.Of(user)))
        {
            return NotFound(id);
        }

        using var figures = JsonDocument.Parse(report.Figures);
        return TypedResults.Ok(new ReportDetail(Summary(report, contracts), figures.RootElement.Clone()));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Workbook(
        Guid id, ReportStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var report = await store.FindAsync(id, workbook: true, cancellationToken);
        if (report?.Workbook is null || !Visible(report, Scope.Of(user)))
        {
            return NotFound(id);
        }

        return TypedResults.File(report.Workbook, XlsxType, FileName(report));
    }

    public static async Task<Results<Ok<ReportVerification>, ValidationProblem, ProblemHttpResult>> Verify(
        HttpRequest request, ContractBook contracts, ReportStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var required = L10n.Of("须以 multipart/form-data 上传字段“file”：要核验的报表文件。", "Upload the field 'file' as multipart/form-data: the report file to check.");
        if (!request.HasFormContentType)
        {
            return errors.Add("file", required).ToProblem();
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)))
        {
            return TooLarge();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return errors.Add("file", required).ToProblem();
        }

        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return errors.Add("file", required).ToProblem();
        }

        if (file.Length > MaxFileBytes)
        {
            return TooLarge();
        }

        string sha256;
        await using (var content = file.OpenReadStream())
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
        }

        var scope = Scope.Of(user);
        var match = (await store.WithSha256Async(sha256, cancellationToken)).FirstOrDefault(r => Visible(r, scope));
        return TypedResults.Ok(new ReportVerification(match is not null, match is null ? null : Summary(match, contracts), sha256));
    }

    /// <summary>A whole-contract report needs the whole contract in scope; a site's report, the site.</summary>
    private static bool Visible(Report report, Scope scope) =>
        report.SiteCode.Length == 0 ? scope.AllowsWholeContract(report.Contract) : scope.Allows(report.Contract, report.SiteCode);

    private static ReportSummary Summary(Report r, ContractBook contracts) => new(
        r.Id, r.Contract, r.Kind, r.Period,
        (contracts.Find(r.Contract) is { } terms ? ReportPeriods.Of(terms, r.Kind, r.Period)?.Name : null) ?? r.Period,
        r.PeriodFrom, r.PeriodTo, r.SiteCode.Length == 0 ? null : r.SiteCode, r.Version, r.InProgress, r.GeneratedAt, r.GeneratedBy, r.Sha256, r.Bytes);

    /// <summary>OTQ-2026-OPS-月报-2026-03-v1.xlsx; a site's report names the site, one made before its period ended says 未结束.</summary>
    internal static string FileName(Report r) =>
        $"{r.Contract}{(r.SiteCode.Length == 0 ? "" : "-" + r.SiteCode)}-{Report.KindTitle(r.Kind)}-{r.Period}-v{r.Version}{(r.InProgress ? "-未结束" : "")}.xlsx";

    private static string[] SitesOf(ContractTerms terms, ScopeCatalog catalog) => catalog.SitesByContract.GetValueOrDefault(terms.Code) ?? [];

    /// <summary>The contract's site <paramref name="site"/> names, spelled as contracts.json spells it; null when left out or wrong (then said in <paramref name="errors"/>).</summary>
    private static string? SiteOf(string? site, ContractTerms terms, ScopeCatalog catalog, Scope scope, ValidationErrors errors)
    {
        if (site is null)
        {
            return null;
        }

        var sites = SitesOf(terms, catalog).Where(s => scope.Allows(terms.Code, s)).ToList();
        var match = site.Length <= 32 ? sites.FirstOrDefault(s => string.Equals(s, site.Trim(), StringComparison.OrdinalIgnoreCase)) : null;
        if (match is null)
        {
            errors.Add("site", L10n.Of($"“site”须为合同 {terms.Code} 的站点之一：{L10n.List(sites)}。", $"'site' must be one of the sites of contract {terms.Code}: {L10n.List(sites)}."));
        }

        return match;
    }

    private static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: L10n.Of("没有这个报表。", "No such report."),
        detail: L10n.Of($"没有报表 {id}。", $"There is no report {id}."));

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: L10n.Of("文件过大。", "The file is too large."),
        detail: L10n.Of($"最多 {MaxFileBytes / 1024 / 1024} MB。", $"At most {MaxFileBytes / 1024 / 1024} MB."));

    /// <summary>Lets this endpoint's body exceed the service's default limit (Kestrel's and the declared-length check both read it).</summary>
    private sealed class BodyLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }
}
