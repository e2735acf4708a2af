using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.Hosting.Archive;
using Ops.Hosting.Http.Exports;
using Ops.Hosting.Security;
using Ops.Scoring.Assessment;
using Ops.Scoring.Ledger;
using Ops.Scoring.Reports;

namespace Ops.Scoring.Archive;

/// <summary>The assessment of a service year as the archive keeps it: as of the end of the year (or of now, while it runs).</summary>
public sealed record ArchivedAssessment(int Year, DateOnly FirstDay, DateOnly LastDay, DateTimeOffset AsOf, AssessmentView Assessment);

/// <summary>A stored report version as the archive lists it, with the names of its workbook and figures in the zip.</summary>
public sealed record ArchivedReport(
    Guid Id, ReportKind Kind, string Period, string SiteCode, int Version, bool InProgress, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo,
    DateTimeOffset AsOf, DateTimeOffset GeneratedAt, string GeneratedBy, string Sha256, long Bytes, string Workbook, string Figures);

/// <summary>
/// Scoring's part of the yearly archive: the contracts file (<c>contracts.json</c>); the ledger with its waivers
/// (<c>ledger/</c>); the assessment at the year's end, counted from the contract's start (<c>assessment/</c>); every report
/// version generated for a period that overlaps the year, its workbook as stored and its figures (<c>reports/</c>).
/// </summary>
public sealed class ScoringArchive(ContractBook contracts, Ops.Hosting.Contracts.ContractsFile contractsFile, DeductionLedger ledger, ReportStore reports, TimeProvider time) : IArchivePart
{
    public const string ContractsFile = "contracts.json";
    public const string Ledger = "ledger/ledger.jsonl";
    public const string LedgerCsv = "ledger/ledger.csv";
    public const string Assessment = "assessment/assessment.json";
    public const string AssessmentCsv = "assessment/assessment.csv";
    public const string Reports = "reports/reports.jsonl";
    public const string ReportsCsv = "reports/reports.csv";

    public string Service => "scoring";

    public string Folder => "";

    public async Task<IReadOnlyList<string>> FilesAsync(ServiceYear year, CancellationToken cancellationToken)
    {
        var stored = await ReportsOfAsync(year, cancellationToken);
        return [ContractsFile, Ledger, LedgerCsv, Assessment, AssessmentCsv, Reports, ReportsCsv, .. stored.SelectMany(r => new[] { r.Workbook, r.Figures })];
    }

    public bool Offers(string file) =>
        file is ContractsFile or Ledger or LedgerCsv or Assessment or AssessmentCsv or Reports or ReportsCsv
        || (file.StartsWith("reports/", StringComparison.Ordinal) && !file.Contains("..", StringComparison.Ordinal) && (file.EndsWith(".xlsx", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal)));

    public async Task WriteAsync(string file, ServiceYear year, Stream stream, CancellationToken cancellationToken)
    {
        var terms = contracts.Contracts[year.Contract];
        switch (file)
        {
            case ContractsFile:
                await ArchiveJson.WriteAsync(stream, ContractAsRun(year.Contract), cancellationToken);
                break;
            case Ledger:
                await ArchiveJson.WriteLinesAsync(stream, ledger.ExportAsync(LedgerOf(terms, year), cancellationToken), cancellationToken);
                break;
            case LedgerCsv:
                await ExportFile.WriteAsync(stream, ExportFormat.Csv, LedgerExport.Columns(terms), ledger.ExportAsync(LedgerOf(terms, year), cancellationToken), cancellationToken);
                break;
            case Assessment:
                await ArchiveJson.WriteAsync(stream, await AssessmentAsync(terms, year, cancellationToken), cancellationToken);
                break;
            case AssessmentCsv:
                var assessment = (await AssessmentAsync(terms, year, cancellationToken)).Assessment;
                await ExportFile.WriteAsync(stream, ExportFormat.Csv, AssessmentColumns, AssessmentRows(assessment).ToAsyncEnumerable(), cancellationToken);
                break;
            case Reports:
                await ArchiveJson.WriteLinesAsync(stream, (await ReportsOfAsync(year, cancellationToken)).ToAsyncEnumerable(), cancellationToken);
                break;
            case ReportsCsv:
                await ExportFile.WriteAsync(stream, ExportFormat.Csv, ReportColumns, (await ReportsOfAsync(year, cancellationToken)).ToAsyncEnumerable(), cancellationToken);
                break;
            default:
                await WriteReportAsync(file, year, stream, cancellationToken);
                break;
        }
    }

    /// <summary>A report's workbook or figures, as stored, one report at a time.</summary>
    private async Task WriteReportAsync(string file, ServiceYear year, Stream stream, CancellationToken cancellationToken)
    {
        var listed = (await ReportsOfAsync(year, cancellationToken)).FirstOrDefault(r => r.Workbook == file || r.Figures == file)
            ?? throw new ArgumentException($"Scoring's part has no file {file}.", nameof(file));
        var workbook = listed.Workbook == file;
        var report = await reports.FindAsync(listed.Id, workbook, cancellationToken) ?? throw new InvalidOperationException($"The report {listed.Id} is gone.");
        await stream.WriteAsync(workbook ? report.Workbook! : System.Text.Encoding.UTF8.GetBytes(report.Figures!), cancellationToken);
    }

