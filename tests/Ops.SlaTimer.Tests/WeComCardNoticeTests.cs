using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.OnCall;
using Ops.SlaTimer.WeCom;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// A contract with a WeCom app: the on-duty engineer's response notice is the app's card with 确认响应, in place of the
/// robot's message; when the card cannot go (WeCom refuses, the engineer has no UserID) the robot speaks and the log
/// says why; a repair notice, which no button can acknowledge, stays the robot's.
/// </summary>
public class WeComCardNoticeTests : ServiceTests<Program>
{
    private const string Console = "https://ops.example.gov.cn";
    private static readonly DutyEngineer Zhang = new("zhangsan", "张三", "13800000002", WeComUserId: "ZhangSan");
    private static readonly DutyEngineer Li = new("lisi", "李四", "13800000003");

    private readonly FakeDutyRoster roster = new();
    private WebhookReceiver receiver = null!;
    private int sendErrcode;

    private DateTimeOffset Now => Service.Time.GetUtcNow();

    protected override void Configure(ServiceFactory<Program> service)
    {
        // One fixture instance serves every test: start each from nothing.
        sendErrcode = 0;
        roster.Shifts.Clear();
        receiver = WebhookReceiver.StartAsync().GetAwaiter().GetResult();
        receiver.Answer = path => path switch
        {
            "/cgi-bin/gettoken" => Results.Json(new { errcode = 0, errmsg = "ok", access_token = "token-1", expires_in = 7200 }),
            "/cgi-bin/message/send" => Results.Json(new { errcode = sendErrcode, errmsg = sendErrcode == 0 ? "ok" : "refused" }),
            _ => Results.Json(new { errcode = 0, errmsg = "ok" }),
        };
        var levels = "Contracts:OTQ-2026-OPS:Escalation:Levels";
        service.Settings[$"{levels}:0:Name"] = "值班工程师";
        service.Settings[$"{levels}:0:Channel"] = "WeCom";
        service.Settings[$"{levels}:0:Url"] = $"{receiver.BaseAddress}/wecom?key=k1";
        service.Settings[$"{levels}:0:Target"] = "oncall:primary";
        service.Settings[$"{levels}:0:From"] = "50";
        service.Settings["Notifications:RetryDelay"] = "00:00:00.010";
        service.Settings["Console:PublicUrl"] = Console;
        WeComCallbackTests.Configure(service.Settings);
        service.Settings["WeCom:ApiBaseUrl"] = receiver.BaseAddress;
        service.TestServices.Add(services => services.AddSingleton<IDutyRoster>(roster));
        var now = service.Time.GetUtcNow();
        roster.Shifts.Add(new(DutyLayer.Primary, Zhang, now.AddHours(-1), now.AddHours(8)));
    }

    [TearDown]
    public async Task StopReceiver() => await receiver.DisposeAsync();

    private ClockFacts Clock(ClockKind which = ClockKind.Response) => new()
    {
        ClockId = Guid.NewGuid(),
        Clock = which,
        Sequence = 2,
        TicketId = Guid.NewGuid(),
        TicketNumber = "F20261124-0042",
        Contract = "OTQ-2026-OPS",
        Kind = TicketKind.Fault,
        Severity = Severity.Severe,
        SiteCode = "OTQ",
        System = "综合一窗受理平台",
        ReportedAt = Now.AddMinutes(-15),
        Target = TimeSpan.FromMinutes(30),
        StartedAt = Now.AddMinutes(-15),
        Deadline = Now.AddMinutes(15),
        State = ClockState.Running,
    };

    private Task OweAsync(ClockFacts clock, int stage) =>
        Service.Services.GetRequiredService<Database>().WriteAsync(t => Service.Services.GetRequiredService<PendingNotices>().AddAsync(t, clock, stage));

