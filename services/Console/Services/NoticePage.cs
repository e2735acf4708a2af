namespace Ops.Console.Services;

/// <summary>The words of the notices page: a notice's codes as people read them.</summary>
public static class NoticePage
{
    /// <summary>The statuses a person may filter by, as the sla-timer names them, with their names.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> Statuses = [("sent", "已发送"), ("failed", "失败"), ("skipped", "已转下一级"), ("sending", "发送中")];

    public static string StatusName(string status) => Statuses.FirstOrDefault(s => s.Code == status).Name ?? status;

    /// <summary>The sla-timer names a channel weCom, dingTalk or webhook.</summary>
    public static string ChannelName(string channel) => channel.ToLowerInvariant() switch
    {
        "wecom" => "企业微信",
        "dingtalk" => "钉钉",
        "webhook" => "其他接口（Webhook）",
        _ => channel,
    };

    /// <summary>A failure in people's words; the channel's own error text (often English) stays beside it for the technician.</summary>
    public static string FailureName(string status) => status == "failed" ? "发送失败" : "上次发送失败，将重试";

    /// <summary>50 and 80 are warnings (the share of the time used), 100 the breach.</summary>
    public static string StageName(int stage) => stage >= 100 ? "已超时" : $"预警（已用 {stage}%）";
}
