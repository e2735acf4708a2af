using System.Security.Cryptography;

namespace Ops.Hosting.Archive;

/// <summary>
/// The archive's seal: an ECDSA P-256 signature (SHA-256, IEEE P1363, Base64) of the exact bytes of <c>manifest.json</c>,
/// kept beside it as <c>manifest.sig</c>. Whoever holds the public key checks it offline.
/// </summary>
public static class ArchiveSignature
{
    /// <summary>A private key written as Base64 of PKCS#8 or as PEM; refused unless it is P-256.</summary>
    public static ECDsa ImportPrivate(string text)
    {
        var key = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(text);
            }
            else
            {
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(text.Trim()), out _);
            }

            return IsP256(key) ? key : throw new CryptographicException("the key is not on the P-256 curve");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>A public key as PEM (<c>-----BEGIN PUBLIC KEY-----</c>); refused unless it is P-256.</summary>
    public static ECDsa ImportPublic(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return IsP256(key) ? key : throw new CryptographicException("the key is not on the P-256 curve");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>A new key pair: the private half as one Base64 line (for <c>Archive__SigningKey</c>), the public half as PEM.</summary>
    public static (string PrivateKey, string PublicKeyPem) NewKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (Convert.ToBase64String(key.ExportPkcs8PrivateKey()), key.ExportSubjectPublicKeyInfoPem());
    }

    public static string Sign(ECDsa key, byte[] manifest) => Convert.ToBase64String(key.SignData(manifest, HashAlgorithmName.SHA256));

    public static bool Verify(ECDsa key, byte[] manifest, string signature)
    {
        try
        {
            return key.VerifyData(manifest, Convert.FromBase64String(signature.Trim()), HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsP256(ECDsa key) => key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value;
}
