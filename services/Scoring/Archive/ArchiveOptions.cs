using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

using Ops.Hosting.Archive;

namespace Ops.Scoring.Archive;

/// <summary>
/// The yearly archive's settings, where archives are made (scoring): the key that signs each archive's manifest, and
/// where the tickets and the sla-timer services answer for their part of it.
/// </summary>
public sealed class ArchiveOptions : IValidatableObject
{
    public const string Section = "Archive";

    /// <summary>
    /// The ECDSA P-256 private key (environment variable <c>Archive__SigningKey</c>): Base64 of its PKCS#8 form on one
    /// line, as <c>admin new-archive-key</c> prints it, or its PEM form. Without it no
    /// archive is made; the bureau keeps the public half (<c>admin archive-key</c>).
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The tickets service as scoring reaches it.</summary>
    [Required]
    public Uri TicketsUrl { get; set; } = new("http://127.0.0.1:5101");

    /// <summary>The sla-timer service as scoring reaches it.</summary>
    [Required]
    public Uri SlaTimerUrl { get; set; } = new("http://127.0.0.1:5102");

    /// <summary>How long scoring waits for a part to answer, and, mid-file, for its next bytes: 10 seconds to 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan PartTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public bool HasSigningKey => !string.IsNullOrWhiteSpace(SigningKey);

    /// <summary>The signing key; the caller disposes it.</summary>
    public ECDsa OpenSigningKey() => ArchiveSignature.ImportPrivate(SigningKey ?? throw new InvalidOperationException("Archive:SigningKey is not configured."));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HasSigningKey)
        {
            string? problem = null;
            try
            {
                using var key = OpenSigningKey();
            }
            catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                yield return new ValidationResult(
                    $"Archive:SigningKey (Archive__SigningKey) must be an ECDSA P-256 private key: Base64 of its PKCS#8 form, as `admin new-archive-key` prints it, or its PEM ({problem}).",
                    [nameof(SigningKey)]);
            }
        }

        foreach (var (name, url) in new[] { (nameof(TicketsUrl), TicketsUrl), (nameof(SlaTimerUrl), SlaTimerUrl) })
        {
            if (url is not { IsAbsoluteUri: true } || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ValidationResult($"Archive:{name} (Archive__{name}) must be an absolute http or https address, e.g. http://127.0.0.1:5101.", [name]);
            }
        }
    }
}
