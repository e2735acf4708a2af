namespace Ops.Tickets.Lifecycle;

/// <summary>An acknowledgement, optionally saying where it was made; no body at all is the API itself.</summary>
public sealed record AcknowledgeRequest
{
    /// <summary>console: made with the console's 确认响应 button, shown on the timeline as 经控制台 (a WeCom card's press arrives over the bus).</summary>
    /// <example>console</example>
    public string? Via { get; init; }
}

/// <summary>An engineer reports the fault repaired; who did it is the signed-in caller.</summary>
public sealed record ResolveRequest
{
    /// <summary>What was done, at most 4,000 characters.</summary>
    /// <example>重启综窗出件服务，已恢复。</example>
    public string? Resolution { get; init; }
}

/// <summary>A fault's severity changes; the repair clock is recomputed from the report (4 h severe, 24 h general).</summary>
public sealed record ChangeSeverityRequest
{
    /// <summary>general or severe.</summary>
    /// <example>severe</example>
    public string? Severity { get; init; }

    /// <summary>Why, at most 1,000 characters; it goes on the timeline.</summary>
    /// <example>影响全旗综窗出件，升级为严重故障</example>
    public string? Reason { get; init; }
}

/// <summary>A resolved ticket is reopened: the fault came back, or the fix did not hold.</summary>
public sealed record ReopenRequest
{
    /// <summary>Why, at most 1,000 characters; it goes on the timeline.</summary>
    /// <example>群众反馈仍无法出件</example>
    public string? Reason { get; init; }
}

/// <summary>Why the ticket's clock should stand still: one of the contract's reasons (<c>Sla:Pauses:Reasons</c>).</summary>
public sealed record PauseRequest
{
    /// <example>等待用户提供材料</example>
    public string? Reason { get; init; }
}

/// <summary>Why a manager declines a pause, at most 1,000 characters; it goes on the timeline.</summary>
public sealed record DeclinePauseRequest
{
    /// <example>材料已齐全，应继续办理</example>
    public string? Reason { get; init; }
}
