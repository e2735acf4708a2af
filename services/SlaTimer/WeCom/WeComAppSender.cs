using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Ops.Contracts.Sla;
using Ops.Hosting.Contracts;
using Ops.Hosting.Http;
using Ops.SlaTimer.OnCall;

namespace Ops.SlaTimer.WeCom;

/// <summary>WeCom's API answered with a non-zero errcode (or not at all as it should).</summary>
public sealed class WeComApiException(string message) : Exception(message);

/// <summary>
/// Sends the on-duty engineer the acknowledgement card through the contract's WeCom app: an access token from
/// <c>gettoken</c>, kept until shortly before it expires, then <c>message/send</c> with a <c>template_card</c> of
/// type <c>button_interaction</c> whose buttons are 确认响应 (a callback) and 查看详情 (the console's ticket).
/// </summary>
public sealed class WeComAppSender(WeComApps apps, IOptions<WeComOptions> options, IHttpClientFactory http, TimeProvider time)
{
    public const string HttpClientName = "wecom-app";

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Until)> tokens = new();

    /// <summary>Whether the contract has a WeCom app, so its on-duty engineer's notice is a card.</summary>
    public bool Configured(string contract) => apps.For(contract) is not null;

    /// <summary>
    /// Sends <paramref name="engineer"/> the card for <paramref name="clock"/>'s ticket, linking to <paramref name="link"/>
    /// (<c>Console__PublicUrl</c> + <c>/tickets/{number}</c>); returns the card's task id. Throws
    /// <see cref="WeComApiException"/> or <see cref="HttpRequestException"/> when it was not sent.
    /// </summary>
    public async Task<string> SendCardAsync(string contract, DutyEngineer engineer, ClockFacts clock, Uri link, CancellationToken cancellationToken = default)
    {
        var app = apps.For(contract) ?? throw new InvalidOperationException($"Contract {contract} configures no WeCom app.");
        if (string.IsNullOrEmpty(engineer.WeComUserId))
        {
            throw new WeComApiException($"{engineer.Name} has no WeCom UserID on the rota.");
        }

        var taskId = WeComCard.TaskId(clock.TicketId, time.GetUtcNow());
        var card = Card(app, engineer.WeComUserId, clock, link, taskId, time.GetUtcNow());
        var answer = await PostAsync(app, card, cancellationToken);
        if (answer is 40014 or 42001)
        {
            tokens.TryRemove(app.CorpId + app.AgentId, out _); // revoked or expired early: fetch a new one once
            answer = await PostAsync(app, card, cancellationToken);
        }

        return answer == 0 ? taskId : throw new WeComApiException($"message/send answered errcode {answer}.");
    }

    private async Task<int> PostAsync(WeComAppEntry app, object card, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(app, cancellationToken);
        using var response = await http.CreateClient(HttpClientName).PostAsJsonAsync(Url($"/cgi-bin/message/send?access_token={Uri.EscapeDataString(token)}"), card, cancellationToken);
        return (await AnswerAsync(response, cancellationToken)).GetProperty("errcode").GetInt32();
    }

    private async Task<string> TokenAsync(WeComAppEntry app, CancellationToken cancellationToken)
    {
        var key = app.CorpId + app.AgentId;
        if (tokens.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
        {
            return cached.Token;
        }

        using var response = await http.CreateClient(HttpClientName).GetAsync(Url($"/cgi-bin/gettoken?corpid={Uri.EscapeDataString(app.CorpId)}&corpsecret={Uri.EscapeDataString(app.Secret)}"), cancellationToken);
        var answer = await AnswerAsync(response, cancellationToken);
        if (answer.GetProperty("errcode").GetInt32() != 0 || answer.GetProperty("access_token").GetString() is not { Length: > 0 } token)
        {
            throw new WeComApiException($"gettoken answered errcode {answer.GetProperty("errcode").GetInt32()}.");
        }

        // Kept until five minutes before WeCom says it expires (7,200 s as a rule).
        var lifetime = answer.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 7200;
        tokens[key] = (token, time.GetUtcNow().AddSeconds(Math.Max(0, lifetime - 300)));
        return token;
    }

    private Uri Url(string pathAndQuery) => new(options.Value.ApiBaseUrl.TrimEnd('/') + pathAndQuery);

    private static async Task<JsonElement> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("errcode", out _) ? answer : throw new WeComApiException("WeCom answered without an errcode.");
    }

    /// <summary>The card: the ticket's number, system, site and deadline, 确认响应 and 查看详情; no personal data.</summary>
    internal static object Card(WeComAppEntry app, string user, ClockFacts clock, Uri link, string taskId, DateTimeOffset now)
    {
        var deadline = ShanghaiTimeConverter.ToShanghai(clock.Deadline).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var left = clock.Deadline - now;
        var remaining = left >= TimeSpan.Zero ? $"剩余 {(int)left.TotalMinutes} 分钟" : $"已超时 {(int)(-left).TotalMinutes} 分钟";
        var kind = clock.Kind == Contracts.Tickets.TicketKind.Request ? "服务请求" : clock.Severity == Contracts.Tickets.Severity.Severe ? "严重故障" : "一般故障";
        return new
        {
            touser = user,
            msgtype = "template_card",
            agentid = app.AgentId,
            template_card = new
            {
                card_type = "button_interaction",
                source = new { desc = "运维考核" },
                main_title = new { title = $"请确认响应 {clock.TicketNumber}", desc = $"{kind}，响应截止 {deadline}（{remaining}）" },
                horizontal_content_list = new object[]
                {
                    new { keyname = "系统", value = clock.System },
                    new { keyname = "站点", value = clock.SiteCode },
                    new { keyname = "响应截止", value = deadline },
                },
                card_action = new { type = 1, url = link.ToString() },
                task_id = taskId,
                button_list = new object[]
                {
                    new { text = "确认响应", style = 1, key = WeComCard.AcknowledgeKey },
                    new { text = "查看详情", style = 2, type = 1, url = link.ToString() },
                },
            },
        };
    }
}
