using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ops.Contracts.Sla;
using Ops.SlaTimer.WeCom;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The on-duty engineer's card, sent through the contract's WeCom app to a local stand-in for WeCom's API.</summary>
public class WeComAppSenderTests : ServiceTests<Program>
{
    private WebApplication weCom = null!;
    private readonly ConcurrentQueue<(string Path, string Query, JsonElement? Body)> calls = new();
    private int sendErrcode;

    protected override void Configure(ServiceFactory<Program> service)
    {
        // One fixture instance serves every test: start each from nothing.
        calls.Clear();
        sendErrcode = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        weCom = builder.Build();
        weCom.MapGet("/cgi-bin/gettoken", (HttpRequest r) =>
        {
            calls.Enqueue((r.Path, r.QueryString.Value ?? "", null));
            return Results.Json(new { errcode = 0, errmsg = "ok", access_token = $"token-{calls.Count}", expires_in = 7200 });
        });
        weCom.MapPost("/cgi-bin/message/send", async (HttpRequest r) =>
        {
            calls.Enqueue((r.Path, r.QueryString.Value ?? "", await JsonSerializer.DeserializeAsync<JsonElement>(r.Body)));
            return Results.Json(new { errcode = sendErrcode, errmsg = "ok", msgid = "m1", response_code = "rc1" });
        });
        weCom.StartAsync().GetAwaiter().GetResult();
        WeComCallbackTests.Configure(service.Settings);
        service.Settings["WeCom:ApiBaseUrl"] = weCom.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    [TearDown]
    public async Task StopWeCom() => await weCom.DisposeAsync();

    private static ClockFacts Clock() => new()
    {
        ClockId = Guid.NewGuid(),
        Clock = ClockKind.Response,
        Sequence = 1,
        TicketId = Guid.NewGuid(),
        TicketNumber = "F20261124-0042",
        Contract = "OTQ-2026-OPS",
        Kind = Contracts.Tickets.TicketKind.Fault,
        Severity = Contracts.Tickets.Severity.Severe,
        SiteCode = "OTQ",
        System = "综合一窗受理平台",
        ReportedAt = Tickets.Reported,
        Target = TimeSpan.FromMinutes(30),
        StartedAt = Tickets.Reported,
        Deadline = Tickets.Reported.AddMinutes(30),
        State = ClockState.Running,
    };

    private WeComAppSender Sender => Service.Services.GetRequiredService<WeComAppSender>();

    [Test]
    public async Task TheCard_GoesToTheEngineersWeComUser_WithTheTwoButtons_AndTheTokenIsFetchedOnce()
    {
        var clock = Clock();
        var link = new Uri("https://ops.example.cn/tickets/F20261124-0042");

        var taskId = await Sender.SendCardAsync("OTQ-2026-OPS", WeComCallbackTests.FakeRoster.Wang, clock, link);
        await Sender.SendCardAsync("OTQ-2026-OPS", WeComCallbackTests.FakeRoster.Wang, clock, link);

        Assert.That(calls.Count(c => c.Path == "/cgi-bin/gettoken"), Is.EqualTo(1));
        Assert.That(calls.First().Query, Does.Contain("corpid=ww0123456789abcdef").And.Contain("corpsecret=app-secret"));
        var sent = calls.Where(c => c.Path == "/cgi-bin/message/send").ToList();
        Assert.That(sent, Has.Count.EqualTo(2));
        Assert.That(sent[0].Query, Is.EqualTo("?access_token=token-1"));
        var body = sent[0].Body!.Value;
        Assert.That((body.GetProperty("touser").GetString(), body.GetProperty("msgtype").GetString(), body.GetProperty("agentid").GetInt32()), Is.EqualTo(("WangGong", "template_card", 1000002)));
        var card = body.GetProperty("template_card");
        Assert.That(card.GetProperty("card_type").GetString(), Is.EqualTo("button_interaction"));
        Assert.That(card.GetProperty("task_id").GetString(), Is.EqualTo(taskId));
        Assert.That(WeComCard.ParseTaskId(taskId)?.TicketId, Is.EqualTo(clock.TicketId));
        var buttons = card.GetProperty("button_list").EnumerateArray().ToList();
        Assert.That(buttons.Select(b => b.GetProperty("text").GetString()), Is.EqualTo(new[] { "确认响应", "查看详情" }));
        Assert.That(buttons[0].GetProperty("key").GetString(), Is.EqualTo(WeComCard.AcknowledgeKey));
        Assert.That((buttons[1].GetProperty("type").GetInt32(), buttons[1].GetProperty("url").GetString()), Is.EqualTo((1, link.ToString())));
        Assert.That(card.GetProperty("main_title").GetProperty("title").GetString(), Does.Contain("F20261124-0042"));
        Assert.That(body.GetRawText(), Does.Not.Contain("13800001111"), "no mobile on the card");
    }

    [Test]
    public void ANonZeroErrcode_IsAFailure()
    {
        sendErrcode = 81013;

        Assert.ThrowsAsync<WeComApiException>(() => Sender.SendCardAsync("OTQ-2026-OPS", WeComCallbackTests.FakeRoster.Wang, Clock(), new Uri("https://ops.example.cn/tickets/F20261124-0042")));
    }
}

/// <summary>A contract's WeCom app is checked at start: every field, and the secrets only from the environment.</summary>
public class WeComAppSettingsTests
{
    [Test]
    public void AnIncompleteWeComApp_StopsTheServiceAtStart_NamingEachSetting()
    {
        using var service = new ServiceFactory<Program>();
        var weCom = "Contracts:OTQ-2026-OPS:WeComApp";
        service.Settings[$"{weCom}:CorpId"] = "ww0123456789abcdef";
        service.Settings[$"{weCom}:EncodingAESKey"] = "too-short";

        var refused = service.RefusedSettings();

        Assert.That(refused, Has.Some.StartsWith($"{weCom}:Secret (Contracts__OTQ-2026-OPS__WeComApp__Secret)"));
        Assert.That(refused, Has.Some.StartsWith($"{weCom}:Token "));
        Assert.That(refused, Has.Some.StartsWith($"{weCom}:AgentId "));
        Assert.That(refused, Has.Some.StartsWith($"{weCom}:EncodingAESKey "));
    }
}
