using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Ops.Hosting.Http;
using Ops.Hosting.Messaging;
using Ops.SlaTimer.OnCall;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Ops.SlaTimer.Notifications;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>How long one call may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a failed call is tried again.</summary>
    [Range(1, 10)]
    public int Retries { get; set; } = 3;

    /// <summary>The first wait before trying again; it doubles each time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>A robot answered HTTP 200 with a non-zero errcode.</summary>
public sealed class NotificationRefusedException(string message) : Exception(message);

/// <summary>
/// Sends one notice to one level over its channel, with a timeout per call, retries with backoff, and a
/// circuit breaker per endpoint so that a dead robot does not hold up the rest. Network time is real
/// time, whatever clock the SLA runs on.
/// </summary>
public sealed class NotificationSender(IHttpClientFactory http, IOptions<NotificationOptions> options)
{
    public const string HttpClientName = "notifications";

    private readonly ConcurrentDictionary<string, ResiliencePipeline> pipelines = new();

    /// <summary>Sends; returns how many calls it took, and why it failed when every one did.</summary>
    /// <remarks>Why it failed is kept in the notice log, which managers read: in Chinese, with the endpoint's own answer.</remarks>
    public Task<(int Attempts, string? Error)> SendAsync(EscalationLevel level, Notice notice, CancellationToken cancellationToken) =>
        SendAsync(level, Body(level, notice.Title, notice.Markdown, notice.Text, notice.Engineer, new
        {
            stage = notice.Stage,
            breach = notice.IsBreach,
            title = notice.Title,
            text = notice.Markdown,
            ticketTitle = notice.TicketTitle,
            link = notice.Link,
            engineer = Person(notice.Engineer),
            clock = notice.Clock,
        }), cancellationToken);

    /// <summary>Sends the hand-over notice to the level that targets the incoming engineer's layer.</summary>
    public Task<(int Attempts, string? Error)> SendAsync(EscalationLevel level, HandoverNotice handover, CancellationToken cancellationToken) =>
        SendAsync(level, Body(level, handover.Title, handover.Markdown, handover.Text, handover.Engineer, handover.Webhook), cancellationToken);

    private static object? Person(DutyEngineer? engineer) => engineer is null ? null : new { name = engineer.Name, mobile = engineer.Mobile };

    private async Task<(int Attempts, string? Error)> SendAsync(EscalationLevel level, object body, CancellationToken cancellationToken)
    {
        var attempts = 0;
        string? lastFailure = null;
        var client = http.CreateClient(HttpClientName);

        async ValueTask CallAsync(CancellationToken ct)
        {
            attempts++;
            try
            {
                using var response = await client.SendAsync(Request(level, body), ct);
                response.EnsureSuccessStatusCode();
                if (level.Channel != NotificationChannel.Webhook)
                {
                    // The robots answer 200 with {"errcode":0,"errmsg":"ok"}; anything else is a refusal.
                    var answer = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                    if (!answer.TryGetProperty("errcode", out var code) || code.GetInt32() != 0)
                    {
                        throw new NotificationRefusedException($"{(level.Channel == NotificationChannel.WeCom ? "企业微信" : "钉钉")}机器人拒收了消息：{answer.GetRawText()}");
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or NotificationRefusedException or JsonException)
            {
                lastFailure = Failure(e);
                throw;
            }
        }

        try
        {
            await Pipeline(level.Url!).ExecuteAsync(CallAsync, cancellationToken);
            return (attempts, null);
        }
        catch (BrokenCircuitException)
        {
            // The endpoint failed so often lately that it is not called for a while; say why it failed.
            return (attempts, $"端点恢复期间暂不调用；上次失败：{lastFailure ?? "见之前的通知"}");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or NotificationRefusedException or JsonException)
        {
            return (attempts, Failure(e));
        }
    }

    // A connection failure keeps the runtime's own message (it names the host and port, never the path or its key).
    private string Failure(Exception e) => e switch
    {
        HttpRequestException { StatusCode: { } status } => $"端点回答 HTTP {(int)status}",
        HttpRequestException => $"无法连接端点：{e.Message}",
        TimeoutRejectedException => $"端点在 {Durations.InChineseWords(options.Value.Timeout)} 内没有回答",
        JsonException => $"机器人的回答无法读取：{e.Message}",
        _ => e.Message,
    };

    /// <summary>The message as the level's channel takes it; a plain webhook gets <paramref name="webhook"/>.</summary>
    private static object Body(EscalationLevel level, string title, string markdown, string text, DutyEngineer? engineer, object webhook) => level.Channel switch
    {
        // A WeCom robot's markdown cannot @-mention by mobile; its text message can.
        NotificationChannel.WeCom when engineer is not null => new
        {
            msgtype = "text",
            text = new
            {
                content = text,
                mentioned_list = engineer.WeComUserId is { } user ? new[] { user } : [],
                mentioned_mobile_list = new[] { engineer.Mobile },
            },
        },
        NotificationChannel.WeCom => new { msgtype = "markdown", markdown = new { content = markdown } },

        // DingTalk mentions those in at.atMobiles whose @mobile is also in the text.
        NotificationChannel.DingTalk when engineer is not null => new
        {
            msgtype = "markdown",
            markdown = new { title, text = $"{markdown}\n\n@{engineer.Mobile}" },
            at = new { atMobiles = new[] { engineer.Mobile }, isAtAll = false },
        },
        NotificationChannel.DingTalk => new { msgtype = "markdown", markdown = new { title, text = markdown } },
        _ => webhook,
    };

    private static HttpRequestMessage Request(EscalationLevel level, object body)
    {
        var url = level.Channel == NotificationChannel.DingTalk && !string.IsNullOrEmpty(level.Secret) ? DingTalkSigned(level.Url!, level.Secret) : level.Url!;
        // A whole body with its Content-Length: robots' gateways and plain webhook servers need not accept a chunked one.
        return new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(body, MessageJson.Options), Encoding.UTF8, "application/json"),
        };
    }

    /// <summary>DingTalk's signature: HMAC-SHA256 of "timestamp\nsecret" keyed with the secret, Base64, URL-encoded.</summary>
    public static string DingTalkSigned(string url, string secret, long? timestampMs = null)
    {
        var timestamp = timestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));
        return $"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}timestamp={timestamp}&sign={Uri.EscapeDataString(sign)}";
    }

    private ResiliencePipeline Pipeline(string url) => pipelines.GetOrAdd(url, _ =>
    {
        var settings = options.Value;
        return new ResiliencePipelineBuilder { TimeProvider = TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.Retries,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>().Handle<NotificationRefusedException>(),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = 2 * (settings.Retries + 1),
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = TimeSpan.FromMinutes(1),
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>().Handle<NotificationRefusedException>(),
            })
            .AddTimeout(settings.Timeout)
            .Build();
    });
}
