using System.Diagnostics.Metrics;
using System.Globalization;

namespace Ops.Scoring.Ledger;

/// <summary><c>ops_deduction_points_total{contract,item}</c>: the points the ledger deducted, for breaches and by hand.</summary>
public sealed class LedgerMetrics
{
    /// <summary>The scoring service's meter.</summary>
    public const string Meter = "Ops.Scoring";

    private readonly Counter<double> points;

    public LedgerMetrics(IMeterFactory meters) =>
        points = meters.Create(Meter).CreateCounter<double>("ops.deduction.points", "{point}",
            "Points deducted in the ledger, by contract and assessment item; waivers and retractions are entries of their own and do not lower it.");

    /// <summary>Counts a stored deduction (an entry that takes points; compensating entries give them back and are not counted).</summary>
    public void Deducted(Deduction entry)
    {
        if (entry.PointsHundredths > 0)
        {
            points.Add((double)entry.Points,
                new KeyValuePair<string, object?>("contract", entry.Contract),
                new KeyValuePair<string, object?>("item", entry.Item.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
