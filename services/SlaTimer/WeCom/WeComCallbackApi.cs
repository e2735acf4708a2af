using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.SlaTimer.OnCall;
using Ops.SlaTimer.Storage;

namespace Ops.SlaTimer.WeCom;

/// <summary>
/// The callback URL of a contract's WeCom app. WeCom cannot carry a token, so the endpoints are anonymous HTTP;
/// each request is authenticated by its <c>msg_signature</c> (the app's token) and its ciphertext (the app's
/// EncodingAESKey, naming the app's corp id). A 确认响应 press acknowledges the ticket in the presser's name.
/// </summary>
public static partial class WeComCallbackApi
{
    /// <summary>A callback body is a few hundred bytes; anything much larger is not WeCom's.</summary>
    private const int MaxBody = 64 * 1024;

    public static IEndpointRouteBuilder MapWeComCallbackApi(this IEndpointRouteBuilder app)
    {
        const string Authenticated = "Anonymous HTTP, because WeCom cannot carry a token: every request is authenticated instead by `msg_signature` (SHA-1 over the app's callback token, `timestamp`, `nonce` and the ciphertext) and by the ciphertext itself (AES-256 with the app's EncodingAESKey, naming the app's corp id). A bad signature is 401 and changes nothing.";
        app.MapGet("/api/wecom/callback/{contract}", Verify)
            .AllowAnonymous()
            .WithTags("WeCom")
            .WithName("VerifyWeComCallback")
            .WithSummary("WeCom's check of the app's callback URL")
            .WithDescription($"WeCom calls it when the app's 接收消息 URL is saved: `msg_signature`, `timestamp`, `nonce` and the encrypted `echostr`. Answers the decrypted echo as plain text. 404 when the contract configures no WeCom app. {Authenticated}");

        app.MapPost("/api/wecom/callback/{contract}", Receive)
            .AllowAnonymous()
            .WithTags("WeCom")
            .WithName("ReceiveWeComCallback")
            .WithSummary("A WeCom app event: a press of the card's 确认响应 button acknowledges the ticket")
            .WithDescription($"""
                The body is WeCom's XML with `<Encrypt>`; the query carries `msg_signature`, `timestamp` and `nonce`. A
                `template_card_event` with the key `{WeComCard.AcknowledgeKey}` acknowledges the card's ticket in the name of the
                rota engineer whose WeCom UserID pressed it (the tickets service records it, 经企业微信), and the answer is the
                encrypted passive reply that changes the button to “已确认 by 姓名”. Other events are answered empty and change
                nothing. Refused, changing nothing: a presser on no rota of the contract (403); the same press again, or a ticket
                another press acknowledged (409); a stale card (409): the ticket's response clock has stopped (acknowledged or
                resolved), or the card was sent more than 72 hours ago (the life of WeCom's response_code). {Authenticated}
                """);
        return app;
    }

