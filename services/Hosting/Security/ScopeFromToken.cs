using System.Security.Claims;

namespace Ops.Hosting.Security;

/// <summary>
/// Reads a bearer token's scope from the configured claims (<see cref="AuthOptions.ContractClaim"/>,
/// <see cref="AuthOptions.SiteClaim"/>) into the claims every service reads (<see cref="Scope.Of(ClaimsPrincipal)"/>).
/// A token without the contract claim is refused, unless <see cref="AuthOptions.UnscopedTokensAreUnlimited"/>.
/// </summary>
internal static class ScopeFromToken
{
    /// <summary>Replaces the identity's scope claims by the token's; the reason to refuse the token, or null.</summary>
    public static string? Apply(ClaimsIdentity identity, AuthOptions auth)
    {
        var present = identity.HasClaim(c => c.Type == auth.ContractClaim);
        var contracts = identity.FindAll(auth.ContractClaim).SelectMany(c => Scope.Split(c.Value)).ToList();
        var sites = identity.FindAll(auth.SiteClaim).SelectMany(c => Scope.Split(c.Value)).ToList();

        // Only this step writes the services' own scope claims: a token that brings them is not believed.
        foreach (var own in identity.Claims.Where(c => c.Type is Scope.ContractClaim or Scope.SiteClaim).ToList())
        {
            identity.RemoveClaim(own);
        }

        Scope scope;
        if (!present)
        {
            if (!auth.UnscopedTokensAreUnlimited)
            {
                return $"the token carries no '{auth.ContractClaim}' claim (Auth:ContractClaim): the contracts its bearer may see are unknown";
            }

            scope = Scope.All;
        }
        else
        {
            // A claim present but empty names no contract: nothing is in scope.
            scope = contracts.Contains(Scope.Everywhere) ? Scope.All : Scope.Of(contracts, sites);
        }

        identity.AddClaims(scope.ToClaims());
        return null;
    }
}
