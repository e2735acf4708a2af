using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Ops.Hosting.Security;

/// <summary>
/// Reads a bearer token's scope from the configured claims (<see cref="AuthOptions.ContractClaim"/>,
/// <see cref="AuthOptions.SiteClaim"/>) into the claims every service reads (<see cref="Scope.Of(ClaimsPrincipal)"/>).
/// A token without the contract claim is refused, unless <see cref="AuthOptions.UnscopedTokensAreUnlimited"/>.
/// Runs after any other check of the token, whose verdict stands.
/// </summary>
internal sealed class ScopeFromToken(IOptions<AuthOptions> options) : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions jwt)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        var earlier = jwt.Events.OnTokenValidated;
        jwt.Events.OnTokenValidated = async context =>
        {
            await earlier(context);
            if (context.Result is null && context.Principal?.Identity is ClaimsIdentity identity)
            {
                Apply(context, identity, options.Value);
            }
        };
    }

    private static void Apply(TokenValidatedContext context, ClaimsIdentity identity, AuthOptions auth)
    {
        var present = identity.HasClaim(c => c.Type == auth.ContractClaim);
        var contracts = identity.FindAll(auth.ContractClaim).SelectMany(c => Scope.Split(c.Value)).ToList();
        var sites = identity.FindAll(auth.SiteClaim).SelectMany(c => Scope.Split(c.Value)).ToList();

        // Only this handler writes the services' own scope claims: a token that brings them is not believed.
        foreach (var own in identity.Claims.Where(c => c.Type is Scope.ContractClaim or Scope.SiteClaim).ToList())
        {
            identity.RemoveClaim(own);
        }

        Scope scope;
        if (!present)
        {
            if (!auth.UnscopedTokensAreUnlimited)
            {
                context.Fail($"The token carries no '{auth.ContractClaim}' claim (Auth:ContractClaim): the contracts its bearer may see are unknown.");
                return;
            }

            scope = Scope.All;
        }
        else
        {
            // A claim present but empty names no contract: nothing is in scope.
            scope = contracts.Contains(Scope.Everywhere) ? Scope.All : Scope.Of(contracts, sites);
        }

        identity.AddClaims(scope.ToClaims());
    }
}
