using System.Net;
using Ops.Testing;
using static Ops.Faults.Tests.Storage.StorageFaultSystem;

namespace Ops.Faults.Tests.Storage;

/// <summary>
/// Another connection holds a store with <c>BEGIN EXCLUSIVE</c> for 10 s: first scoring's, while the events of accepted
/// reports come to it, then the tickets service's. The same holds as for a full disk: a 503 that says why, readiness
/// says why, nothing half-written, and everything goes on once the lock is let go.
/// </summary>
public class LockedStoreTests
{
    private static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(10);

    [Test]
    public async Task AStoreLockedFor10s_Refuses503_LosesNothing_AndGoesOnOnceReleased()
    {
        var ticketsBefore = await CountAsync(Tickets, "SELECT COUNT(*) FROM tickets");
        var errorsBefore = await ErrorQueueMessagesAsync();
        var accepted = new List<string>();

        Step("locked store: start");
        var scoringLock = await StoreLock.TakeAsync(DatabaseFile(Scoring), LockDuration);
        await using (scoringLock)
        {
            accepted.AddRange(await ReportAcceptedAsync(5));

            await Eventually.HoldsAsync(async () => (await DatabaseReadinessAsync(Scoring)).Status == "Degraded", TimeSpan.FromSeconds(15));
            Assert.That((await DatabaseReadinessAsync(Scoring)).Description, Does.Contain("locked").And.Contain("SQLITE_BUSY"));

            Step("locked store: scoring says it is locked");
            var ticketsLock = await StoreLock.TakeAsync(DatabaseFile(Tickets), LockDuration);
            await using (ticketsLock)
            {
                var refused = await ReportAsync();

                await Problems.AssertAsync(refused, HttpStatusCode.ServiceUnavailable);
                Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
                var (title, detail) = await Problems.TextAsync(refused);
                Assert.That(title, Is.EqualTo("数据库暂时无法保存，请稍后重试。"));
                Assert.That(detail, Does.Contain("锁定").And.Contain("没有保存任何内容"));
                var readiness = await DatabaseReadinessAsync(Tickets);
                Assert.That(readiness.Status, Is.EqualTo("Degraded"));
                Assert.That(readiness.Description, Does.Contain("refuses writes").And.Contain("locked").And.Contain("SQLITE_BUSY"));
                Assert.That(await CountAsync(Tickets, "SELECT COUNT(*) FROM tickets"), Is.EqualTo(ticketsBefore + accepted.Count), "nothing of a refused report");

                Step("locked store: tickets refuses and says why");
                await scoringLock.ReleaseAsync();
                await ticketsLock.ReleaseAsync();
            }
        }

        Step("locked store: released");
        // Readiness says so before anything is written: the tickets service has nothing to write until the next report.
        await Eventually.HoldsAsync(async () => (await DatabaseReadinessAsync(Tickets)).Status == "Healthy", TimeSpan.FromSeconds(15));
        Assert.That(await CountAsync(Tickets, "SELECT COUNT(*) FROM tickets"), Is.EqualTo(ticketsBefore + accepted.Count), "by a write of no ticket");
        accepted.AddRange(await ReportAcceptedAsync(5));

        Step("locked store: accepted again");
        await AssertEverythingWentOnAsync(ticketsBefore, accepted, errorsBefore);
        Step("locked store: everything went on");
    }
}
