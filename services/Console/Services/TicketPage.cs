namespace Ops.Console.Services;

/// <summary>The words of the ticket page: a ticket's and a clock's codes as people read them.</summary>
public static class TicketPage
{
    public static string StatusName(string status) => status switch
    {
        "open" => "待响应",
        "acknowledged" => "已响应",
        "resolved" => "已解决",
        _ => status,
    };

    public static string ClockStateName(string state) => state switch
    {
        "running" => "计时中",
        "met" => "已达标",
        "breached" => "已超时",
        "paused" => "已暂停",
        _ => state,
    };

    public static string SeverityName(string? severity) => severity switch
    {
        "severe" => "严重故障",
        "general" => "一般故障",
        _ => "无级别",
    };

    public static string ChannelName(string channel) => channel switch
    {
        "phone" => "电话",
        "wechat" => "微信",
        "web" => "网页",
        "inspection" => "巡检",
        _ => channel,
    };

    public static string ActionName(string action) => action switch
    {
        "reported" => "报修",
        "acknowledged" => "确认响应",
        "resolved" => "修复完成",
        "reopened" => "重新打开",
        "severity changed" => "调整严重程度",
        "pause requested" => "申请暂停",
        "pause approved" => "批准暂停",
        "pause declined" => "驳回暂停",
        "paused" => "暂停",
        "resumed" => "恢复计时",
        _ => action,
    };

    /// <summary>Response, repair, completion: the order a ticket's clocks run in.</summary>
    public static int ClockOrder(string clock) => clock switch
    {
        "response" => 0,
        "repair" => 1,
        "completion" => 2,
        _ => 3,
    };
}
