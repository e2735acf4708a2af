using System.Net;
using Ops.Testing;
using static Ops.Faults.Tests.Storage.StorageFaultSystem;

namespace Ops.Faults.Tests.Storage;

/// <summary>
/// The data disks fill up: first the consumers' (sla-timer, scoring) while reports are accepted, then the tickets
/// service's. Reports get a 503 that says why, readiness says why, nothing is half-written, and once space is freed
/// everything goes on without a restart: what got a 201 reaches scoring, once.
/// </summary>
public class FullDiskTests
{
    /// <summary>How long the consumers' disk stays full after the first event found it so: longer than any retry that gives up.</summary>
    private static readonly TimeSpan FaultDuration = TimeSpan.FromSeconds(10);

    [Test]
    public async Task ADiskThatFillsUp_Refuses503_LosesNothing_AndGoesOnOnceFreed()
    {
        if (Disks.Values.FirstOrDefault(d => d.Refusal is not null) is { } plain)
        {
            Assert.Ignore($"No size-limited tmpfs for the data directories: {plain.Refusal}");
        }

        var ticketsBefore = await CountAsync(Tickets, "SELECT COUNT(*) FROM tickets");
        var errorsBefore = await ErrorQueueMessagesAsync();
        var accepted = new List<string>();

        try
        {
            // The consumers' disks are full while events of accepted reports come to them.
            Step("full disk: start");
            Disks[SlaTimer].Fill();
            Disks[Scoring].Fill();
            accepted.AddRange(await ReportAcceptedAsync(5));

            Step("full disk: 5 reports accepted");
            await Eventually.HoldsAsync(async () => (await DatabaseReadinessAsync(SlaTimer)).Status == "Degraded", TimeSpan.FromSeconds(15));
            var fault = Task.Delay(FaultDuration);
            Assert.That((await DatabaseReadinessAsync(SlaTimer)).Description, Does.Contain("the disk is full").And.Contain("SQLITE_FULL"));

            // Then the tickets service's disk: the next reports are refused whole.
            Step("full disk: the sla-timer says its disk is full");
            Disks[Tickets].Fill();
            HttpResponseMessage refused;
            var tries = 0;
            while ((refused = await ReportAsync()).StatusCode == HttpStatusCode.Created && ++tries < 20)
            {
                accepted.Add(await IdOfAsync(refused)); // the log's last allocated page may still take one
            }

            await Problems.AssertAsync(refused, HttpStatusCode.ServiceUnavailable);
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            var (title, detail) = await Problems.TextAsync(refused);
            Assert.That(title, Is.EqualTo("数据库暂时无法保存，请稍后重试。"));
            Assert.That(detail, Does.Contain("磁盘已满").And.Contain("没有保存任何内容"));
            for (var i = 0; i < 3; i++)
            {
                Assert.That((await ReportAsync()).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            }

            Step("full disk: tickets refuses");
            var readiness = await DatabaseReadinessAsync(Tickets);
            Assert.That(readiness.Status, Is.EqualTo("Degraded"));
            Assert.That(readiness.Description, Does.Contain("refuses writes").And.Contain("the disk is full").And.Contain("SQLITE_FULL"));
            Assert.That(await CountAsync(Tickets, "SELECT COUNT(*) FROM tickets"), Is.EqualTo(ticketsBefore + accepted.Count), "nothing of a refused report");

            Step("full disk: tickets says why");
            await fault;
        }
        finally
        {
            foreach (var disk in Disks.Values)
            {
                disk.Free();
            }
        }

        Step("full disk: freed");
        // Readiness says so before anything is written: the tickets service has nothing to write until the next report.
        await Eventually.HoldsAsync(async () => (await DatabaseReadinessAsync(Tickets)).Status == "Healthy", TimeSpan.FromSeconds(15));
        Assert.That(await CountAsync(Tickets, "SELECT COUNT(*) FROM tickets"), Is.EqualTo(ticketsBefore + accepted.Count), "by a write of no ticket");
        accepted.AddRange(await ReportAcceptedAsync(5));

        Step("full disk: accepted again");
        await AssertEverythingWentOnAsync(ticketsBefore, accepted, errorsBefore);
        Step("full disk: everything went on");
    }
}
