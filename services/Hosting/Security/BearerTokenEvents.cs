using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Ops.Hosting.Security;

/// <summary>
/// What happens around a bearer token's check: a token of a disabled user, or one without a subject, is
/// refused after its signature and lifetime passed; the token's scope becomes the caller's (<see cref="ScopeFromToken"/>);
/// every refusal is logged with the caller's address and
/// the reason, never the token.
/// </summary>
public sealed class BearerTokenEvents(DisabledUsers disabled, IOptions<AuthOptions> options, ILogger<BearerTokenEvents> logger) : JwtBearerEvents
{
    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var subject = context.Principal?.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            Refuse(context, "the token names no subject (sub)");
            return;
        }

        if (await disabled.DisabledAtAsync(subject, context.HttpContext.RequestAborted) is { } disabledAt
            && IssuedAt(context) <= disabledAt)
        {
            Refuse(context, $"the user {subject} was disabled at {disabledAt:O}");
            return;
        }

        if (context.Principal?.Identity is ClaimsIdentity identity && ScopeFromToken.Apply(identity, options.Value) is { } refusal)
        {
            Refuse(context, refusal);
        }
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        logger.LogWarning("Bearer token refused from {RemoteAddress}: {Reason}",
            RemoteAddress(context.HttpContext), $"{context.Exception.GetType().Name}: {context.Exception.Message}");
        return Task.CompletedTask;
    }

    /// <summary>The caller's address as the server saw it, for the log.</summary>
    public static string RemoteAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private void Refuse(TokenValidatedContext context, string reason)
    {
        logger.LogWarning("Bearer token refused from {RemoteAddress}: {Reason}", RemoteAddress(context.HttpContext), reason);
        context.Fail($"The token is refused: {reason}.");
    }

    // A token that does not say when it was issued is treated as issued long ago.
    private static DateTimeOffset IssuedAt(TokenValidatedContext context) =>
        context.SecurityToken is JsonWebToken { IssuedAt: var issued } && issued != DateTime.MinValue
            ? new DateTimeOffset(DateTime.SpecifyKind(issued, DateTimeKind.Utc))
            : DateTimeOffset.MinValue;
}
