using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ops.Tickets.Storage;

/// <summary>
/// Encrypts a reporter's phone number for the database with AES-GCM, bound to its ticket (a number moved to
/// another row does not open). Stored as <c>v1:</c> and Base64 of nonce, tag and cipher text; the number
/// itself is an opaque string, kept as written.
/// </summary>
public sealed class PhoneCipher(IOptions<PersonalDataOptions> options)
{
    private const string Version = "v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] key = options.Value.KeyBytes();

    /// <summary>Whether a stored value is already encrypted (rows written before encryption hold the number itself).</summary>
    public static bool IsEncrypted(string stored) => stored.StartsWith(Version, StringComparison.Ordinal);

    public string Encrypt(Guid ticketId, string phone)
    {
        var plain = Encoding.UTF8.GetBytes(phone);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Context(ticketId));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The phone number of a stored value; a value written before encryption is returned as it is.</summary>
    public string Decrypt(Guid ticketId, string stored)
    {
        if (!IsEncrypted(stored))
        {
            return stored;
        }

        var sealedBytes = Convert.FromBase64String(stored[Version.Length..]);
        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plain, Context(ticketId));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Context(Guid ticketId) => Encoding.ASCII.GetBytes(ticketId.ToString("D"));
}
