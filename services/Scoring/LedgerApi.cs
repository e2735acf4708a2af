using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ops.Hosting.Http.Exports;
using Ops.Hosting.Security;
using Ops.Scoring.Assessment;
using Ops.Scoring.Ledger;

namespace Ops.Scoring;

/// <summary>The deduction ledger as a list and as a file: every entry behind the assessment, in ledger order.</summary>
public static class LedgerApi
{
    public static IEndpointRouteBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("/api/ledger").WithTags("Assessment");

        ledger.MapGet("", List)
            .RequireAuthorization(Policies.Oversee)
            .WithName("ListLedgerEntries")
            .WithSummary("The deduction ledger's entries, in ledger order")
            .WithDescription("""
                The entries of one contract (`contract`, may be left out while the caller has only one), oldest first:
                breach deductions, retractions, manual deductions and waivers, as the assessment's evidence shows them.
                Filters: `item` (the contract's assessment item), `source` (breach|retraction|manual|waiver), and entries
                that occurred in [`from`, `to`) (ISO 8601 times with an offset). Paging: `limit` (1–200, default 50) and
                `after`, the `next` of the page before (an entry number); `next` is null on the last page. Managers and
                auditors whose scope holds the whole contract; another contract is answered as unknown.
                """);

        ledger.MapGet("export", Export)
            .RequireAuthorization(Policies.Oversee)
            .WithName("ExportLedger")
            .WithSummary("The deduction ledger as a CSV or Excel file")
            .WithDescription("""
                `format` (csv|xlsx, default csv) and exactly the filters of the ledger list (`contract`, `item`, `source`,
                `from`, `to`), without paging: every entry, in ledger order, streamed as it is read. CSV is UTF-8 with a
                byte-order mark, RFC 4180 quoting and CRLF; XLSX has one sheet, its header row frozen, times as Excel dates
                in Beijing time. Columns: 序号 (the entry number), 考核项目, 分值, 来源 (超时扣分/撤回/人工扣分/豁免), 原因, 工单号,
                时限类型, 时限, 超时时间, 冲抵条目 (the number of the entry it takes back), 发生时间, 记录时间, 记录人. The file is
                named like 扣分台账-OTQ-2026-OPS-20261202.csv. Managers and auditors, as the list.
                """);
        return app;
    }

    public static async Task<Results<Ok<LedgerPage>, ValidationProblem>> List(
        [AsParameters] LedgerQuery query, ContractBook contracts, DeductionLedger ledger, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (filter, errors) = LedgerFilter.Parse(query, contracts, Scope.Of(user).AllowsWholeContract);
        if (filter is null)
        {
            return errors.ToProblem();
        }

        var entries = await ledger.PageAsync(filter, cancellationToken);
        var next = entries.Count == filter.Limit ? entries[^1].EntryNo : (long?)null;
        return TypedResults.Ok(new LedgerPage([.. entries.Select(EvidenceView.Of)], next));
    }

    public static Results<ExportFile, ValidationProblem> Export(
        [AsParameters] LedgerExportQuery query, ContractBook contracts, DeductionLedger ledger, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (filter, errors) = LedgerFilter.Parse(query.AsListQuery(), contracts, Scope.Of(user).AllowsWholeContract);
        var format = ExportFormats.Parse(query.Format, errors);
        if (filter is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        return ExportFile.Of(LedgerExport.FileName(filter.Terms, time.GetUtcNow()), format, LedgerExport.Columns(filter.Terms), ledger.ExportAsync(filter, cancellationToken));
    }
}

/// <summary>One page of the ledger, in ledger order; <c>next</c> is the <c>after</c> of the next page, null on the last.</summary>
public sealed record LedgerPage(IReadOnlyList<EvidenceView> Items, long? Next);
