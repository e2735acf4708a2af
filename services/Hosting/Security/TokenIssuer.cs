using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ops.Hosting.Security;

/// <summary>Issues the embedded default's bearer tokens (HS256 with the configured signing key): at login, and from the admin command.</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly AuthOptions auth = options.Value;

    public string Issue(string subject, string name, string role, TimeSpan? lifetime = null)
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
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim(auth.NameClaim, name), new Claim(auth.RoleClaim, role)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(auth.SigningKeyBytes()), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
