using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Ops.EndToEnd.Tests.Pipeline;

namespace Ops.EndToEnd.Tests;

/// <summary>Severity changes, reopens, waivers and service requests through the three services and the real broker.</summary>
[Order(3)]
public class PolicyPipelineTests
{
    [Test]
    [Order(1)]
    public async Task AGeneralFaultUpgradedPastItsNewDeadline_IsBreachedAtOnce_AndAWaiverTakesTheDeductionBack()
    {
        var (id, _) = await ReportAsync("general", DateTimeOffset.UtcNow.AddHours(-5));
        await EventuallyAsync(async () => (await DeductionsOfAsync(id)).Length == 1, "the response breach is deducted");

        var upgraded = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/severity", new { severity = "severe", reason = "全旗综窗无法出件" });
        Assert.That(upgraded.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await EventuallyAsync(async () => (await DeductionsOfAsync(id)).Length == 2, "the repair breach of the upgrade is deducted");

        var repair = (await DeductionsOfAsync(id)).Single(d => d.GetProperty("clock").GetString() == "repair");
        Assert.That(repair.GetProperty("points").GetDecimal(), Is.EqualTo(2m), "a severe repair breach");
        var waived = await SystemUnderTest.Scoring.Http.PostAsJsonAsync("api/assessment/waivers", new { deduction = repair.GetProperty("id").GetGuid(), reason = "盟级统一平台故障，非乙方责任" });
        Assert.That(waived.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var entries = await DeductionsOfAsync(id);
        Assert.That(entries.Select(e => e.GetProperty("source").GetString()), Is.EquivalentTo(new[] { "breach", "breach", "waiver" }));
        Assert.That(entries.Sum(e => e.GetProperty("points").GetDecimal()), Is.EqualTo(1m));
    }

    [Test]
    [Order(2)]
    public async Task AReopenedFault_ResumesItsRepairClock_AndCountsOnTheDashboard()
    {
        var (id, system) = await ReportAsync("severe", null);
        await EventuallyAsync(async () => (await ClocksAsync(id)).Length == 2, "the clocks start");
        await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/resolve", new { resolution = "已重启服务" });
        await EventuallyAsync(async () => (await ClockAsync(id, "repair")).GetProperty("state").GetString() == "met", "the repair clock is met");

        var reopened = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/reopen", new { reason = "群众反馈仍无法出件" });

        Assert.That(reopened.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await EventuallyAsync(async () => (await ClockAsync(id, "repair")).GetProperty("state").GetString() == "running", "the repair clock resumes");
        var repair = await ClockAsync(id, "repair");
        Assert.That((repair.GetProperty("reopens").GetInt32(), repair.GetProperty("stoppedAt").ValueKind), Is.EqualTo((1, JsonValueKind.Null)));
        await EventuallyAsync(async () => (await DashboardAsync(system)).GetProperty("reopened").GetInt64() == 1, "the dashboard counts the reopen");
        Assert.That(await DeductionsOfAsync(id), Is.Empty);
    }

    [Test]
    [Order(3)]
    public async Task AnUrgentRequestLeftUndone_IsBreachedTwice_AndDeductsFromItem9()
    {
        var (id, system) = await ReportAsync(null, DateTimeOffset.UtcNow.AddHours(-5), grade: "urgent");

        await EventuallyAsync(async () => (await DeductionsOfAsync(id, item: 9)).Length == 2, "two item-9 deductions for the request");

        var deductions = await DeductionsOfAsync(id, item: 9);
        Assert.That(deductions.Select(d => (d.GetProperty("clock").GetString(), d.GetProperty("points").GetDecimal())),
            Is.EquivalentTo(new[] { ("response", 0.5m), ("completion", 1m) }));
        Assert.That(await DeductionsOfAsync(id), Is.Empty, "nothing on item 6, which is for faults");
        var dashboard = await DashboardAsync(system);
        Assert.That((dashboard.GetProperty("requests").GetInt64(), dashboard.GetProperty("faults").GetInt64()), Is.EqualTo((1L, 0L)));
    }

    [Test]
    [Order(4)]
    public async Task AFaultPastHalfItsResponseTime_IsWarnedAtOnce_AndABreachReachesTheWholeChain_OnceEach()
    {
        var (warnedId, _) = await ReportAsync("general", DateTimeOffset.UtcNow.AddMinutes(-20));
        var (breachedId, _) = await ReportAsync("severe", DateTimeOffset.UtcNow.AddHours(-5));
        var warned = await TicketNumberAsync(warnedId);
        var breached = await TicketNumberAsync(breachedId);

        // The on-call engineer's WeCom robot hears from 50 %; the bureau's webhook only of breaches.
        var took = await EventuallyAsync(() => Task.FromResult(WeCom(warned).Any(m => m.Contains("已用 50%", StringComparison.Ordinal))), "the 50 % warning reaches WeCom");
        await EventuallyAsync(() => Task.FromResult(Hook(breached).Length == 2 && WeCom(breached).Length == 2), "both breaches reach WeCom and the webhook");
        await ScannedAfterAsync(DateTimeOffset.UtcNow); // any further warning or breach of these clocks is stored, its notice owed
        await EventuallyAsync(async () => await OwedNoticesAsync() == 0, "the sla-timer tells every notice it owes");

        Assert.That(WeCom(warned), Has.Length.EqualTo(1), "one warning, not yet 80 %, no breach");
        Assert.That(Hook(warned), Is.Empty, "the bureau hears of breaches only");
        Assert.That(WeCom(breached).All(m => m.Contains("超时告警", StringComparison.Ordinal)), Is.True, "a clock breached on arrival is not warned");
        Assert.That(Hook(breached).Select(b => b.GetProperty("breach").GetBoolean()), Is.All.True);
        var failed = await SystemUnderTest.SlaTimer.Http.GetFromJsonAsync<JsonElement>("api/notifications?status=failed");
        Assert.That(failed.GetProperty("total").GetInt64(), Is.EqualTo(0));
        TestContext.Progress.WriteLine($"[measure] report to the 50 % warning at the on-call engineer's robot: {took.TotalMilliseconds:0} ms");
    }

    [Test]
    [Order(5)]
    public async Task APausedRequest_HoldsItsCompletionClock_UntilItResumes()
    {
        var (id, _) = await ReportAsync(null, null, grade: "normal");
        await EventuallyAsync(async () => (await ClocksAsync(id)).Length == 2, "the request's clocks start");

        var paused = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/pause", new { reason = "等待用户提供材料" });
        Assert.That(paused.StatusCode, Is.EqualTo(HttpStatusCode.OK), await paused.Content.ReadAsStringAsync());
        await EventuallyAsync(async () => (await ClockAsync(id, "completion")).GetProperty("state").GetString() == "paused", "the completion clock stands still");
        Assert.That((await ClockAsync(id, "response")).GetProperty("state").GetString(), Is.EqualTo("running"), "answering is not paused");

        var resumed = await SystemUnderTest.Tickets.Http.PostAsync($"api/tickets/{id}/resume", null);
        Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await EventuallyAsync(async () => (await ClockAsync(id, "completion")).GetProperty("state").GetString() == "running", "the completion clock runs on");
        Assert.That((await ClockAsync(id, "completion")).GetProperty("calendar").GetString(), Is.EqualTo("working"));
    }

    private static async Task<string> TicketNumberAsync(Guid id) =>
        (await SystemUnderTest.Tickets.Http.GetFromJsonAsync<JsonElement>($"api/tickets/{id}")).GetProperty("number").GetString()!;

    private static JsonElement[] Hook(string ticketNumber) =>
        [.. SystemUnderTest.Escalation.To("/hook").Select(c => c.Body).Where(b => b.GetProperty("clock").GetProperty("ticketNumber").GetString() == ticketNumber)];

    private static string[] WeCom(string ticketNumber) =>
        [.. SystemUnderTest.Escalation.To("/wecom").Select(c => c.Body.GetProperty("markdown").GetProperty("content").GetString()!)
            .Where(m => m.Contains(ticketNumber, StringComparison.Ordinal))];
}
