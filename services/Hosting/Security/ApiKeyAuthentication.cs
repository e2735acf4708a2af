using System.Security.Claims;
using System.Text.Encodings.Web;
using MassTransit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ops.Contracts.Security;

namespace Ops.Hosting.Security;

/// <summary>Machine clients (the hotline and WeChat gateways) authenticate with the <c>X-Api-Key</c> header.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var presented))
        {
            return AuthenticateResult.NoResult();
        }

        var key = presented.Count == 1 ? await keys.FindAsync(presented.ToString(), Context.RequestAborted) : null;
        if (key is null)
        {
            Logger.LogWarning("API key refused from {RemoteAddress}: unknown or revoked", BearerTokenEvents.RemoteAddress(Context));
            return AuthenticateResult.Fail("The API key is unknown or was revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim("sub", $"key:{key.KeyId:N}"),
                new Claim("name", key.Name),
                new Claim("role", key.Role),
                new Claim(Caller.KeyIdClaim, key.KeyId.ToString("N")),
                .. key.Scope.ToClaims(),
            ],
            SchemeName,
            "name",
            "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>Keeps this service's copy of the API keys in step with the service that issued or revoked them.</summary>
public sealed class ApiKeyConsumer(ApiKeyStore keys) : IConsumer<ApiKeyIssued>, IConsumer<ApiKeyRevoked>
{
    public Task Consume(ConsumeContext<ApiKeyIssued> context) => keys.RecordAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<ApiKeyRevoked> context) => keys.RecordAsync(context.Message, context.CancellationToken);
}
