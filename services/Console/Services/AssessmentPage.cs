namespace Ops.Console.Services;

/// <summary>The words and the grouping of the assessment page: points as the API gives them, and each deduction with what took it back.</summary>
public static class AssessmentPage
{
    /// <summary>How many of an item's newest entries the page shows until the person asks for all of them.</summary>
    public const int NewestPerItem = 10;

    /// <summary>Points as the API states them, never rounded: <c>25</c>, <c>2.5</c>, <c>0.25</c>.</summary>
    public static string Points(decimal points) => Services.Points.Format(points);

    public static string SourceName(string source) => source switch
    {
        "breach" => "超时扣分",
        "manual" => "人工扣分",
        "waiver" => "豁免",
        "retraction" => "撤回",
        _ => source,
    };

    public static string ClockName(string? clock) => clock switch
    {
        "response" => "响应时限",
        "repair" => "修复时限",
        "completion" => "完成时限",
        _ => "",
    };

    /// <summary>A deduction of the item, and the entry that took it back (a manager's waiver, or a retraction when the clock was stopped in time) if any.</summary>
    public sealed record Row(LedgerEntry Entry, LedgerEntry? TakenBackBy)
    {
        public bool IsDeduction => Entry.Points > 0 && Entry.Compensates is null;

        public bool IsWaived => TakenBackBy?.Source == "waiver";

        /// <summary>A manager may waive a deduction nothing has taken back yet.</summary>
        public bool CanBeWaived => IsDeduction && TakenBackBy is null;
    }

    /// <summary>
    /// The item's entries newest first, each deduction beside what took it back. An entry taking back a deduction older
    /// than those shown stands as a row of its own; one taking back a deduction shown is in that deduction's row.
    /// </summary>
    public static IReadOnlyList<Row> Rows(AssessmentItem item)
    {
        var shown = item.Evidence.Select(e => e.Id).ToHashSet();
        var takenBack = item.Evidence.Where(e => e.Compensates is { } id && shown.Contains(id)).GroupBy(e => e.Compensates!.Value).ToDictionary(g => g.Key, g => g.First());
        return [.. item.Evidence
            .Where(e => e.Compensates is not { } id || !shown.Contains(id))
            .Select(e => new Row(e, takenBack.GetValueOrDefault(e.Id)))];
    }
}
