using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Notifications;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// Warnings and breaches told to the escalation chain over real HTTP: the on-call engineer's WeCom robot
/// from 50 %, the project lead's DingTalk robot from 80 %, the bureau's webhook at the breach; once each.
/// </summary>
public class EscalationTests : ServiceTests<Program>
{
    private const string DingTalkSecret = "SECtest0123456789";
    private WebhookReceiver receiver = null!;

    protected override void Configure(ServiceFactory<Program> service)
    {
        receiver = WebhookReceiver.StartAsync().GetAwaiter().GetResult();
        var levels = "Contracts:OTQ-2026-OPS:Escalation:Levels";
        service.Settings[$"{levels}:0:Name"] = "值班工程师";
        service.Settings[$"{levels}:0:Channel"] = "WeCom";
        service.Settings[$"{levels}:0:Url"] = $"{receiver.BaseAddress}/wecom?key=k1";
        service.Settings[$"{levels}:0:From"] = "50";
        service.Settings[$"{levels}:1:Name"] = "项目经理";
        service.Settings[$"{levels}:1:Channel"] = "DingTalk";
        service.Settings[$"{levels}:1:Url"] = $"{receiver.BaseAddress}/dingtalk?access_token=t1";
        service.Settings[$"{levels}:1:Secret"] = DingTalkSecret;
        service.Settings[$"{levels}:1:From"] = "80";
        service.Settings[$"{levels}:2:Name"] = "甲方联系人";
        service.Settings[$"{levels}:2:Channel"] = "Webhook";
        service.Settings[$"{levels}:2:Url"] = $"{receiver.BaseAddress}/hook";
        service.Settings["Notifications:RetryDelay"] = "00:00:00.010";
        // Generous: a slow first call would be retried, and each test counts the calls.
        service.Settings["Notifications:Timeout"] = "00:00:30";
    }

    [TearDown]
    public async Task StopReceiver() => await receiver.DisposeAsync();

