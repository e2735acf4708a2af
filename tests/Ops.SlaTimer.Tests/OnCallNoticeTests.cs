using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.OnCall;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// Levels that target the rota: the engineer on duty when the stage is reached is @-mentioned (WeCom robot text,
/// DingTalk at.atMobiles, a webhook's engineer), every notice links to the ticket in the console, an empty rota
/// passes the notice on to the next level, an acknowledgement quiets the response notices, and the incoming
/// engineer hears of the open tickets before a hand-over.
/// </summary>
public class OnCallNoticeTests : ServiceTests<Program>
{
    private const string Console = "https://ops.example.gov.cn";
    private static readonly DutyEngineer Wang = new("wangwu", "王五", "13800000001");
    private static readonly DutyEngineer Zhang = new("zhangsan", "张三", "13800000002", WeComUserId: "ZhangSan");
    private static readonly DutyEngineer Li = new("lisi", "李四", "13800000003");
    private static readonly DutyEngineer Zhao = new("zhaoliu", "赵六", "13800000004");

    private readonly FakeDutyRoster roster = new();
    private WebhookReceiver receiver = null!;

    private DateTimeOffset Now => Service.Time.GetUtcNow();

    protected override void Configure(ServiceFactory<Program> service)
    {
        receiver = WebhookReceiver.StartAsync().GetAwaiter().GetResult();
        var levels = "Contracts:OTQ-2026-OPS:Escalation:Levels";
        service.Settings[$"{levels}:0:Name"] = "值班工程师";
        service.Settings[$"{levels}:0:Channel"] = "WeCom";
        service.Settings[$"{levels}:0:Url"] = $"{receiver.BaseAddress}/wecom?key=k1";
        service.Settings[$"{levels}:0:Target"] = "oncall:primary";
        service.Settings[$"{levels}:0:From"] = "50";
        service.Settings[$"{levels}:1:Name"] = "二线工程师";
        service.Settings[$"{levels}:1:Channel"] = "DingTalk";
        service.Settings[$"{levels}:1:Url"] = $"{receiver.BaseAddress}/dingtalk?access_token=t1";
        service.Settings[$"{levels}:1:Target"] = "oncall:secondary";
        service.Settings[$"{levels}:1:From"] = "80";
        service.Settings[$"{levels}:2:Name"] = "值班系统";
        service.Settings[$"{levels}:2:Channel"] = "Webhook";
        service.Settings[$"{levels}:2:Url"] = $"{receiver.BaseAddress}/hook";
        service.Settings[$"{levels}:2:Target"] = "oncall:primary";
        service.Settings["Notifications:RetryDelay"] = "00:00:00.010";
        service.Settings["Console:PublicUrl"] = Console;
        service.TestServices.Add(services => services.AddSingleton<IDutyRoster>(roster));

        // Now (02:00 UTC) 张三 is the primary; 王五 was before, 李四 comes at 02:05; 赵六 is the secondary all along.
        var now = service.Time.GetUtcNow();
        roster.Shifts.Clear(); // the fixture's roster outlives a test: none of an earlier test's shifts or overrides
        roster.Shifts.Add(new(DutyLayer.Primary, Wang, now.AddHours(-1), now.AddMinutes(-10)));
        roster.Shifts.Add(new(DutyLayer.Primary, Zhang, now.AddMinutes(-10), now.AddMinutes(5)));
        roster.Shifts.Add(new(DutyLayer.Primary, Li, now.AddMinutes(5), now.AddHours(8)));
        roster.Shifts.Add(new(DutyLayer.Secondary, Zhao, now.AddHours(-1), now.AddHours(8)));
    }

    [TearDown]
    public async Task StopReceiver() => await receiver.DisposeAsync();

