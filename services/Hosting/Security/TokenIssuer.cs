using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ops.Hosting.Security;

/// <summary>Issues the embedded default's bearer tokens (HS256 with the configured signing key): at login, and from the admin command.</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly AuthOptions auth = options.Value;

    /// <summary>A token for <paramref name="subject"/>; <paramref name="scope"/> left out is unlimited (every contract).</summary>
    public string Issue(string subject, string name, string role, TimeSpan? lifetime = null, Scope? scope = null)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role {role}.", nameof(role));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? auth.TokenLifetime),
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim(auth.NameClaim, name), new Claim(auth.RoleClaim, role), .. ScopeClaims(scope ?? Scope.All)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(auth.SigningKeyBytes()), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>The scope in the configured claims, as a single sign-on would send it.</summary>
    private IEnumerable<Claim> ScopeClaims(Scope scope) =>
        scope.Unlimited
            ? [new Claim(auth.ContractClaim, Scope.Everywhere)]
            : [.. scope.Contracts.Select(c => new Claim(auth.ContractClaim, c)), .. scope.Sites.Select(s => new Claim(auth.SiteClaim, s))];
}
