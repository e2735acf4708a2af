using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Scoring.Assessment;

namespace Ops.Scoring.Tests;

/// <summary>The contract's arithmetic: item caps, score, tier, the fee reduction and rectification.</summary>
public class AssessmentCalculatorTests
{
    [Test]
    public void TheSeedContract_HasFifteenItems_Worth100Points_And515136Yuan()
    {
        var terms = Seed.Terms;

        Assert.That(terms.Assessment.Items, Has.Count.EqualTo(15));
        Assert.That(terms.Assessment.Items.Sum(i => i.MaxPoints), Is.EqualTo(100m));
        Assert.That(terms.Amount, Is.EqualTo(515136.00m));
        Assert.That(terms.Period.From, Is.EqualTo(new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.FromHours(8))));
        Assert.That(terms.Period.To, Is.EqualTo(new DateTimeOffset(2027, 2, 28, 0, 0, 0, TimeSpan.FromHours(8))));
    }

    [TestCase(0, 0)]
    [TestCase(20, 0)]
    [TestCase(20.01, 51.51)] // 515,136 × 1 % × 0.01 = 51.5136 → 51.51
    [TestCase(21, 5151.36)]
    [TestCase(25, 25756.80)]
    [TestCase(41, 108178.56)]
    [TestCase(100, 412108.80)]
    public void TheFeeReduction_IsOnePercentOfTheAmount_PerPointAbove20(decimal totalDeduction, decimal yuan)
    {
        Assert.That(AssessmentCalculator.FeeReduction(Seed.Terms, totalDeduction), Is.EqualTo(yuan));
    }

    [TestCase(20, 80, Tier.Good, "良好")]
    [TestCase(20.5, 79.5, Tier.Pass, "合格")]
    [TestCase(40, 60, Tier.Pass, "合格")]
    [TestCase(40.01, 59.99, Tier.Fail, "不合格")]
    public void TheScore_Is100LessTheDeductions_AndItsTierFollowsTheContract(decimal deducted, decimal score, Tier tier, string tierName)
    {
        // Spread over items 4–7 and 14 (10 points each) so that no cap interferes.
        var byItem = new Dictionary<int, decimal>();
        var left = deducted;
        foreach (var item in new[] { 4, 5, 6, 7, 14 })
        {
            byItem[item] = Math.Min(10, left);
            left -= byItem[item];
        }

        var result = AssessmentCalculator.Compute(Seed.Terms, byItem);

        Assert.That(result.TotalDeduction, Is.EqualTo(deducted));
        Assert.That(result.Score, Is.EqualTo(score));
        Assert.That((result.Tier, result.TierName), Is.EqualTo((tier, tierName)));
    }

    [Test]
    public void AnItem_NeverLosesMoreThanItsMaximum_NorLessThanNothing()
    {
        var result = AssessmentCalculator.Compute(Seed.Terms, new Dictionary<int, decimal> { [6] = 24, [8] = -3, [9] = 2 });

        var item6 = result.Items.Single(i => i.Item == 6);
        Assert.That((item6.Recorded, item6.Deducted), Is.EqualTo((24m, 10m)));
        Assert.That(result.Items.Single(i => i.Item == 8).Deducted, Is.EqualTo(0m));
        Assert.That(result.TotalDeduction, Is.EqualTo(12m));
        Assert.That(result.Score, Is.EqualTo(88m));
    }

    [TestCase(40, false)]
    [TestCase(40.01, true)]
    public void Rectification_IsRequired_OnlyAbove40Points(decimal deducted, bool required)
    {
        var byItem = new Dictionary<int, decimal> { [4] = 10, [5] = 10, [6] = 10, [7] = 10, [14] = deducted - 40 };

        Assert.That(AssessmentCalculator.Compute(Seed.Terms, byItem).RectificationRequired, Is.EqualTo(required));
    }

    [TestCase(19, 21, new[] { 20.0 })]
    [TestCase(20, 20.5, new[] { 20.0 })]
    [TestCase(19, 41, new[] { 20.0, 40.0 })]
    [TestCase(21, 22, new double[0])]
    [TestCase(41, 39, new double[0])]
    public void AThresholdIsCrossed_OnlyOnTheWayUpPastIt(decimal before, decimal after, double[] crossed)
    {
        Assert.That(AssessmentCalculator.ThresholdsCrossed(Seed.Terms, before, after), Is.EqualTo(crossed.Select(c => (decimal)c)));
    }

    [TestCase(ClockKind.Response, Severity.General, 1)]
    [TestCase(ClockKind.Response, Severity.Severe, 1)]
    [TestCase(ClockKind.Repair, Severity.General, 1)]
    [TestCase(ClockKind.Repair, Severity.Severe, 2)]
    public void ABreach_CostsWhatTheMostSpecificRuleSays_OnItem6(ClockKind clock, Severity severity, decimal points)
    {
        var rule = DeductionRule.For(Seed.Terms.Assessment.DeductionRules, TicketKind.Fault, clock, severity);

        Assert.That((rule?.Item, rule?.Points), Is.EqualTo(((int?)6, (decimal?)points)));
    }

    [TestCase(ClockKind.Response, 0.5)]
    [TestCase(ClockKind.Completion, 1)]
    public void ALateServiceRequest_CostsPointsOnItem9(ClockKind clock, decimal points)
    {
        var rule = DeductionRule.For(Seed.Terms.Assessment.DeductionRules, TicketKind.Request, clock, Severity.General);

        Assert.That((rule?.Item, rule?.Points), Is.EqualTo(((int?)9, (decimal?)points)));
        Assert.That(DeductionRule.For(Seed.Terms.Assessment.DeductionRules, TicketKind.Request, ClockKind.Repair, Severity.General), Is.Null,
            "the fault rules do not apply to requests");
    }

    [Test]
    public void ARuleNamingTheSeverity_WinsOverOneThatDoesNot_WhateverTheirOrder()
    {
        DeductionRule[] rules =
        [
            new() { Clock = ClockKind.Repair, Item = 11, Points = 1 },
            new() { Clock = ClockKind.Repair, Severity = Severity.Severe, Item = 6, Points = 3 },
        ];

        Assert.That(DeductionRule.For(rules, TicketKind.Fault, ClockKind.Repair, Severity.Severe)?.Points, Is.EqualTo(3m));
        Assert.That(DeductionRule.For(rules, TicketKind.Fault, ClockKind.Repair, Severity.General)?.Item, Is.EqualTo(11));
        Assert.That(DeductionRule.For(rules, TicketKind.Fault, ClockKind.Response, Severity.General), Is.Null);
    }
}
