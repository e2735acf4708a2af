namespace Ops.Tickets.Intake;

/// <summary>一次报修（故障）或服务请求：来自热线、微信、网页表单或巡检。</summary>
public sealed record ReportTicketRequest
{
    /// <summary>报告渠道：<c>phone</c>（电话热线）、<c>wechat</c>（微信）、<c>web</c>（网页表单）或 <c>inspection</c>（巡检）。</summary>
    /// <example>phone</example>
    public string? Channel { get; init; }

    /// <summary>类型：<c>fault</c>（故障，不填时的默认值）或 <c>request</c>（服务请求）。</summary>
    /// <example>fault</example>
    public string? Kind { get; init; }

    /// <summary>故障的严重程度：<c>general</c>（一般故障，24 小时内修复）或 <c>severe</c>（严重故障，4 小时内修复）。服务请求不填。</summary>
    /// <example>severe</example>
    public string? Severity { get; init; }

    /// <summary>服务请求的等级，取合同规定的等级（默认合同：<c>urgent</c> 紧急、<c>normal</c> 一般、<c>low</c> 低）。仅服务请求填写。</summary>
    public string? Grade { get; init; }

    /// <summary>故障所在的合同站点编码，如 <c>OTQ</c>（鄂托克前旗政务服务与数据管理局）或 <c>SHM</c>（上海庙经济开发区政务服务分中心）。</summary>
    /// <example>OTQ</example>
    public string? SiteCode { get; init; }

    /// <summary>受影响的系统，须为合同所列系统之一，如 综合一窗受理平台；不在清单中的填 其他。</summary>
    /// <example>综合一窗受理平台</example>
    public string? System { get; init; }

    /// <summary>标题，一行，最多 200 个字符。</summary>
    /// <example>综窗无法出件</example>
    public string? Title { get; init; }

    /// <summary>报告人所述的情况，可多行，最多 4000 个字符。</summary>
    /// <example>窗口人员反映出件时报错。</example>
    public string? Description { get; init; }

    /// <summary>报告人及回访电话。</summary>
    public ReporterRequest? Reporter { get; init; }

    /// <summary>
    /// 报告时间，ISO 8601 格式并带时区（如 <c>2026-11-24T10:00:00+08:00</c>）；不填则取服务器收到的时间。
    /// SLA 计时（响应、修复或办结）从此刻开始。最多比服务器时间早 7 天、晚 2 分钟。
    /// </summary>
    public DateTimeOffset? ReportedAt { get; init; }

    /// <summary>渠道自己的编号（如通话编号、消息编号），最多 100 个字符。</summary>
    public string? ExternalRef { get; init; }
}

/// <summary>报告故障的人。</summary>
public sealed record ReporterRequest
{
    /// <summary>姓名或称呼，最多 50 个字符。</summary>
    /// <example>李女士</example>
    public string? Name { get; init; }

    /// <summary>中国大陆手机号或座机号（区号 + 号码）；可含空格、短横线和 +86。</summary>
    /// <example>13812341234</example>
    public string? Phone { get; init; }
}
