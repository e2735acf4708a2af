using System.Diagnostics.Metrics;
using Ops.SlaTimer.Clocks;

namespace Ops.SlaTimer.Notifications;

/// <summary><c>ops_notices_failed_total</c>: notices to the escalation chain, and hand-over notices, that nobody received.</summary>
public sealed class NoticeMetrics
{
    private readonly Counter<long> failed;

    public NoticeMetrics(IMeterFactory meters) =>
        failed = meters.Create(ClockMetrics.Meter).CreateCounter<long>("ops.notices.failed", "{notice}",
            "Notices recorded as failed: every call to the robot failed, or the rota named nobody and no level was left to tell.");

    public void Failed() => failed.Add(1);
}
