namespace Ops.Tickets.Lifecycle;

/// <summary>An engineer takes the ticket: this is the response the 30-minute clock waits for.</summary>
public sealed record AcknowledgeRequest
{
    /// <summary>The engineer who acknowledges, at most 100 characters.</summary>
    /// <example>王工</example>
    public string? Engineer { get; init; }
}

/// <summary>An engineer reports the fault repaired.</summary>
public sealed record ResolveRequest
{
    /// <summary>The engineer who resolved it, at most 100 characters.</summary>
    /// <example>王工</example>
    public string? Engineer { get; init; }

    /// <summary>What was done, at most 4,000 characters.</summary>
    /// <example>重启综窗出件服务，已恢复。</example>
    public string? Resolution { get; init; }
}
