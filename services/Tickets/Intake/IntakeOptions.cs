using System.ComponentModel.DataAnnotations;

namespace Ops.Tickets.Intake;

/// <summary>How far a channel may place <c>reportedAt</c> away from the server's clock.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>A report older than this is refused: a call logged a week ago is not a new fault.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaxReportAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A report this far ahead of the server's clock is accepted (the channel's clock may run fast), no further.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(2);
}
