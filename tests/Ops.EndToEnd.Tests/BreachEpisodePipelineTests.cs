using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Ops.Contracts.Sla;
using static Ops.EndToEnd.Tests.Pipeline;

namespace Ops.EndToEnd.Tests;

/// <summary>A breach taken back by a stop in time that reached the sla-timer late, and the same clock breached again after a reopen.</summary>
[Order(4)]
public class BreachEpisodePipelineTests
{
    [Test]
    public async Task ARepairBreachTakenBack_AndBreachedAgainAfterAReopen_IsDeductedAgain_AndARepeatOfTheSecondBreachChangesNothing()
    {
        // The repair deadline of the general fault is far enough away for tickets to restart before it (twice its first
        // start, which shared the machine with the other two): cut off from the broker, tickets keeps the resolution in
        // its outbox, and the sla-timer breaches the clock meanwhile.
        var margin = TimeSpan.FromSeconds(5) + 2 * SystemUnderTest.Tickets.StartUpTime;
        var (id, _) = await ReportAsync("general", DateTimeOffset.UtcNow.AddHours(-24) + margin);
        await EventuallyAsync(async () => (await ClocksAsync(id)).Length == 2, "the clocks start");
        var deadline = DateTimeOffset.Parse((await ClockAsync(id, "repair")).GetProperty("deadline").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        await SystemUnderTest.Tickets.KillAsync();
        SystemUnderTest.Tickets.Settings["RabbitMq__Port"] = ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await SystemUnderTest.Tickets.StartAsync("database");
            var resolved = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/resolve", new { resolution = "已重启服务" });
            Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resolved.Content.ReadAsStringAsync());
            Assert.That(DateTimeOffset.UtcNow, Is.LessThan(deadline), "resolved in time");
            await EventuallyAsync(async () => (await RepairEntriesAsync(id)).Length == 1, "the repair breach is deducted", margin + TimeSpan.FromSeconds(20));
        }
        finally
        {
            SystemUnderTest.Tickets.Settings.Remove("RabbitMq__Port");
            await SystemUnderTest.Tickets.KillAsync();
            await SystemUnderTest.Tickets.StartAsync();
        }

        await EventuallyAsync(async () => (await RepairEntriesAsync(id)).Length == 2, "the stop in time, arriving late, takes the breach back", TimeSpan.FromSeconds(40));
        Assert.That((await ClockAsync(id, "repair")).GetProperty("state").GetString(), Is.EqualTo("met"));

        // Reopened, the repair clock runs on; upgraded to severe, its deadline (report + 4 h) is long past: it breaches again.
        var reopened = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/reopen", new { reason = "群众反馈仍无法出件" });
        Assert.That(reopened.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reopened.Content.ReadAsStringAsync());
        await EventuallyAsync(async () => (await ClockAsync(id, "repair")).GetProperty("state").GetString() == "running", "the repair clock runs again");
        var upgraded = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/severity", new { severity = "severe", reason = "全旗综窗无法出件" });
        Assert.That(upgraded.StatusCode, Is.EqualTo(HttpStatusCode.OK), await upgraded.Content.ReadAsStringAsync());
        await EventuallyAsync(async () => (await RepairEntriesAsync(id)).Length == 3, "the second breach is deducted");

        var entries = await RepairEntriesAsync(id);
        Assert.That(entries.Select(e => (e.GetProperty("source").GetString(), e.GetProperty("points").GetDecimal())),
            Is.EqualTo(new[] { ("breach", 1m), ("retraction", -1m), ("breach", 2m) }));
        Assert.That(entries[1].GetProperty("compensates").GetGuid(), Is.EqualTo(entries[0].GetProperty("id").GetGuid()));
        Assert.That(entries.Sum(e => e.GetProperty("points").GetDecimal()), Is.EqualTo(2m), "one live breach deduction: the severe repair's");

        var second = SystemUnderTest.Breaches.Where(b => b.Breach.Clock.TicketId == id && b.Breach.Clock.Clock == ClockKind.Repair).ToList();
        Assert.That(second.Select(b => b.Breach.Clock.BreachedAt).Distinct().Count(), Is.EqualTo(2), "two breaches of one clock, each with its moment");
        var recorded = await Item6RecordedAsync();
        await SystemUnderTest.Bus.Publish(second[^1].Breach);
        await EventuallyAsync(() => Task.FromResult(SystemUnderTest.Breaches.Count(b => b.Breach.Clock.TicketId == id && b.Breach.Clock.Clock == ClockKind.Repair) == 3), "the repeat went over the bus");
        await SystemUnderTest.Broker.WaitUntilIdleAsync(TimeSpan.FromSeconds(20));

        Assert.That((await RepairEntriesAsync(id)).Length, Is.EqualTo(3));
        Assert.That(await Item6RecordedAsync(), Is.EqualTo(recorded));
        var chains = await SystemUnderTest.Scoring.Http.GetFromJsonAsync<JsonElement>("api/audit/chains");
        Assert.That(chains.GetProperty("intact").GetBoolean(), Is.True, chains.ToString());
    }

    private static async Task<JsonElement[]> RepairEntriesAsync(Guid ticketId) =>
        [.. (await DeductionsOfAsync(ticketId)).Where(e => e.GetProperty("clock").GetString() == "repair")];

    private static async Task<decimal> Item6RecordedAsync() =>
        (await AssessmentAsync()).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetInt32() == 6).GetProperty("recorded").GetDecimal();

    /// <summary>A port nothing listens on: a service given it as the broker's stays cut off from the broker.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
