using System.Net;
using System.Text;
using MassTransit.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ops.Contracts.Tickets;
using Ops.Hosting.Storage;
using Ops.SlaTimer.OnCall;
using Ops.SlaTimer.WeCom;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// The WeCom app's callback: WeCom's URL check, and a 确认响应 press (encrypted and signed here as WeCom does)
/// that sends the tickets service an acknowledgement in the rota engineer's name, once, and answers with the card
/// updated to “已确认 by 姓名”. Whatever is refused changes nothing.
/// </summary>
public class WeComCallbackTests
{
    private const string Contract = "OTQ-2026-OPS";
    private const string Path = $"/api/wecom/callback/{Contract}";
    private static readonly WeComCrypto Crypto = new(WeComCryptoTests.Token, WeComCryptoTests.Key, WeComCryptoTests.CorpId);

    private ServiceFactory<Program> service = null!;
    private WebApplicationFactory<Program> app = null!;
    private HttpClient client = null!;

    [SetUp]
    public void Start()
    {
        service = new ServiceFactory<Program>();
        Configure(service.Settings);
        app = service.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IDutyRoster>(new FakeRoster())));
        client = app.CreateClient().Anonymous();
    }

    [TearDown]
    public async Task Stop()
    {
        client.Dispose();
        await app.DisposeAsync();
        await service.DisposeAsync();
    }

    internal static void Configure(Dictionary<string, string> settings)
    {
        var weCom = $"Contracts:{Contract}:WeComApp";
        settings[$"{weCom}:CorpId"] = WeComCryptoTests.CorpId;
        settings[$"{weCom}:AgentId"] = "1000002";
        settings[$"{weCom}:Secret"] = "app-secret";
        settings[$"{weCom}:Token"] = WeComCryptoTests.Token;
        settings[$"{weCom}:EncodingAESKey"] = WeComCryptoTests.Key;
    }

    private Database Database => app.Services.GetRequiredService<Database>();

    private DateTimeOffset Now => service.Time.GetUtcNow();

    private async Task<TicketFacts> ReportAsync(DateTimeOffset reportedAt)
    {
        var ticket = Tickets.Fault(Severity.Severe, reportedAt);
        await app.Services.GetTestHarness().Bus.Publish(new TicketReported(ticket, "phone", "综窗无法出件", "138****5678"));
        await Eventually.HoldsAsync(async () => (await app.Services.GetRequiredService<Storage.ClockStore>().OfTicketAsync(ticket.TicketId.ToString())).Count == 2);
        return ticket;
    }

    /// <summary>A press as WeCom sends it: the event XML encrypted for the corp, in an envelope, signed in the query.</summary>
    private static HttpRequestMessage Press(string taskId, string user = FakeRoster.WangWeCom, long createTime = 1795485600, WeComCrypto? crypto = null, string? signature = null)
    {
        var plain = WeComXml.Write(
            ("ToUserName", WeComCryptoTests.CorpId), ("FromUserName", user), ("CreateTime", createTime), ("MsgType", "event"),
            ("Event", "template_card_event"), ("EventKey", WeComCard.AcknowledgeKey), ("TaskId", taskId), ("CardType", "button_interaction"),
            ("ResponseCode", "rc-" + createTime), ("AgentID", 1000002));
        var encrypted = (crypto ?? Crypto).Encrypt(plain);
        var envelope = WeComXml.Write(("ToUserName", WeComCryptoTests.CorpId), ("AgentID", "1000002"), ("Encrypt", encrypted));
        const string timestamp = "1795485601";
        const string nonce = "1372623149";
        return new HttpRequestMessage(HttpMethod.Post, $"{Path}?msg_signature={signature ?? Crypto.Sign(timestamp, nonce, encrypted)}&timestamp={timestamp}&nonce={nonce}")
        {
            Content = new StringContent(envelope, Encoding.UTF8, "text/xml"),
        };
    }

    private async Task<IReadOnlyList<AcknowledgeTicket>> CommandsAsync() => await Database.MessagesAsync<AcknowledgeTicket>();

    [Test]
    public async Task TheUrlCheck_AnswersTheDecryptedEcho_AsPlainText()
    {
        var echo = Crypto.Encrypt("6162398754312");
        var url = $"{Path}?msg_signature={Crypto.Sign("1795485601", "99", echo)}&timestamp=1795485601&nonce=99&echostr={Uri.EscapeDataString(echo)}";

        var response = await client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("6162398754312"));
    }

    [Test]
    public async Task TheUrlCheck_WithABadSignature_Is401()
    {
        var echo = Crypto.Encrypt("6162398754312");

        var response = await client.GetAsync($"{Path}?msg_signature={WeComCrypto.Signature("guess", "1", "2", echo)}&timestamp=1&nonce=2&echostr={Uri.EscapeDataString(echo)}");

        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task AContractWithoutWeComApp_Is404()
    {
        var response = await client.GetAsync("/api/wecom/callback/NO-SUCH-CONTRACT?msg_signature=a&timestamp=1&nonce=2&echostr=x");

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task APress_SendsTheAcknowledgementInTheRotaEngineersName_AndUpdatesTheButton()
    {
        var ticket = await ReportAsync(Now.AddMinutes(-10));

        var response = await client.SendAsync(Press(WeComCard.TaskId(ticket.TicketId, Now.AddMinutes(-5))));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var command = (await CommandsAsync()).Single();
        Assert.That(command, Is.EqualTo(new AcknowledgeTicket(ticket.TicketId, ticket.Number, "王工", "wang", "wanggong", "wecom", Now, command.EventId)));
        var envelope = WeComXml.Parse(await response.Content.ReadAsStringAsync())!;
        var reply = WeComXml.Parse(Crypto.Open(envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"]))!;
        Assert.That((reply["ToUserName"], reply["FromUserName"], reply["MsgType"], reply["Button"]), Is.EqualTo((FakeRoster.WangWeCom, WeComCryptoTests.CorpId, "update_button", "已确认 by 王工")));
    }

    [Test]
    public async Task TheSamePressAgain_Is409_AndSendsNothingMore()
    {
        var ticket = await ReportAsync(Now.AddMinutes(-10));
        var taskId = WeComCard.TaskId(ticket.TicketId, Now.AddMinutes(-5));
        await client.SendAsync(Press(taskId));

        var replayed = await client.SendAsync(Press(taskId));
        var anotherPress = await client.SendAsync(Press(taskId, createTime: 1795485700));

        await Problems.AssertAsync(replayed, HttpStatusCode.Conflict);
        await Problems.AssertAsync(anotherPress, HttpStatusCode.Conflict);
        Assert.That(await CommandsAsync(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task APressRacingAnotherForTheSameTicket_Is409_NotAServerError()
    {
        var ticket = await ReportAsync(Now.AddMinutes(-10));
        // Stands in for another press stored between this press's checks and its insert.
        await Database.WriteAsync(t => t.ExecuteAsync("""
            CREATE TRIGGER racing_press BEFORE INSERT ON wecom_presses WHEN NEW.event_id <> 'racer'
            BEGIN
                INSERT INTO wecom_presses (event_id, contract, ticket_id, wecom_user, engineer_id, pressed_at)
                VALUES ('racer', NEW.contract, NEW.ticket_id, 'other', 'other', NEW.pressed_at);
            END
            """));

        var response = await client.SendAsync(Press(WeComCard.TaskId(ticket.TicketId, Now.AddMinutes(-5))));

        await Problems.AssertAsync(response, HttpStatusCode.Conflict);
        Assert.That(await CommandsAsync(), Is.Empty);
    }

    [Test]
    public async Task APressFromSomeoneOnNoRota_Is403_AndSendsNothing()
    {
        var ticket = await ReportAsync(Now.AddMinutes(-10));

        var response = await client.SendAsync(Press(WeComCard.TaskId(ticket.TicketId, Now), user: "stranger"));

        await Problems.AssertAsync(response, HttpStatusCode.Forbidden);
        Assert.That(await CommandsAsync(), Is.Empty);
    }

    [Test]
    public async Task APressWithABadSignature_OrForAnotherCorp_Is401_AndSendsNothing()
    {
        var ticket = await ReportAsync(Now.AddMinutes(-10));
        var taskId = WeComCard.TaskId(ticket.TicketId, Now);

        var forged = await client.SendAsync(Press(taskId, signature: WeComCrypto.Signature("guess", "1795485601", "1372623149", "x")));
        var foreign = await client.SendAsync(Press(taskId, crypto: new WeComCrypto(WeComCryptoTests.Token, WeComCryptoTests.Key, "ww_another_corp")));

        await Problems.AssertAsync(forged, HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(foreign, HttpStatusCode.Unauthorized);
        Assert.That(await CommandsAsync(), Is.Empty);
    }

    [Test]
    public async Task APressForATicketAcknowledgedAlready_IsAStaleCard_409()
    {
        var ticket = await ReportAsync(Now.AddMinutes(-10));
        await app.Services.GetTestHarness().Bus.Publish(new TicketAcknowledged(ticket.Acknowledged(Now), "刘工", Now));
        await Eventually.HoldsAsync(async () => (await app.Services.GetRequiredService<Storage.ClockStore>().OfTicketAsync(ticket.TicketId.ToString())).Any(c => c.StoppedAt is not null));

        var response = await client.SendAsync(Press(WeComCard.TaskId(ticket.TicketId, Now.AddMinutes(-5))));

        await Problems.AssertAsync(response, HttpStatusCode.Conflict);
        Assert.That(await CommandsAsync(), Is.Empty);
    }

    [Test]
    public async Task APressOnACardSentMoreThan72HoursAgo_IsAStaleCard_409()
    {
        var ticket = await ReportAsync(Now.AddHours(-73));

        var response = await client.SendAsync(Press(WeComCard.TaskId(ticket.TicketId, Now.AddHours(-72).AddSeconds(-1))));

        await Problems.AssertAsync(response, HttpStatusCode.Conflict);
        Assert.That(await CommandsAsync(), Is.Empty);
    }

    [Test]
    public async Task AnotherButtonOrEvent_IsAnsweredEmpty_AndSendsNothing()
    {
        var plain = WeComXml.Write(("ToUserName", WeComCryptoTests.CorpId), ("FromUserName", FakeRoster.WangWeCom), ("CreateTime", 1795485600), ("MsgType", "event"), ("Event", "enter_agent"));
        var encrypted = Crypto.Encrypt(plain);
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Path}?msg_signature={Crypto.Sign("1", "2", encrypted)}&timestamp=1&nonce=2")
        {
            Content = new StringContent(WeComXml.Write(("Encrypt", encrypted)), Encoding.UTF8, "text/xml"),
        };

        var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        Assert.That(await CommandsAsync(), Is.Empty);
    }

    /// <summary>The rota as far as the callback needs it: 王工 has a WeCom UserID and a local user.</summary>
    internal sealed class FakeRoster : IDutyRoster
    {
        public const string WangWeCom = "WangGong";

        public static readonly DutyEngineer Wang = new("wang", "王工", "13800001111", WangWeCom, "wanggong");

        public Task<DutyShift?> OnDutyAsync(string contract, DutyLayer layer, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            Task.FromResult<DutyShift?>(new DutyShift(layer, Wang, at.AddHours(-1), at.AddHours(1)));

        public Task<IReadOnlyList<DutyShift>> ShiftsAsync(string contract, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<DutyShift>>([new DutyShift(DutyLayer.Primary, Wang, from, to)]);

        public Task<DutyEngineer?> EngineerByWeComUserAsync(string contract, string weComUserId, CancellationToken cancellationToken = default) =>
            Task.FromResult(contract == Contract && weComUserId == WangWeCom ? Wang : null);
    }
}
