using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Ops.Hosting.Configuration;

namespace Ops.Hosting.Security;

public static class SecuritySetup
{
    /// <summary>The scheme every request is authenticated with: an API key when the request carries one, a bearer token otherwise.</summary>
    public const string Scheme = "Ops";

    /// <summary>How far a token's lifetime may be off the server's clock: tokens are accepted at most this long after they expire.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Bearer tokens (the embedded default's or the bureau's single sign-on's) and API keys; a policy per
    /// kind of work (<see cref="Policies"/>), and nothing reachable without authentication unless marked so.
    /// </summary>
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<AuthOptions>(AuthOptions.Section);
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<ScopeCatalog>();
        builder.Services.AddSingleton<DisabledUsers>();
        builder.Services.AddSingleton<BearerTokenEvents>();

        builder.Services
            .AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthentication.Header) ? ApiKeyAuthentication.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((jwt, options) =>
        {
            var auth = options.Value;
            jwt.MapInboundClaims = false;
            jwt.EventsType = typeof(BearerTokenEvents);
            if (!string.IsNullOrWhiteSpace(auth.Authority))
            {
                jwt.Authority = auth.Authority;
            }

            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = auth.Issuer,
                ValidAudience = auth.Audience,
                IssuerSigningKey = string.IsNullOrWhiteSpace(auth.Authority) ? new SymmetricSecurityKey(auth.SigningKeyBytes()) : null,
                NameClaimType = auth.NameClaim,
                RoleClaimType = auth.RoleClaim,
                ClockSkew = ClockSkew,
            };
        });

        builder.Services.AddAuthorization(o =>
        {
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            foreach (var (policy, roles) in Policies.AllowedRoles)
            {
                o.AddPolicy(policy, p =>
                {
                    p.RequireAuthenticatedUser().RequireRole(roles);
                    if (policy == Policies.Administer)
                    {
                        // Users and keys belong to the whole deployment: an administrator limited to some contracts could grant any.
                        p.RequireAssertion(c => Scope.Of(c.User).Unlimited);
                    }
                });
            }
        });
        return builder;
    }
}
