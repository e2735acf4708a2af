using System.ComponentModel.DataAnnotations;
using Ops.Hosting.Configuration;

namespace Ops.Hosting.Audit;

/// <summary>
/// The key that seals the evidence chains (HMAC-SHA256). It lives outside the database, so whoever can
/// edit the tables cannot re-seal an edited row. There is no default: a service without one does not start.
/// </summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string Section = "Audit";

    /// <summary>Base64 of at least 32 random bytes (environment variable <c>Audit__ChainKey</c>).</summary>
    public string? ChainKey { get; set; }

    public byte[] ChainKeyBytes() => Settings.Base64Key(ChainKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ChainKeyBytes().Length < 32)
        {
            yield return new ValidationResult(
                "Audit:ChainKey is not configured (environment variable Audit__ChainKey: Base64 of at least 32 random bytes, e.g. `openssl rand -base64 32`). The service does not start without one.",
                [nameof(ChainKey)]);
        }
    }
}