    private async Task<JsonElement> ToldAsync()
    {
        JsonElement[] items = [];
        await EventuallyAsync(async () =>
        {
            items = [.. (await Client.GetFromJsonAsync<JsonElement>("/api/notifications")).GetProperty("items").EnumerateArray()];
            return items.Length == 1 && items[0].GetProperty("status").GetString() != "sending";
        });
        return items[0];
    }

    [Test]
    public async Task TheResponseNotice_IsTheAppsCardToTheEngineerOnDuty_InPlaceOfTheRobot()
    {
        var clock = Clock();
        await OweAsync(clock, 50);
        var told = await ToldAsync();

        var send = receiver.To("/cgi-bin/message/send").Single().Body;
        Assert.That((send.GetProperty("touser").GetString(), send.GetProperty("msgtype").GetString()), Is.EqualTo(("ZhangSan", "template_card")));
        var card = send.GetProperty("template_card");
        Assert.That(WeComCard.ParseTaskId(card.GetProperty("task_id").GetString())?.TicketId, Is.EqualTo(clock.TicketId));
        Assert.That(card.GetProperty("button_list").EnumerateArray().Select(b => b.GetProperty("text").GetString()), Is.EqualTo(new[] { "确认响应", "查看详情" }));
        Assert.That(card.GetProperty("button_list")[1].GetProperty("url").GetString(), Is.EqualTo($"{Console}/tickets/F20261124-0042"));
        Assert.That(receiver.To("/wecom"), Is.Empty, "the card is the engineer's notice: the robot does not say it again");
        Assert.That((told.GetProperty("status").GetString(), told.GetProperty("engineer").GetString()), Is.EqualTo(("sent", "张三")));
        Assert.That(told.GetProperty("reason").GetString(), Does.StartWith("已经企业微信应用卡片发给张三（ack_"));
    }

    [Test]
    public async Task WhenWeComRefusesTheCard_TheRobotMentionsTheEngineer_AndTheLogSaysWhy()
    {
        sendErrcode = 81013;
        await OweAsync(Clock(), 50);
        var told = await ToldAsync();

        Assert.That(receiver.To("/cgi-bin/message/send"), Is.Not.Empty, "the card was tried");
        var robot = receiver.To("/wecom").Single().Body;
        Assert.That(robot.GetProperty("text").GetProperty("mentioned_mobile_list")[0].GetString(), Is.EqualTo(Zhang.Mobile));
        Assert.That(told.GetProperty("status").GetString(), Is.EqualTo("sent"));
        Assert.That(told.GetProperty("reason").GetString(), Does.StartWith("企业微信应用卡片未能发出（").And.Contain("81013").And.EndWith("改由机器人通知"));
    }

    [Test]
    public async Task AnEngineerWithoutAWeComUserId_IsMentionedByTheRobot_AndTheLogSaysWhy()
    {
        roster.Shifts.Add(new(DutyLayer.Primary, Li, Now.AddHours(-1), Now.AddHours(8)));
        await OweAsync(Clock(), 50);
        var told = await ToldAsync();

        Assert.That(receiver.To("/cgi-bin/message/send"), Is.Empty);
        Assert.That(receiver.To("/wecom").Single().Body.GetProperty("text").GetProperty("mentioned_mobile_list")[0].GetString(), Is.EqualTo(Li.Mobile));
        Assert.That((told.GetProperty("engineer").GetString(), told.GetProperty("reason").GetString()), Is.EqualTo(("李四", "李四在值班表中没有企业微信 UserID，改由机器人通知")));
    }

    [Test]
    public async Task ARepairNotice_StaysTheRobots_ForNoButtonAcknowledgesARepair()
    {
        await OweAsync(Clock(ClockKind.Repair), 50);
        var told = await ToldAsync();

        Assert.That(receiver.To("/cgi-bin/message/send"), Is.Empty);
        Assert.That(receiver.To("/wecom"), Has.Count.EqualTo(1));
        Assert.That(told.GetProperty("reason").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }
}
