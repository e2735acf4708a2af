using System.ComponentModel.DataAnnotations;
using Ops.Hosting.Configuration;

namespace Ops.Hosting.Security;

/// <summary>
/// How bearer tokens are checked. Either a shared signing key (HS256, at least 32 bytes, Base64) — the
/// embedded default, whose tokens the tickets service issues — or the <see cref="Authority"/> of the
/// bureau's single sign-on, whose published keys are used. There is no default key: a service without
/// one does not start.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    [Required]
    public string Issuer { get; set; } = "ops-sla";

    [Required]
    public string Audience { get; set; } = "ops-sla";

    /// <summary>Base64 of at least 32 random bytes (environment variable <c>Auth__SigningKey</c>).</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect issuer whose discovery document names its signing keys, instead of <see cref="SigningKey"/>.</summary>
    public string? Authority { get; set; }

    /// <summary>The claim that carries the role (one of <see cref="Roles.All"/>).</summary>
    [Required]
    public string RoleClaim { get; set; } = "role";

    /// <summary>The claim that carries the person's name, as the timeline records it.</summary>
    [Required]
    public string NameClaim { get; set; } = "name";

    /// <summary>
    /// The claim that carries the contracts a person may see and act on: one code per value (a JSON array) or
    /// several in one value separated by spaces or commas; <c>*</c> for every contract.
    /// </summary>
    [Required]
    public string ContractClaim { get; set; } = "ops_contracts";

    /// <summary>The claim that limits the person to some sites of those contracts, written like <see cref="ContractClaim"/>; absent: every site.</summary>
    [Required]
    public string SiteClaim { get; set; } = "ops_sites";

    /// <summary>
    /// Whether a bearer token without <see cref="ContractClaim"/> may see every contract. Off by default: such
    /// a token is refused, so a single sign-on that forgets the claim opens nothing.
    /// </summary>
    public bool UnscopedTokensAreUnlimited { get; set; }

    /// <summary>How long a token issued at login is valid: 5 minutes to 7 days.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public byte[] SigningKeyBytes() => Settings.Base64Key(SigningKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) && SigningKeyBytes().Length < 32)
        {
            yield return new ValidationResult(
                "Auth:SigningKey is not configured (environment variable Auth__SigningKey: Base64 of at least 32 random bytes, e.g. `openssl rand -base64 32`), nor Auth:Authority. The service does not start without one.",
                [nameof(SigningKey)]);
        }

        string[] claims = ["sub", NameClaim, RoleClaim];
        if (ContractClaim == SiteClaim || claims.Contains(ContractClaim) || claims.Contains(SiteClaim))
        {
            yield return new ValidationResult(
                $"Auth:ContractClaim ({ContractClaim}) and Auth:SiteClaim ({SiteClaim}) must be two claims of their own, neither sub nor Auth:NameClaim nor Auth:RoleClaim.",
                [nameof(ContractClaim), nameof(SiteClaim)]);
        }
    }
}