    private static ClockFacts Clock(ClockKind which = ClockKind.Response) => new()
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
        ReportedAt = Tickets.Reported,
        Target = TimeSpan.FromMinutes(30),
        StartedAt = Tickets.Reported,
        Deadline = Tickets.Reported.AddMinutes(30),
        State = ClockState.Running,
    };

    /// <summary>Owes the chain the notice of <paramref name="clock"/> at <paramref name="stage"/>, as the sla-timer does when it records a warning or a breach.</summary>
    private Task OweAsync(ClockFacts clock, int stage) =>
        Service.Services.GetRequiredService<Database>().WriteAsync(t => Service.Services.GetRequiredService<PendingNotices>().AddAsync(t, clock, stage));

    private async Task NothingOwedAsync() =>
        await EventuallyAsync(async () => (await Service.Services.GetRequiredService<PendingNotices>().NextAsync(1)).Count == 0);

    private async Task<JsonElement> NotificationsAsync(string query = "") =>
        await Client.GetFromJsonAsync<JsonElement>($"/api/notifications?{query}");

    private async Task SettledAsync(int notices) =>
        await EventuallyAsync(async () =>
        {
            var page = await NotificationsAsync();
            return page.GetProperty("total").GetInt64() == notices
                && page.GetProperty("items").EnumerateArray().All(n => n.GetProperty("status").GetString() != "sending");
        });

    [Test]
    public async Task EachStage_ReachesTheLevelsFromTheirStageOn()
    {
        var clock = Clock();

        await OweAsync(clock, 50);
        await SettledAsync(1);
        await OweAsync(clock, 80);
        await SettledAsync(3);
        await OweAsync(clock with { State = ClockState.Breached }, 100);
        await SettledAsync(6);

        Assert.That((receiver.To("/wecom").Count, receiver.To("/dingtalk").Count, receiver.To("/hook").Count), Is.EqualTo((3, 2, 1)));
        Assert.That(receiver.Calls.Select(c => c.ContentLength), Is.All.GreaterThan(0), "whole bodies, not chunked ones");
        var wecom = receiver.To("/wecom")[0].Body;
        Assert.That(wecom.GetProperty("msgtype").GetString(), Is.EqualTo("markdown"));
        Assert.That(wecom.GetProperty("markdown").GetProperty("content").GetString(),
            Does.Contain("【超时预警】F20261124-0042").And.Contain("响应时限已用 50%").And.Contain("2026-11-24 09:30").And.Contain("严重故障"));
        var hook = receiver.To("/hook")[0].Body;
        Assert.That((hook.GetProperty("stage").GetInt32(), hook.GetProperty("breach").GetBoolean()), Is.EqualTo((100, true)));
        Assert.That(hook.GetProperty("clock").GetProperty("ticketNumber").GetString(), Is.EqualTo("F20261124-0042"));
        Assert.That((await NotificationsAsync("status=sent")).GetProperty("total").GetInt64(), Is.EqualTo(6));
    }

    [Test]
    public async Task ARobotsMessage_CarriesChineseAsUtf8_NotAsEscapes()
    {
        await OweAsync(Clock(), 80);
        await SettledAsync(2);

        // The one escape left is the ideographic space (U+3000): the encoder escapes every space but the ASCII one.
        Assert.That(receiver.To("/wecom").Single().Text, Does.Contain("【超时预警】F20261124-0042").And.Not.Match(@"\\u(?!3000)[0-9A-Fa-f]{4}"));
        Assert.That(receiver.To("/dingtalk").Single().Text, Does.Contain("系统：综合一窗受理平台").And.Not.Match(@"\\u(?!3000)[0-9A-Fa-f]{4}"));
    }

    [Test]
    public async Task ARequestsNotice_IsChinese_NamingItsGradeAsTheContractDoes()
    {
        await OweAsync(Clock() with { Kind = TicketKind.Request, Severity = null, Grade = "normal", State = ClockState.Breached }, 100);
        await SettledAsync(3);

        var text = receiver.To("/wecom")[0].Body.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.That(text, Does.Contain("【超时告警】F20261124-0042").And.Contain("服务请求（一般）").And.Not.Contain("normal"));
        Assert.That(text.Replace("F20261124-0042", "", StringComparison.Ordinal).Replace("OTQ", "", StringComparison.Ordinal).Any(char.IsAsciiLetter), Is.False,
            "no English beside the ticket number and the site code");
    }

    [Test]
    public async Task TheDingTalkCall_IsSignedWithTheRobotsSecret()
    {
        await OweAsync(Clock(), 80);
        await SettledAsync(2);

        var query = System.Web.HttpUtility.ParseQueryString(receiver.To("/dingtalk").Single().Query);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(DingTalkSecret), Encoding.UTF8.GetBytes($"{query["timestamp"]}\n{DingTalkSecret}")));
        Assert.That(query["access_token"], Is.EqualTo("t1"));
        Assert.That(query["sign"], Is.EqualTo(expected));
        Assert.That(long.Parse(query["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Within(60_000), "DingTalk wants real time, within the hour");
    }

    [Test]
    public async Task ABreachOwedTwice_IsToldOnce()
    {
        var breached = Clock() with { State = ClockState.Breached };

        await OweAsync(breached, 100);
        await SettledAsync(3);
        await OweAsync(breached, 100);
        await NothingOwedAsync();

        Assert.That(receiver.Calls.Count, Is.EqualTo(3));
        Assert.That((await NotificationsAsync()).GetProperty("total").GetInt64(), Is.EqualTo(3));
    }

    [Test]
    public async Task AFaultHeardOfAfterItsDeadlines_IsToldTheChain_FromTheSlaTimersOwnRecordOfTheBreaches()
    {
        var ticket = Tickets.Fault(Severity.Severe, Service.Time.GetUtcNow().AddHours(-5));

        await Service.Harness.Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        await SettledAsync(6);

        var told = (await NotificationsAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.That(told.Select(n => (n.GetProperty("clock").GetString(), n.GetProperty("stage").GetInt32())).Distinct(),
            Is.EquivalentTo(new[] { ("response", 100), ("repair", 100) }), "both breaches, each to the three levels");
        Assert.That(receiver.To("/hook").Select(c => c.Body.GetProperty("clock").GetProperty("ticketId").GetGuid()), Is.All.EqualTo(ticket.TicketId));
        Assert.That(typeof(Program).Assembly.GetTypes().Where(t => typeof(MassTransit.IConsumer<SlaBreached>).IsAssignableFrom(t)), Is.Empty,
            "the sla-timer does not go through the broker to tell its own breaches: it has no consumer of them");
    }

    [Test]
    public async Task ARobotThatRefuses_IsRetried_ThenRecordedAsFailed_ShownInReadiness_AndTheOthersAreStillTold()
    {
        receiver.Answer = path => path == "/wecom" ? Results.Json(new { errcode = 93000, errmsg = "invalid webhook url" }) : Results.Json(new { errcode = 0, errmsg = "ok" });

        await OweAsync(Clock() with { State = ClockState.Breached }, 100);
        await SettledAsync(3);

        var failed = (await NotificationsAsync("status=failed")).GetProperty("items").EnumerateArray().Single();
        Assert.That((failed.GetProperty("level").GetString(), failed.GetProperty("attempts").GetInt32()), Is.EqualTo(("值班工程师", 4)));
        Assert.That(failed.GetProperty("error").GetString(), Does.StartWith("企业微信机器人拒收了消息：").And.Contain("93000"));
        Assert.That(failed.GetRawText(), Does.Not.Contain("key=k1"), "webhook addresses carry keys and are never shown");
        Assert.That(receiver.To("/wecom").Count, Is.EqualTo(4));
        Assert.That((receiver.To("/dingtalk").Count, receiver.To("/hook").Count), Is.EqualTo((1, 1)));
        var ready = await (await Service.ClientAs(null).GetAsync("/health/ready")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(ready.GetProperty("checks").GetProperty("notifications").GetProperty("status").GetString(), Is.EqualTo("Degraded"));
        var metrics = await PrometheusText.ScrapeAsync(Service.ClientAs(null));
        Assert.That(PrometheusText.Value(metrics, "ops_notices_failed_total"), Is.EqualTo(1), "the one notice that failed, not the two that went");
    }

    [Test]
    public async Task AnEndpointThatIsDown_FailsAfterItsRetries_WithoutHoldingUpTheOtherNotices()
    {
        receiver.Answer = path => path == "/hook" ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Json(new { errcode = 0 });

        await OweAsync(Clock() with { State = ClockState.Breached }, 100);
        await SettledAsync(3);
        await OweAsync(Clock(), 50);
        await SettledAsync(4);

        var failed = (await NotificationsAsync("status=failed")).GetProperty("items").EnumerateArray().Single();
        Assert.That(failed.GetProperty("channel").GetString(), Is.EqualTo("webhook"));
        Assert.That(failed.GetProperty("error").GetString(), Is.EqualTo("端点回答 HTTP 503"));
        Assert.That(receiver.To("/wecom").Count, Is.EqualTo(2), "the warning after the failed breach notice was still told");
    }

    [Test]
    public async Task TheNotices_OfOneTicket_AreListedByItsNumber()
    {
        await OweAsync(Clock() with { State = ClockState.Breached }, 100);
        await OweAsync(Clock() with { TicketNumber = "F20261124-0043", State = ClockState.Breached }, 100);
        await SettledAsync(6);

        var page = await NotificationsAsync("ticket=F20261124-0043&status=sent");

        Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(3));
        Assert.That(page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("ticketNumber").GetString()), Is.All.EqualTo("F20261124-0043"));
        Assert.That((await NotificationsAsync("ticket=F20261124-0099")).GetProperty("total").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task ANumberTypedInLowerCase_ListsTheSameNotices()
    {
        await OweAsync(Clock() with { TicketNumber = "F20261124-0044", State = ClockState.Breached }, 100);
        await SettledAsync(3);

        var page = await NotificationsAsync("ticket=f20261124-0044");

        Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(3), "as SQL Server would answer too");
        Assert.That(page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("ticketNumber").GetString()), Is.All.EqualTo("F20261124-0044"));
    }

    [TestCase("status=lost", "status")]
    [TestCase("ticket=F2026%27%20OR%201=1", "ticket")]
    [TestCase("limit=0", "limit")]
    [TestCase("offset=-1", "offset")]
    public async Task ABadNotificationQuery_IsAProblemNamingIt(string query, string field)
    {
        await Problems.AssertAsync(await Client.GetAsync($"/api/notifications?{query}"), HttpStatusCode.BadRequest, field);
    }
}
