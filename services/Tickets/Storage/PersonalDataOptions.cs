using System.ComponentModel.DataAnnotations;
using Ops.Hosting.Configuration;

namespace Ops.Tickets.Storage;

/// <summary>
/// The key that encrypts reporters' phone numbers in the database (AES-256-GCM). It lives outside the
/// database, like the evidence chain's key, so a copy of the database does not reveal them. There is no
/// default: the service does not start without one.
/// </summary>
public sealed class PersonalDataOptions : IValidatableObject
{
    public const string Section = "PersonalData";

    /// <summary>Base64 of 32 random bytes (environment variable <c>PersonalData__Key</c>).</summary>
    public string? Key { get; set; }

    public byte[] KeyBytes() => Settings.Base64Key(Key);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeyBytes().Length != 32)
        {
            yield return new ValidationResult(
                "PersonalData:Key is not configured (environment variable PersonalData__Key: Base64 of exactly 32 random bytes, e.g. `openssl rand -base64 32`). The service does not start without one.",
                [nameof(Key)]);
        }
    }
}
