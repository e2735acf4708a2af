namespace Ops.Tickets.Lifecycle;

/// <summary>An engineer reports the fault repaired; who did it is the signed-in caller.</summary>
public sealed record ResolveRequest
{
    /// <summary>What was done, at most 4,000 characters.</summary>
    /// <example>重启综窗出件服务，已恢复。</example>
    public string? Resolution { get; init; }
}
