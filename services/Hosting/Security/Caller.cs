using System.Security.Claims;

namespace Ops.Hosting.Security;

/// <summary>Who did something: <paramref name="Id"/> names one identity (a token's subject, or <c>key:</c> and the API key's id), <paramref name="Name"/> is for people to read.</summary>
public sealed record Actor(string Id, string Name);

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

    /// <summary>
    /// The caller's unique identity: the token's subject (<c>user:</c> and the username for local users, the
    /// single sign-on's subject otherwise) or <c>key:</c> and the API key's id. Tokens without a subject are refused.
    /// </summary>
    public static string Id(ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value ?? throw new InvalidOperationException("An authenticated caller without a subject.");

    /// <summary>The caller as evidence records it: the unique <see cref="Id"/> beside the <see cref="Name"/>.</summary>
    public static Actor Actor(ClaimsPrincipal user) => new(Id(user), Name(user));

    /// <summary>One caller, for per-caller limits and idempotency keys: its <see cref="Id"/> (callers not signed in share one).</summary>
    public static string Partition(ClaimsPrincipal user) => user.FindFirst("sub")?.Value ?? "anonymous";

    public static bool IsAny(ClaimsPrincipal user, params string[] roles) => roles.Any(user.IsInRole);
}
