using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Ops.Hosting.Audit;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Testing;

/// <summary>Keys made fresh for each test run (never configuration of the product), and tokens signed with them.</summary>
public static class TestSecrets
{
    public static string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string ChainKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key of personal data at rest (the tickets service's <c>PersonalData:Key</c>).</summary>
    public static string PersonalDataKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static AuthOptions Auth => new() { SigningKey = SigningKey };

    /// <summary>The evidence seal the services use in tests.</summary>
    public static EvidenceChain Evidence(Database database) => new(database, Options.Create(new AuditOptions { ChainKey = ChainKey }));

    /// <summary>A bearer token for a person with this role, valid for a day of real time (token lifetimes are checked against the real clock).</summary>
    public static string Token(string role, string name = "", Scope? scope = null) =>
        new TokenIssuer(Options.Create(Auth), TimeProvider.System).Issue($"test:{role}", name.Length > 0 ? name : $"test {role}", role, TimeSpan.FromDays(1), scope);

    /// <summary>Signs the client in with <paramref name="role"/>, limited to <paramref name="scope"/> (left out: every contract).</summary>
    public static HttpClient As(this HttpClient client, string role, string name = "", Scope? scope = null)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, name, scope));
        return client;
    }

    public static HttpClient Anonymous(this HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = null;
        client.DefaultRequestHeaders.Remove(ApiKeyAuthentication.Header);
        return client;
    }

    public static HttpClient WithApiKey(this HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = null;
        client.DefaultRequestHeaders.Remove(ApiKeyAuthentication.Header);
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);
        return client;
    }
}