    /// <summary>A severe fault's response clock reported 15 minutes ago: half its 30 minutes used now, 80 % in 9 minutes, breached in 15.</summary>
    private ClockFacts Clock(ClockKind which = ClockKind.Response, Guid? id = null) => new()
    {
        ClockId = id ?? Guid.NewGuid(),
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

    private async Task<JsonElement[]> NotificationsAsync() =>
        [.. (await Client.GetFromJsonAsync<JsonElement>("/api/notifications")).GetProperty("items").EnumerateArray()];

    private async Task SettledAsync(int notices) =>
        await EventuallyAsync(async () =>
        {
            var items = await NotificationsAsync();
            return items.Length == notices && items.All(n => n.GetProperty("status").GetString() != "sending");
        });

    private JsonElement Of(JsonElement[] notices, string level) => notices.Single(n => n.GetProperty("level").GetString() == level);

    [Test]
    public async Task AWarning_MentionsThePrimaryOnDutyWhenTheStageIsReached_InAWeComTextWithTheConsoleLink()
    {
        await OweAsync(Clock(), 50);
        await SettledAsync(1);

        var call = receiver.To("/wecom").Single().Body;
        Assert.That(call.GetProperty("msgtype").GetString(), Is.EqualTo("text"), "a robot's markdown cannot @-mention by mobile");
        var text = call.GetProperty("text");
        Assert.That(text.GetProperty("mentioned_mobile_list").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { Zhang.Mobile }),
            "张三 is on duty at the 50 % point, not 王五 who was when the fault was reported");
        Assert.That(text.GetProperty("mentioned_list").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "ZhangSan" }));
        Assert.That(text.GetProperty("content").GetString(), Does.Contain("【超时预警】F20261124-0042")
            .And.Contain("站点：OTQ　系统：综合一窗受理平台　严重故障")
            .And.Contain("响应时限已用 50%，截止 2026-11-24 10:15（北京时间），还剩 15分钟")
            .And.Contain("值班工程师：张三")
            .And.Contain($"{Console}/tickets/F20261124-0042"));
        var told = (await NotificationsAsync()).Single();
        Assert.That((told.GetProperty("status").GetString(), told.GetProperty("engineer").GetString()), Is.EqualTo(("sent", "张三")));
        Assert.That(told.GetRawText(), Does.Not.Contain(Zhang.Mobile), "the notice log names the engineer, never their mobile");
    }

    [Test]
    public async Task TheEightyPercentWarning_NamesWhoIsOnDutyAtThatPoint_AndDingTalkAtsTheSecondary()
    {
        await OweAsync(Clock(), 80); // 80 % falls at 02:09, after the 02:05 hand-over: 李四's, though 张三 is on duty as it is written
        await SettledAsync(2);

        Assert.That(receiver.To("/wecom").Single().Body.GetProperty("text").GetProperty("mentioned_mobile_list")[0].GetString(), Is.EqualTo(Li.Mobile));
        var dingtalk = receiver.To("/dingtalk").Single().Body;
        Assert.That(dingtalk.GetProperty("msgtype").GetString(), Is.EqualTo("markdown"));
        Assert.That(dingtalk.GetProperty("at").GetProperty("atMobiles").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { Zhao.Mobile }));
        Assert.That(dingtalk.GetProperty("at").GetProperty("isAtAll").GetBoolean(), Is.False);
        Assert.That(dingtalk.GetProperty("markdown").GetProperty("text").GetString(), Does.Contain($"@{Zhao.Mobile}").And.Contain($"[查看并确认响应]({Console}/tickets/F20261124-0042)"));
    }

    [Test]
    public async Task ABreach_ToAPlainWebhook_CarriesTheEngineersNameAndMobile_AndTheLink()
    {
        await OweAsync(Clock() with { State = ClockState.Breached }, 100);
        await SettledAsync(3);

        var hook = receiver.To("/hook").Single().Body;
        Assert.That((hook.GetProperty("engineer").GetProperty("name").GetString(), hook.GetProperty("engineer").GetProperty("mobile").GetString()), Is.EqualTo(("李四", Li.Mobile)));
        Assert.That(hook.GetProperty("link").GetString(), Is.EqualTo($"{Console}/tickets/F20261124-0042"));
        Assert.That(hook.GetProperty("text").GetString(), Does.Contain("响应时限已于 2026-11-24 10:15 超时（北京时间）"));
    }

    [Test]
    public async Task WhenTheRotaNamesNoPrimary_TheNextLevelIsTold_AndTheLogSaysWhy()
    {
        roster.Shifts.RemoveAll(s => s.Layer == DutyLayer.Primary);

        await OweAsync(Clock(), 50);
        await SettledAsync(2);

        var notices = await NotificationsAsync();
        var skipped = Of(notices, "值班工程师");
        Assert.That(skipped.GetProperty("status").GetString(), Is.EqualTo("skipped"));
        Assert.That(skipped.GetProperty("reason").GetString(), Is.EqualTo("2026-11-24 10:00（北京时间）值班表主班无人值班，已转告下一级“二线工程师”"));
        var passedOn = Of(notices, "二线工程师");
        Assert.That((passedOn.GetProperty("status").GetString(), passedOn.GetProperty("stage").GetInt32()), Is.EqualTo(("sent", 50)), "told at 50 %, before its own stage");
        Assert.That(passedOn.GetProperty("reason").GetString(), Does.StartWith("代“值班工程师”："));
        Assert.That(receiver.To("/dingtalk").Single().Body.GetProperty("at").GetProperty("atMobiles")[0].GetString(), Is.EqualTo(Zhao.Mobile));
        Assert.That(receiver.To("/wecom"), Is.Empty);
    }

    [Test]
    public async Task WhenTheRotaNamesNobodyAtAll_TheBreachIsRecordedAsFailed_NeverSilentlyDropped()
    {
        roster.Shifts.Clear();

        await OweAsync(Clock() with { State = ClockState.Breached }, 100);
        await SettledAsync(3);

        var notices = await NotificationsAsync();
        Assert.That(notices.Select(n => (n.GetProperty("level").GetString(), n.GetProperty("status").GetString())),
            Is.EquivalentTo(new[] { ("值班工程师", "skipped"), ("二线工程师", "skipped"), ("值班系统", "failed") }));
        Assert.That(Of(notices, "值班系统").GetProperty("error").GetString(), Does.Contain("主班无人值班").And.Contain("没有下一级"));
        Assert.That(receiver.Calls, Is.Empty);
    }

    [Test]
    public async Task OnceAcknowledged_NoResponseWarningIsSent_EvenOneOwedBefore_ButTheBreachAndRepairNoticesGoOn()
    {
        var ticket = Tickets.Fault(Severity.Severe, Now.AddMinutes(-10)) with { Number = "F20261124-0077" };
        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        await Service.Harness.Bus.Publish(new TicketAcknowledged(ticket.Acknowledged(Now), "张三", Now));
        JsonElement[] clocks = [];
        await EventuallyAsync(async () =>
        {
            var response = await Client.GetAsync($"/api/tickets/{ticket.TicketId}/clocks");
            clocks = response.IsSuccessStatusCode ? [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()] : [];
            return clocks.Any(c => c.GetProperty("clock").GetString() == "response" && c.GetProperty("state").GetString() == "met");
        });
        Guid IdOf(string clock) => clocks.Single(c => c.GetProperty("clock").GetString() == clock).GetProperty("id").GetGuid();

        await OweAsync(Clock(ClockKind.Response, IdOf("response")) with { TicketNumber = ticket.Number }, 80);
        await OweAsync(Clock(ClockKind.Repair, IdOf("repair")) with { TicketNumber = ticket.Number, Target = TimeSpan.FromHours(4), Deadline = Now.AddHours(4) }, 50);
        await OweAsync(Clock(ClockKind.Response, IdOf("response")) with { TicketNumber = ticket.Number, State = ClockState.Breached }, 100);
        await SettledAsync(4);
        await EventuallyAsync(async () => (await Service.Services.GetRequiredService<PendingNotices>().NextAsync(1)).Count == 0);

        Assert.That((await NotificationsAsync()).Select(n => (n.GetProperty("clock").GetString(), n.GetProperty("stage").GetInt32())),
            Is.EquivalentTo(new[] { ("repair", 50), ("response", 100), ("response", 100), ("response", 100) }), "a breach is still told to every level");
        Assert.That(receiver.Calls.Select(c => c.Text), Has.None.Contains("响应时限已用"));
        var told = receiver.To("/wecom").Select(c => c.Body.GetProperty("text").GetProperty("content").GetString()).ToList();
        Assert.That(told.Where(t => t!.Contains("修复时限已用 50%")).ToList(), Has.Count.EqualTo(1).And.All.Contain("综窗无法出件"), "the title, from the report, is in the notice");
        Assert.That(told.Where(t => t!.Contains("响应时限已于")).ToList(), Has.Count.EqualTo(1), "the response breach, to the engineer on duty");
    }

    [Test]
    public async Task FifteenMinutesBeforeAHandOver_TheIncomingEngineerHearsOfTheOpenTicketsTheyInherit_Once()
    {
        var ticket = Tickets.Fault(Severity.Severe, Now.AddMinutes(-5)) with { Number = "F20261124-0088" };
        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "政务服务网无法登录", "138****5678"));
        await EventuallyAsync(async () => (await Client.GetAsync($"/api/tickets/{ticket.TicketId}/clocks")).IsSuccessStatusCode);
        var handovers = Service.Services.GetRequiredService<HandoverNotifier>();

        var told = await handovers.TellAsync(CancellationToken.None);
        var again = await handovers.TellAsync(CancellationToken.None);

        Assert.That((told, again), Is.EqualTo((1, 0)), "李四's hand-over at 02:05, once; 赵六 stays on as secondary");
        var text = receiver.To("/wecom").Single().Body.GetProperty("text");
        Assert.That(text.GetProperty("mentioned_mobile_list")[0].GetString(), Is.EqualTo(Li.Mobile));
        Assert.That(text.GetProperty("content").GetString(), Does.Contain("【交接班提醒】OTQ-2026-OPS 主班")
            .And.Contain("李四，您将于 2026-11-24 10:05（北京时间）接班，接手 1 张未完成的工单")
            .And.Contain("F20261124-0088 政务服务网无法登录：")
            .And.Contain("响应时限截止 2026-11-24 10:25")
            .And.Contain("修复时限截止 2026-11-24 13:55"));
        Assert.That(receiver.To("/dingtalk"), Is.Empty);
    }

    [Test]
    public async Task WhenAnOverrideChangesWhoTakesOver_TheNewEngineerIsToldToo()
    {
        var handovers = Service.Services.GetRequiredService<HandoverNotifier>();
        Assert.That(await handovers.TellAsync(CancellationToken.None), Is.EqualTo(1), "李四 is told");
        foreach (var li in roster.Shifts.Where(s => s.Engineer == Li).ToList())
        {
            roster.Shifts.Remove(li);
            roster.Shifts.Add(li with { Engineer = Zhao, OverrideId = Guid.NewGuid(), Reason = "李四请假" });
        }

        var told = await handovers.TellAsync(CancellationToken.None);
        var again = await handovers.TellAsync(CancellationToken.None);

        Assert.That((told, again), Is.EqualTo((1, 0)));
        Assert.That(receiver.To("/wecom").Select(c => c.Body.GetProperty("text").GetProperty("mentioned_mobile_list")[0].GetString()), Is.EqualTo(new[] { Li.Mobile, Zhao.Mobile }));
    }

    [TestCase(-6, 1, TestName = "AClaimLeftSendingMoreThanFiveMinutesAgo_IsTakenAgain_Once")]
    [TestCase(-4, 0, TestName = "AClaimSendingForLessThanFiveMinutes_IsLeftToItsSlaTimer")]
    public async Task AClaimLeftSendingByAStoppedSlaTimer_IsTakenAgainAfterFiveMinutes(int claimedMinutesAgo, int expected)
    {
        var store = Service.Services.GetRequiredService<HandoverStore>();
        await store.ClaimAsync("OTQ-2026-OPS", "primary", Now.AddMinutes(5), Li.Id, Li.Name, 0, Now.AddMinutes(claimedMinutesAgo));
        var handovers = Service.Services.GetRequiredService<HandoverNotifier>();

        var told = await handovers.TellAsync(CancellationToken.None);
        var again = await handovers.TellAsync(CancellationToken.None);

        Assert.That((told, again), Is.EqualTo((expected, 0)));
        Assert.That(receiver.To("/wecom"), Has.Count.EqualTo(expected));
    }
}
