using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Ops.SlaTimer.WeCom;

namespace Ops.SlaTimer.Tests;

/// <summary>WeCom's callback crypto (加解密方案): messages encrypted and signed here, and WeCom's own published sample.</summary>
public class WeComCryptoTests
{
    // WeCom's sample values, published with its callback sample code (weworkapi, callback/Sample.*) and the
    // "加解密方案说明" page (developer.work.weixin.qq.com/document/path/90968): token, EncodingAESKey, corp id, and a
    // URL check and a POST with their signatures.
    private const string SampleToken = "QDG6eK";
    private const string SampleKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private const string SampleCorpId = "wx5823bf96d3bd56c7";

    private const string SampleEchoStr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

    private const string SampleEncrypt =
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

    internal const string Token = "ops-sla-token";
    internal const string Key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    internal const string CorpId = "ww0123456789abcdef";

    private static readonly WeComCrypto Crypto = new(Token, Key, CorpId);

    [Test]
    public void WeComsSampleUrlCheck_VerifiesAndDecrypts()
    {
        var sample = new WeComCrypto(SampleToken, SampleKey, SampleCorpId);

        var echo = sample.Open("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", SampleEchoStr);

        Assert.That(echo, Is.Not.Empty.And.Matches("^[0-9]+$"));
    }

    [Test]
    public void WeComsSamplePost_VerifiesAndDecryptsToItsMessage()
    {
        var sample = new WeComCrypto(SampleToken, SampleKey, SampleCorpId);

        var message = WeComXml.Parse(sample.Open("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", SampleEncrypt))!;

        Assert.That((message["ToUserName"], message["CreateTime"], message["MsgId"], message["AgentID"]), Is.EqualTo((SampleCorpId, "1409659813", "4561255354251345929", "218")));
    }

    [Test]
    public void WeComsSample_UnderAnotherCorpId_IsRefused()
    {
        var other = new WeComCrypto(SampleToken, SampleKey, "wx0000000000000000");

        Assert.Throws<WeComCryptoException>(() => other.Open("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", SampleEncrypt));
    }

    [Test]
    public void TheSignature_IsTheSha1OfTheFourStringsSortedAndJoined()
    {
        string[] parts = ["1409659813", "1372623149", "zzz", "aaa"];
        var joined = string.Concat(parts.Order(StringComparer.Ordinal));

        Assert.That(WeComCrypto.Signature("zzz", "1409659813", "1372623149", "aaa"), Is.EqualTo(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(joined)))));
    }

    [Test]
    public void AMessageEncryptedHere_IsLaidOutAsWeComLaysItOut_AndOpensAgain()
    {
        const string message = "<xml><Content><![CDATA[确认响应]]></Content></xml>";

        var encrypted = Crypto.Encrypt(message);
        var key = Convert.FromBase64String(Key + "=");
        var plain = Aes(key).DecryptCbc(Convert.FromBase64String(encrypted), key[..16], PaddingMode.None);

        Assert.That(plain.Length % 32, Is.Zero, "PKCS#7 to 32-byte blocks");
        var pad = plain[^1];
        Assert.That(pad, Is.InRange(1, 32));
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(plain.AsSpan(16, 4));
        Assert.That(Encoding.UTF8.GetString(plain, 20, length), Is.EqualTo(message));
        Assert.That(Encoding.UTF8.GetString(plain, 20 + length, plain.Length - pad - 20 - length), Is.EqualTo(CorpId));
        Assert.That(Crypto.Open(Crypto.Sign("1700000000", "42", encrypted), "1700000000", "42", encrypted), Is.EqualTo(message));
    }

    [Test]
    public void AWrongSignature_IsRefused()
    {
        var encrypted = Crypto.Encrypt("<xml/>");

        Assert.Throws<WeComCryptoException>(() => Crypto.Open(WeComCrypto.Signature("other-token", "1700000000", "42", encrypted), "1700000000", "42", encrypted));
        Assert.Throws<WeComCryptoException>(() => Crypto.Open(Crypto.Sign("1700000001", "42", encrypted), "1700000000", "42", encrypted));
        Assert.Throws<WeComCryptoException>(() => Crypto.Open(null, "1700000000", "42", encrypted));
    }

    [Test]
    public void ATamperedOrForeignCiphertext_IsRefused()
    {
        var encrypted = Convert.FromBase64String(Crypto.Encrypt("<xml/>"));
        encrypted[^1] ^= 0x5A;
        var tampered = Convert.ToBase64String(encrypted);
        var foreign = new WeComCrypto(Token, Key, "ww_another_corp").Encrypt("<xml/>");

        Assert.Throws<WeComCryptoException>(() => Crypto.Decrypt(tampered));
        Assert.Throws<WeComCryptoException>(() => Crypto.Decrypt(foreign));
        Assert.Throws<WeComCryptoException>(() => Crypto.Decrypt("not base64!"));
    }

    [TestCase("")]
    [TestCase("short")]
    [TestCase("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF!")]
    public void AnEncodingAesKeyThatIsNot43CharactersOfBase64_HasNoKey(string key) =>
        Assert.That(WeComCrypto.Key(key), Is.Null);

    private static Aes Aes(byte[] key)
    {
        var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        return aes;
    }
}
