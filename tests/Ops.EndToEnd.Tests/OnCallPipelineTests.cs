using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Ops.EndToEnd.Tests.Pipeline;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// Notices that name the engineer on duty, through the three services and the real broker: the sla-timer's third
/// level is a WeCom robot that targets <c>oncall:primary</c>, its rota the file the test writes.
/// </summary>
[Order(5)]
[NonParallelizable]
public class OnCallPipelineTests
{
    [Test]
    [Order(1)]
    public async Task AFaultReported16MinutesAgo_MentionsThePrimaryOnDuty_InOneNoticeWithTheConsoleLink()
    {
        var (id, _) = await ReportAsync("general", DateTimeOffset.UtcNow.AddMinutes(-16));
        var number = await NumberAsync(id);

        await EventuallyAsync(() => Task.FromResult(OnCall(number).Length > 0), "the 50 % warning reaches the on-call robot");
        await ScannedAfterAsync(DateTimeOffset.UtcNow);
        await EventuallyAsync(async () => await OwedNoticesAsync() == 0, "the sla-timer tells every notice it owes");

        var notice = OnCall(number).Single().GetProperty("text");
        Assert.That(notice.GetProperty("mentioned_mobile_list").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "13800000002" }));
        Assert.That(notice.GetProperty("content").GetString(), Does.Contain($"{SystemUnderTest.ConsoleUrl}/tickets/{number}").And.Contain("值班工程师：张三").And.Contain("端到端测试故障"));
    }

    [Test]
    [Order(2)]
    public async Task AnOverrideAtThatMoment_ChangesWhoIsMentioned()
    {
        var reportedAt = DateTimeOffset.UtcNow.AddMinutes(-16);
        object[] overridden = [.. SystemUnderTest.Rota, new { layer = "primary", id = "lisi", name = "李四", mobile = "13800000003", from = reportedAt, to = DateTimeOffset.UtcNow.AddHours(1) }];
        await File.WriteAllTextAsync(SystemUnderTest.RotaFile, JsonSerializer.Serialize(overridden));
        try
        {
            var (id, _) = await ReportAsync("general", reportedAt);
            var number = await NumberAsync(id);

            await EventuallyAsync(() => Task.FromResult(OnCall(number).Length > 0), "the 50 % warning reaches the on-call robot");

            var notice = OnCall(number).Single().GetProperty("text");
            Assert.That(notice.GetProperty("mentioned_mobile_list")[0].GetString(), Is.EqualTo("13800000003"));
            Assert.That(notice.GetProperty("content").GetString(), Does.Contain("值班工程师：李四"));
        }
        finally
        {
            await File.WriteAllTextAsync(SystemUnderTest.RotaFile, JsonSerializer.Serialize(SystemUnderTest.Rota));
        }
    }

    [Test]
    [Order(3)]
    public async Task AnAcknowledgement_StopsTheEightyPercentResponseNotice()
    {
        // Half the 30 minutes gone at once, 80 % (24 minutes) in half a minute.
        var reportedAt = DateTimeOffset.UtcNow.AddMinutes(-23.5);
        var (id, _) = await ReportAsync("general", reportedAt);
        var number = await NumberAsync(id);
        await EventuallyAsync(() => Task.FromResult(OnCall(number).Length == 1), "the 50 % warning reaches the on-call robot");

        var acknowledged = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/acknowledge", new { });
        Assert.That(acknowledged.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await EventuallyAsync(async () => (await ClockAsync(id, "response")).GetProperty("state").GetString() == "met", "the response clock is met");
        await UntilAsync(reportedAt.AddMinutes(24).AddSeconds(1));
        await ScannedAfterAsync(reportedAt.AddMinutes(24).AddSeconds(1));
        await EventuallyAsync(async () => await OwedNoticesAsync() == 0, "the sla-timer tells every notice it owes");

        var texts = OnCall(number).Select(n => n.GetProperty("text").GetProperty("content").GetString()!).ToList();
        Assert.That(texts, Has.Count.EqualTo(1).And.All.Contain("已用 50%"), "no 80 % warning after the acknowledgement");
    }

    private static async Task<string> NumberAsync(Guid id) =>
        (await SystemUnderTest.Tickets.Http.GetFromJsonAsync<JsonElement>($"api/tickets/{id}")).GetProperty("number").GetString()!;

    private static JsonElement[] OnCall(string number) =>
        [.. SystemUnderTest.Escalation.To("/oncall").Select(c => c.Body).Where(b => b.GetProperty("text").GetProperty("content").GetString()!.Contains(number, StringComparison.Ordinal))];
}
