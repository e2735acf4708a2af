namespace Ops.Tickets.Intake;

/// <summary>A fault or a service request reported by the hotline, the WeChat gateway, the web form or an inspection round.</summary>
public sealed record ReportTicketRequest
{
    /// <summary>Where the report came from: <c>phone</c>, <c>wechat</c>, <c>web</c> or <c>inspection</c>.</summary>
    /// <example>phone</example>
    public string? Channel { get; init; }

    /// <summary><c>fault</c> (the default when left out) or <c>request</c> (a service request, 服务请求).</summary>
    /// <example>fault</example>
    public string? Kind { get; init; }

    /// <summary>A fault's severity: <c>general</c> (一般故障, repaired within 24 h) or <c>severe</c> (严重故障, repaired within 4 h). Not for requests.</summary>
    /// <example>severe</example>
    public string? Severity { get; init; }

    /// <summary>A service request's grade as the contract names them (the seed: <c>urgent</c>, <c>normal</c>, <c>low</c>). Only for requests.</summary>
    public string? Grade { get; init; }

    /// <summary>The site of the contract where the fault is, e.g. <c>OTQ</c> or <c>SHM</c>.</summary>
    /// <example>OTQ</example>
    public string? SiteCode { get; init; }

    /// <summary>The system that is affected, e.g. 综合一窗受理平台 (free text, at most 100 characters).</summary>
    /// <example>综合一窗受理平台</example>
    public string? System { get; init; }

    /// <summary>One line, at most 200 characters.</summary>
    /// <example>综窗无法出件</example>
    public string? Title { get; init; }

    /// <summary>What the reporter said, at most 4,000 characters.</summary>
    public string? Description { get; init; }

    /// <summary>Who reported it and how to call them back.</summary>
    public ReporterRequest? Reporter { get; init; }

    /// <summary>
    /// When the fault was reported, ISO 8601 with an offset; the server's time when left out. The clocks
    /// start here. At most 2 minutes ahead of the server's clock and at most 7 days old.
    /// </summary>
    public DateTimeOffset? ReportedAt { get; init; }

    /// <summary>The channel's own reference (call id, message id), at most 100 characters.</summary>
    public string? ExternalRef { get; init; }
}

/// <summary>The person who reported the fault.</summary>
public sealed record ReporterRequest
{
    /// <summary>At most 50 characters.</summary>
    /// <example>李女士</example>
    public string? Name { get; init; }

    /// <summary>A Chinese mobile or landline number; spaces, dashes and +86 are allowed.</summary>
    /// <example>13812341234</example>
    public string? Phone { get; init; }
}
