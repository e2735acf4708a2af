namespace Ops.Scoring.Assessment;

/// <summary>The contract's three tiers: ≥ 80 良好, 60–79 合格, below 60 不合格.</summary>
public enum Tier
{
    Good,
    Pass,
    Fail,
}

/// <summary>An item's deductions: what the ledger holds and what counts after the item's cap.</summary>
public sealed record ItemScore(int Item, string Name, decimal MaxPoints, decimal Recorded, decimal Deducted);

/// <summary>A contract's assessment as arithmetic: no evidence, no I/O.</summary>
public sealed record AssessmentResult(
    IReadOnlyList<ItemScore> Items,
    decimal TotalDeduction,
    decimal Score,
    Tier Tier,
    decimal FeeReduction,
    bool RectificationRequired)
{
    public string TierName => Tier switch
    {
        Tier.Good => "良好",
        Tier.Pass => "合格",
        _ => "不合格",
    };
}

/// <summary>
/// The assessment arithmetic of the contract: an item never loses more than its maximum (nor less than
/// nothing); score = 100 − total deduction; a total above 20 points costs 1 % of the contract amount per
/// point above 20; a total above 40 points forces rectification. Money in decimal, rounded to the fen.
/// </summary>
public static class AssessmentCalculator
{
    public static AssessmentResult Compute(ContractTerms contract, IReadOnlyDictionary<int, decimal> recordedByItem)
    {
        var terms = contract.Assessment;
        var items = terms.Items
            .OrderBy(i => i.Number)
            .Select(i =>
            {
                var recorded = recordedByItem.GetValueOrDefault(i.Number);
                return new ItemScore(i.Number, i.Name, i.MaxPoints, recorded, Math.Clamp(recorded, 0, i.MaxPoints));
            })
            .ToList();
        var total = items.Sum(i => i.Deducted);
        var maximum = terms.Items.Sum(i => i.MaxPoints);
        var score = maximum - total;
        var tier = score >= 80 ? Tier.Good : score >= 60 ? Tier.Pass : Tier.Fail;
        return new AssessmentResult(items, total, score, tier, FeeReduction(contract, total), total > terms.RectificationAbove);
    }

    /// <summary>¥515,136.00 × 1 % × (25 − 20) = ¥25,756.80; nothing at or below 20 points.</summary>
    public static decimal FeeReduction(ContractTerms contract, decimal totalDeduction)
    {
        var terms = contract.Assessment;
        if (totalDeduction <= terms.FreeDeduction)
        {
            return 0m;
        }

        var fee = contract.Amount * terms.FeePercentPerPoint / 100m * (totalDeduction - terms.FreeDeduction);
        return Math.Round(Math.Min(fee, contract.Amount), 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>The thresholds (the free deduction and the rectification limit) a total passed on its way from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static IEnumerable<decimal> ThresholdsCrossed(ContractTerms contract, decimal before, decimal after) =>
        new[] { contract.Assessment.FreeDeduction, contract.Assessment.RectificationAbove }
            .Where(threshold => before <= threshold && after > threshold);
}
