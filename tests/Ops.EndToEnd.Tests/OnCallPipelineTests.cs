using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Hosting.Security;
using Ops.SlaTimer.WeCom;
using Ops.Testing;
using static Ops.EndToEnd.Tests.Pipeline;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// Notices that name the engineer on duty, through the three services and the real broker: the sla-timer's third
/// level is a WeCom robot that targets <c>oncall:primary</c>, its rota the one a manager saved through the sla-timer's
/// API; the contract's WeCom app sends 王五 (the only engineer with a WeCom UserID) a card, and his press on it over
/// the callback acknowledges the ticket in his name.
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
        // Its 50 % point was a minute ago: 李四 takes over from two minutes ago until just after now. An override
        // never starts more than 5 minutes back, and one that has begun stays: the next test's begins after it ends.
        var now = DateTimeOffset.UtcNow;
        var reportedAt = now.AddMinutes(-16);
        lisiUntil = now.AddSeconds(5);
        await OverrideAsync("lisi", now.AddMinutes(-2), lisiUntil);
        var (id, _) = await ReportAsync("general", reportedAt);
        var number = await NumberAsync(id);

        await EventuallyAsync(() => Task.FromResult(OnCall(number).Length > 0), "the 50 % warning reaches the on-call robot");

        var notice = OnCall(number).Single().GetProperty("text");
        Assert.That(notice.GetProperty("mentioned_mobile_list")[0].GetString(), Is.EqualTo("13800000003"));
        Assert.That(notice.GetProperty("content").GetString(), Does.Contain("值班工程师：李四"));
    }

    [Test]
    [Order(3)]
    public async Task AnAcknowledgement_StopsTheEightyPercentResponseNotice()
    {
        // Half the 30 minutes gone at once, 80 % (24 minutes) eight seconds after the report: time enough for the
        // 50 % warning and the acknowledgement to go round the three services.
        var reportedAt = DateTimeOffset.UtcNow.AddMinutes(-24).AddSeconds(8);
        var eightyPercent = reportedAt.AddMinutes(24);
        var (id, _) = await ReportAsync("general", reportedAt);
        var number = await NumberAsync(id);
        await EventuallyAsync(() => Task.FromResult(OnCall(number).Length == 1), "the 50 % warning reaches the on-call robot");

        var acknowledged = await SystemUnderTest.Tickets.Http.PostAsJsonAsync($"api/tickets/{id}/acknowledge", new { });
        Assert.That(acknowledged.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var took = await EventuallyAsync(async () => (await ClockAsync(id, "response")).GetProperty("state").GetString() == "met", "the response clock is met");
        var left = eightyPercent - DateTimeOffset.UtcNow;
        Assert.That(left, Is.GreaterThan(TimeSpan.Zero), "the sla-timer has the clock met before the 80 % point (a machine this slow needs a later one)");
        TestContext.Progress.WriteLine($"[measure] acknowledgement to its clock met: {took.TotalMilliseconds:0} ms, {left.TotalSeconds:0.0} s before the 80 % point");

        // The positive bound of the negative check: a scan that looked past the 80 % point would have warned a running clock.
        await ScannedAfterAsync(eightyPercent);
        await EventuallyAsync(async () => await OwedNoticesAsync() == 0, "the sla-timer tells every notice it owes");

        var texts = OnCall(number).Select(n => n.GetProperty("text").GetProperty("content").GetString()!).ToList();
        Assert.That(texts, Has.Count.EqualTo(1).And.All.Contain("已用 50%"), "no 80 % warning after the acknowledgement");
    }

    [Test]
    [Order(4)]
    public async Task APressOnTheWeComCard_AcknowledgesTheTicketInTheEngineersName_AndTheSamePressAgainChangesNothing()
    {
        // 王五 (who has a local user) takes over from ten seconds ago, or when 李四's override ends if that is later; the
        // 50 % point a second after he takes over (the scanner warns when it comes, if it is still ahead).
        using var admin = SystemUnderTest.Tickets.Anonymous().As(Roles.Admin, "e2e admin");
        using var created = await admin.PostAsJsonAsync("api/admin/users", new { username = "wangwu", displayName = "王五", role = Roles.Engineer, password = "e2e engineer password" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var now = DateTimeOffset.UtcNow;
        var from = new[] { now.AddSeconds(-10), lisiUntil.AddSeconds(1) }.Max();
        var reportedAt = from.AddSeconds(1).AddMinutes(-15);
        await OverrideAsync("wangwu", from, now.AddHours(1));
        var (id, _) = await ReportAsync("general", reportedAt);
        await EventuallyAsync(() => Task.FromResult(Card(id) is not null), "the 50 % warning reaches 王五 as the WeCom app's card");
        var card = Card(id)!.Value;
        Assert.That(card.GetProperty("touser").GetString(), Is.EqualTo("WangWu"));
        var taskId = card.GetProperty("template_card").GetProperty("task_id").GetString()!;

        var pressedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var pressed = await SystemUnderTest.SlaTimer.Anonymous().SendAsync(Press(taskId, pressedAt));
        Assert.That(pressed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await pressed.Content.ReadAsStringAsync());
        var reply = WeComXml.Parse(SystemUnderTest.WeCom.Decrypt(WeComXml.Parse(await pressed.Content.ReadAsStringAsync())!["Encrypt"]!))!;
        Assert.That((reply["MsgType"], reply["Button"]), Is.EqualTo(("update_button", "已确认 by 王五")));

        await EventuallyAsync(async () => (await TicketAsync(id)).GetProperty("status").GetString() == "acknowledged", "the press acknowledges the ticket");
        var ticket = await TicketAsync(id);
        Assert.That((ticket.GetProperty("acknowledgedBy").GetString(), ticket.GetProperty("acknowledgedById").GetString()), Is.EqualTo(("王五", "user:wangwu")));
        Assert.That(ticket.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "acknowledged").GetProperty("detail").GetString(), Is.EqualTo("经企业微信"));
        await EventuallyAsync(async () => (await ClockAsync(id, "response")).GetProperty("state").GetString() == "met", "the sla-timer hears of it: the response clock is met");

        using var again = await SystemUnderTest.SlaTimer.Anonymous().SendAsync(Press(taskId, pressedAt));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await again.Content.ReadAsStringAsync());
        await ScannedAfterAsync(DateTimeOffset.UtcNow);
        var after = await TicketAsync(id);
        Assert.That(after.GetProperty("version").GetInt64(), Is.EqualTo(ticket.GetProperty("version").GetInt64()), "the same press again changes nothing");
        Assert.That(after.GetProperty("timeline").GetArrayLength(), Is.EqualTo(ticket.GetProperty("timeline").GetArrayLength()));
    }

    /// <summary>When 李四's override (<see cref="AnOverrideAtThatMoment_ChangesWhoIsMentioned"/>) ends: overrides of a layer may not overlap.</summary>
    private static DateTimeOffset lisiUntil = DateTimeOffset.MinValue;

    /// <summary>A manager's override on the primary layer, saved through the sla-timer's API.</summary>
    private static async Task OverrideAsync(string engineer, DateTimeOffset from, DateTimeOffset to)
    {
        using var added = await SystemUnderTest.SlaTimer.Http.PostAsJsonAsync("api/oncall/OTQ-2026-OPS/overrides",
            new { layer = "primary", engineer, from, to, reason = "端到端测试换班" });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
    }

    private static Task<JsonElement> TicketAsync(Guid id) => SystemUnderTest.Tickets.Http.GetFromJsonAsync<JsonElement>($"api/tickets/{id}");

    /// <summary>The card the WeCom app was asked to send for the ticket, if any.</summary>
    private static JsonElement? Card(Guid ticketId) => SystemUnderTest.Escalation.To("/cgi-bin/message/send").Select(c => (JsonElement?)c.Body)
        .FirstOrDefault(b => WeComCard.ParseTaskId(b!.Value.GetProperty("template_card").GetProperty("task_id").GetString())?.TicketId == ticketId);

    /// <summary>王五's press on 确认响应 as WeCom sends it: the event encrypted for the corp, in an envelope, signed in the query.</summary>
    private static HttpRequestMessage Press(string taskId, long createTime)
    {
        var crypto = SystemUnderTest.WeCom;
        var plain = WeComXml.Write(
            ("ToUserName", SystemUnderTest.WeComCorpId), ("FromUserName", "WangWu"), ("CreateTime", createTime), ("MsgType", "event"),
            ("Event", "template_card_event"), ("EventKey", WeComCard.AcknowledgeKey), ("TaskId", taskId), ("CardType", "button_interaction"),
            ("ResponseCode", $"rc-{createTime}"), ("AgentID", SystemUnderTest.WeComAgentId));
        var encrypted = crypto.Encrypt(plain);
        var envelope = WeComXml.Write(("ToUserName", SystemUnderTest.WeComCorpId), ("AgentID", SystemUnderTest.WeComAgentId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Encrypt", encrypted));
        var timestamp = (createTime + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string nonce = "1372623149";
        return new HttpRequestMessage(HttpMethod.Post, $"api/wecom/callback/OTQ-2026-OPS?msg_signature={crypto.Sign(timestamp, nonce, encrypted)}&timestamp={timestamp}&nonce={nonce}")
        {
            Content = new StringContent(envelope, System.Text.Encoding.UTF8, "text/xml"),
        };
    }

    private static async Task<string> NumberAsync(Guid id) =>
        (await SystemUnderTest.Tickets.Http.GetFromJsonAsync<JsonElement>($"api/tickets/{id}")).GetProperty("number").GetString()!;

    private static JsonElement[] OnCall(string number) =>
        [.. SystemUnderTest.Escalation.To("/oncall").Select(c => c.Body).Where(b => b.GetProperty("text").GetProperty("content").GetString()!.Contains(number, StringComparison.Ordinal))];
}
