using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Ops.SlaTimer.WeCom;

/// <summary>Why a WeCom message was refused: its signature, its ciphertext, or the corp id inside it.</summary>
public sealed class WeComCryptoException(string message) : Exception(message);

/// <summary>
/// WeCom's callback crypto (加解密方案): <c>msg_signature</c> is the SHA-1 of the sorted token, timestamp, nonce and
/// ciphertext; the message is AES-256-CBC with key = Base64(EncodingAESKey + "="), IV = the key's first 16 bytes,
/// PKCS#7 padded to 32-byte blocks, over 16 random bytes + a 4-byte big-endian length + the message + the corp id.
/// </summary>
public sealed class WeComCrypto
{
    private const int Block = 32;
    private readonly string token;
    private readonly string corpId;
    private readonly byte[] key;

    public WeComCrypto(string token, string encodingAesKey, string corpId)
    {
        this.token = token;
        this.corpId = corpId;
        key = Key(encodingAesKey) ?? throw new ArgumentException("An EncodingAESKey is 43 characters of Base64 that decode to 32 bytes.", nameof(encodingAesKey));
    }

    /// <summary>The 32-byte AES key an EncodingAESKey stands for; null when it is not 43 characters of Base64 making 32 bytes.</summary>
    public static byte[]? Key(string? encodingAesKey)
    {
        if (encodingAesKey is not { Length: 43 })
        {
            return null;
        }

        var bytes = new byte[33];
        return Convert.TryFromBase64String(encodingAesKey + "=", bytes, out var written) && written == 32 ? bytes[..32] : null;
    }

    /// <summary>The lowercase hex SHA-1 of the four strings sorted ordinally and joined.</summary>
    public static string Signature(string token, string timestamp, string nonce, string encrypted)
    {
        string[] parts = [token, timestamp, nonce, encrypted];
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
    }

    public string Sign(string timestamp, string nonce, string encrypted) => Signature(token, timestamp, nonce, encrypted);

    /// <summary>Checks <paramref name="signature"/> over <paramref name="encrypted"/> and decrypts it; throws when either fails or the corp id is another's.</summary>
    public string Open(string? signature, string? timestamp, string? nonce, string? encrypted)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(encrypted))
        {
            throw new WeComCryptoException("msg_signature, timestamp, nonce and the ciphertext are all required.");
        }

        var expected = Encoding.ASCII.GetBytes(Sign(timestamp, nonce, encrypted));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
        {
            throw new WeComCryptoException("The msg_signature does not match.");
        }

        return Decrypt(encrypted);
    }

    /// <summary>The message inside <paramref name="encrypted"/> (Base64); throws unless it decrypts, its length holds and it names this corp.</summary>
    public string Decrypt(string encrypted)
    {
        byte[] plain;
        try
        {
            using var aes = Aes();
            // WeCom pads to 32 bytes, which .NET's PKCS#7 (16-byte blocks) refuses: strip the padding here.
            plain = aes.DecryptCbc(Convert.FromBase64String(encrypted), key[..16], PaddingMode.None);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new WeComCryptoException("The ciphertext is not AES-CBC in Base64.");
        }

        var pad = plain.Length == 0 ? 0 : plain[^1];
        if (pad is < 1 or > Block || pad > plain.Length || plain.AsSpan(plain.Length - pad).ContainsAnyExcept((byte)pad))
        {
            throw new WeComCryptoException("The padding is not PKCS#7.");
        }

        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < 20)
        {
            throw new WeComCryptoException("The plaintext is too short.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(content[16..20]);
        if (length > content.Length - 20)
        {
            throw new WeComCryptoException("The message length is out of range.");
        }

        var receiver = Encoding.UTF8.GetString(content[(20 + (int)length)..]);
        if (receiver != corpId)
        {
            throw new WeComCryptoException("The message is for another corp id.");
        }

        return Encoding.UTF8.GetString(content.Slice(20, (int)length));
    }

    /// <summary>Encrypts <paramref name="message"/> for this corp, as WeCom does and as a passive reply must be.</summary>
    public string Encrypt(string message)
    {
        var body = Encoding.UTF8.GetBytes(message);
        var receiver = Encoding.UTF8.GetBytes(corpId);
        var length = 20 + body.Length + receiver.Length;
        var pad = Block - (length % Block);
        var plain = new byte[length + pad];
        RandomNumberGenerator.Fill(plain.AsSpan(0, 16));
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16, 4), (uint)body.Length);
        body.CopyTo(plain, 20);
        receiver.CopyTo(plain, 20 + body.Length);
        plain.AsSpan(length).Fill((byte)pad);

        using var aes = Aes();
        return Convert.ToBase64String(aes.EncryptCbc(plain, key[..16], PaddingMode.None));
    }

    private System.Security.Cryptography.Aes Aes()
    {
        var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        return aes;
    }
}
