using System.ComponentModel.DataAnnotations;

namespace Ops.Scoring.Reports;

/// <summary>The report schedule's settings (section <c>Reports</c>).</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>Whether this instance generates the ended periods' reports by itself; reports on demand work either way.</summary>
    public bool Schedule { get; set; } = true;

    /// <summary>
    /// How long after start the first run waits, so the events published while scoring was down (breaches, stops) are
    /// consumed before a missed period's report is made from them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StartDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long after a period ends each run generates its report again, storing a new version only when the figures
    /// changed: events that arrive late (a service that was down, a backlog) still reach the closed period's newest version.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "92.00:00:00")]
    public TimeSpan Recheck { get; set; } = TimeSpan.FromDays(7);
}