    /// <summary>
    /// Every stored version of a report whose period overlaps the year (a site's too), oldest period first: a report across
    /// a service year's edge (a month, the fourth quarter or the contract's year report of a contract longer than a year) is
    /// in the archive of every year it touches.
    /// </summary>
    private async Task<IReadOnlyList<ArchivedReport>> ReportsOfAsync(ServiceYear year, CancellationToken cancellationToken) =>
        [.. (await reports.ListAsync(year.Contract, kind: null, siteCode: null, Scope.All, cancellationToken))
            .Where(r => r.PeriodFrom < year.To && r.PeriodTo > year.From)
            .OrderBy(r => r.PeriodFrom).ThenBy(r => r.PeriodTo).ThenBy(r => r.SiteCode, StringComparer.Ordinal).ThenBy(r => r.Version)
            .Select(r =>
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"reports/{Report.KindName(r.Kind)}-{r.Period}{(r.SiteCode.Length == 0 ? "" : "-" + r.SiteCode)}-v{r.Version}");
                return new ArchivedReport(r.Id, r.Kind, r.Period, r.SiteCode, r.Version, r.InProgress, r.PeriodFrom, r.PeriodTo, r.AsOf, r.GeneratedAt,
                    r.GeneratedBy, r.Sha256, r.Bytes, name + ".xlsx", name + ".json");
            })];

    private static LedgerFilter LedgerOf(ContractTerms terms, ServiceYear year) =>
        new(terms, Item: null, Source: null, From: year.From, To: year.To, Limit: LedgerFilter.MaxLimit, After: 0);

    /// <summary>
    /// The assessment as of the end of the year, or of now while the year runs; counted from the contract's start, as the
    /// product's assessment is (one per contract), so a later year's includes the deductions of the years before it.
    /// </summary>
    private async Task<ArchivedAssessment> AssessmentAsync(ContractTerms terms, ServiceYear year, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var asOf = now < year.To ? now : year.To;
        var totals = await ledger.ItemTotalsAsync(terms, year.To, cancellationToken);
        var result = AssessmentCalculator.Compute(terms, totals.ToDictionary(t => t.Item, t => t.Hundredths / 100m));
        var items = result.Items.Select(i => new ItemView(i.Item, i.Name, i.MaxPoints, i.Deducted, i.Recorded, totals.FirstOrDefault(t => t.Item == i.Item)?.Entries ?? 0, []));
        var view = new AssessmentView(terms.Code, terms.Title, terms.Bureau, terms.Contractor, terms.Amount, terms.ServiceStart, terms.ServiceEnd,
            result.TotalDeduction, result.Score, result.TierName, result.Tier, result.FeeReduction, result.RectificationRequired, [.. items]);
        return new ArchivedAssessment(year.Year, year.FirstDay, year.LastDay, asOf, view);
    }

    /// <summary>One row per item, then the totals: what a person reads of the assessment.</summary>
    private sealed record AssessmentRow(string Item, string Name, decimal? MaxPoints, decimal Deducted, decimal? Score, long? Entries, string? Note);

    private static IEnumerable<AssessmentRow> AssessmentRows(AssessmentView a) =>
    [
        .. a.Items.Select(i => new AssessmentRow(i.Item.ToString(CultureInfo.InvariantCulture), i.Name, i.MaxPoints, i.Deducted, i.MaxPoints - i.Deducted, i.Entries, null)),
        new AssessmentRow("合计", $"考核结果：{a.Tier}", 100m, a.TotalDeduction, a.Score, a.Items.Sum(i => i.Entries),
            string.Create(CultureInfo.InvariantCulture, $"扣减费用 ¥{a.FeeReduction:#,##0.00}{(a.RectificationRequired ? "；须整改" : "")}")),
    ];

    private static readonly IReadOnlyList<ExportColumn<AssessmentRow>> AssessmentColumns =
    [
        new("考核项目", r => r.Item, Width: 8),
        new("名称", r => r.Name, Width: 28),
        new("满分", r => r.MaxPoints, ExportKind.Number, NumberFormat: "0.00"),
        new("扣分", r => r.Deducted, ExportKind.Number, NumberFormat: "0.00"),
        new("得分", r => r.Score, ExportKind.Number, NumberFormat: "0.00"),
        new("台账条目数", r => r.Entries, ExportKind.Number),
        new("说明", r => r.Note, Width: 40),
    ];

    private static readonly IReadOnlyList<ExportColumn<ArchivedReport>> ReportColumns =
    [
        new("报表", r => Report.KindTitle(r.Kind), Width: 10),
        new("期间", r => r.Period, Width: 10),
        new("站点", r => r.SiteCode.Length == 0 ? "全合同" : r.SiteCode, Width: 8),
        new("版本", r => r.Version, ExportKind.Number, Width: 6),
        new("期间开始", r => r.PeriodFrom, ExportKind.Time),
        new("期间结束", r => r.PeriodTo, ExportKind.Time),
        new("数据截至", r => r.AsOf, ExportKind.Time),
        new("生成时间", r => r.GeneratedAt, ExportKind.Time),
        new("生成人", r => r.GeneratedBy, Width: 12),
        new("工作簿 SHA-256", r => r.Sha256, Width: 66),
        new("工作簿文件", r => r.Workbook, Width: 40),
        new("数据文件", r => r.Figures, Width: 40),
    ];

    /// <summary>
    /// The archived contract alone (another contract in the file is no business of this archive), as the services ran it
    /// (the file and its environment overrides), with what <c>admin check-config</c> masks masked: robot URLs, secrets, mobiles.
    /// </summary>
    private JsonObject ContractAsRun(string code)
    {
        var node = JsonSerializer.SerializeToNode(contractsFile.Contracts[code], ArchiveJson.Options)!.AsObject();
        Mask(node);
        return new JsonObject { ["contracts"] = new JsonObject { [code] = node } };
    }

    private static void Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        o[name] = Ops.Hosting.Configuration.Secrets.Shown(char.ToUpperInvariant(name[0]) + name[1..], text);
                    }
                    else
                    {
                        Mask(child);
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Mask(child);
                }

                break;
        }
    }
}
