using System.Security.Claims;

namespace Ops.Hosting.Security;

/// <summary>The authenticated caller, as the timeline and the ledger record it.</summary>
public static class Caller
{
    /// <summary>Set on callers that came with an API key.</summary>
    public const string KeyIdClaim = "ops_key_id";

    /// <summary>The person's name from the token, or the API key's name: never a field of the request body.</summary>
    public static string Name(ClaimsPrincipal user) =>
        user.FindFirst(KeyIdClaim) is not null
            ? $"{user.Identity?.Name} (API key)"
            : user.Identity?.Name ?? user.FindFirst("sub")?.Value ?? "unknown";

    /// <summary>One caller, for per-caller limits: the key's id or the token's subject.</summary>
    public static string Partition(ClaimsPrincipal user) =>
        user.FindFirst(KeyIdClaim)?.Value is { } key ? $"key:{key}" : $"user:{user.FindFirst("sub")?.Value ?? user.Identity?.Name}";

    public static bool IsAny(ClaimsPrincipal user, params string[] roles) => roles.Any(user.IsInRole);
}