    // WeCom names the query parameters (msg_signature, timestamp, nonce, echostr): they are read as WeCom sends them, not bound.
    public static Results<ContentHttpResult, ValidationProblem, ProblemHttpResult> Verify(string contract, HttpRequest request, WeComApps apps)
    {
        if (!ContractShape().IsMatch(contract))
        {
            return BadContract();
        }

        if (apps.For(contract) is not { } weCom)
        {
            return NoApp(contract);
        }

        try
        {
            var query = request.Query;
            return TypedResults.Text(weCom.Crypto().Open(query["msg_signature"], query["timestamp"], query["nonce"], query["echostr"]), "text/plain", Encoding.UTF8);
        }
        catch (WeComCryptoException e)
        {
            return Unauthenticated(e);
        }
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> Receive(
        string contract,
        HttpRequest request,
        WeComApps apps,
        ClockStore clocks,
        WeComPresses presses,
        [Microsoft.AspNetCore.Mvc.FromServices] IDutyRoster roster,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!ContractShape().IsMatch(contract))
        {
            return BadContract();
        }

        if (apps.For(contract) is not { } weCom)
        {
            return NoApp(contract);
        }

        var crypto = weCom.Crypto();
        var query = request.Query;
        WeComXml message;
        try
        {
            var envelope = WeComXml.Parse(await ReadBodyAsync(request, cancellationToken)) ?? throw new WeComCryptoException("The body is not WeCom's XML.");
            message = WeComXml.Parse(crypto.Open(query["msg_signature"], query["timestamp"], query["nonce"], envelope["Encrypt"])) ?? throw new WeComCryptoException("The message is not XML.");
            if (message["ToUserName"] != weCom.CorpId)
            {
                throw new WeComCryptoException("The message is for another corp id.");
            }
        }
        catch (WeComCryptoException e)
        {
            return Unauthenticated(e);
        }

        if (message["MsgType"] != "event" || message["Event"] != "template_card_event" || message["EventKey"] != WeComCard.AcknowledgeKey)
        {
            return TypedResults.Text("", "text/plain"); // nothing this app acts on: WeCom wants an answer, not an error
        }

        var user = message["FromUserName"] ?? "";
        if (WeComCard.ParseTaskId(message["TaskId"]) is not { } card)
        {
            return Problem(StatusCodes.Status400BadRequest, L10n.Of("不是本系统发出的卡片。", "Not a card this system sent."), L10n.Of("卡片的 TaskId 不是本系统的格式。", "The card's TaskId is not one this system makes."));
        }

        if (string.IsNullOrEmpty(user) || await roster.EngineerByWeComUserAsync(contract, user, cancellationToken) is not { } engineer)
        {
            return Problem(StatusCodes.Status403Forbidden, L10n.Of("按下按钮的人不在值班表上。", "Whoever pressed the button is not on the rota."), L10n.Of($"合同 {contract} 的值班表上没有企业微信 UserID 为“{Shorten(user)}”的工程师。", $"No engineer on contract {contract}'s rota has the WeCom UserID '{Shorten(user)}'."));
        }

        var now = time.GetUtcNow();
        var response = (await clocks.OfTicketAsync(card.TicketId.ToString(), cancellationToken)).FirstOrDefault(c => c.Clock == ClockKind.Response && c.Contract == contract);
        if (response is null)
        {
            return Problem(StatusCodes.Status404NotFound, L10n.Of("没有这个工单。", "No such ticket."), L10n.Of("卡片所指的工单不在这个合同的计时中。", "The card's ticket has no clock under this contract."));
        }

        if (response.StoppedAt is not null || response.State == ClockState.Met || now - card.SentAt > WeComCard.Life)
        {
            return Stale(response.TicketNumber, response.StoppedAt is not null || response.State == ClockState.Met);
        }

        var eventId = EventId(contract, message);
        var command = new AcknowledgeTicket(response.TicketId, response.TicketNumber, engineer.Name, engineer.Id, engineer.Username, "wecom", now, eventId);
        return await presses.RecordAsync(contract, user, command, cancellationToken) switch
        {
            PressOutcome.Replayed => Problem(StatusCodes.Status409Conflict, L10n.Of("这次按键已处理过。", "This press was handled already."), L10n.Of($"工单 {response.TicketNumber} 的这次确认已记录，重复的回调不再生效。", $"This acknowledgement of ticket {response.TicketNumber} was recorded; the same callback again changes nothing.")),
            PressOutcome.TicketTaken => Stale(response.TicketNumber, acknowledged: true),
            _ => TypedResults.Text(Reply(crypto, weCom.CorpId, user, engineer.Name, now), "application/xml", Encoding.UTF8),
        };
    }

    /// <summary>
    /// The passive reply that changes the pressed button to “已确认 by 姓名”: answered at once, so no access token or
    /// response_code is spent and nothing depends on reaching WeCom's API from here.
    /// </summary>
    private static string Reply(WeComCrypto crypto, string corpId, string user, string engineer, DateTimeOffset now)
    {
        var createTime = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var plain = WeComXml.Write(
            ("ToUserName", user), ("FromUserName", corpId), ("CreateTime", createTime), ("MsgType", "update_button"),
            ("Button", new System.Xml.Linq.XElement("ReplaceName", new System.Xml.Linq.XCData($"已确认 by {engineer}"))));
        var encrypted = crypto.Encrypt(plain);
        var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WeComXml.Write(("Encrypt", encrypted), ("MsgSignature", crypto.Sign(createTime, nonce, encrypted)), ("TimeStamp", createTime), ("Nonce", nonce));
    }

    /// <summary>One press: who, when, which card and button. WeCom sends the same press again when it got no answer in time.</summary>
    private static string EventId(string contract, WeComXml message) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', contract, message["FromUserName"], message["CreateTime"], message["TaskId"], message["EventKey"], message["ResponseCode"]))));

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBody + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return read > MaxBody ? throw new WeComCryptoException("The body is too large.") : Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static ProblemHttpResult Stale(string number, bool acknowledged) => Problem(
        StatusCodes.Status409Conflict,
        L10n.Of("卡片已失效。", "The card is stale."),
        acknowledged
            ? L10n.Of($"工单 {number} 已经响应过。", $"Ticket {number} was acknowledged already.")
            : L10n.Of($"工单 {number} 的卡片已超过 72 小时，请在控制台确认响应。", $"Ticket {number}'s card is more than 72 hours old; acknowledge it in the console."));

    private static ValidationProblem BadContract() =>
        new ValidationErrors().Add("contract", L10n.Of("“contract”是合同编号，如 OTQ-2026-OPS。", "'contract' is a contract's code, e.g. OTQ-2026-OPS.")).ToProblem();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]{0,63}\z")]
    private static partial Regex ContractShape();

    private static ProblemHttpResult NoApp(string contract) => Problem(
        StatusCodes.Status404NotFound,
        L10n.Of("该合同没有配置企业微信应用。", "This contract configures no WeCom app."),
        L10n.Of($"合同“{Shorten(contract)}”没有配置企业微信应用。", $"Contract '{Shorten(contract)}' configures no WeCom app."));

    private static ProblemHttpResult Unauthenticated(WeComCryptoException e) =>
        Problem(StatusCodes.Status401Unauthorized, L10n.Of("企业微信回调的签名或密文不对。", "The WeCom callback's signature or ciphertext is wrong."), e.Message);

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);

    private static string Shorten(string text) => text.Length > 64 ? text[..64] : text;
}
