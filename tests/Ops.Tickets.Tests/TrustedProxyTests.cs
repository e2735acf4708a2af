using System.Net;
using System.Text;
using Microsoft.AspNetCore.TestHost;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// Sign-in is limited per person's address: the address a trusted proxy (the console, loopback by default) forwards,
/// never one an untrusted caller writes itself.
/// </summary>
public class TrustedProxyTests
{
    private const int Limit = 10;

    private ServiceFactory<Program> service = null!;

    [SetUp]
    public void StartService() => service = new ServiceFactory<Program>();

    [TearDown]
    public async Task StopService() => await service.DisposeAsync();

    /// <summary>A wrong password, sent from <paramref name="remote"/> with <paramref name="forwardedFor"/> as its X-Forwarded-For; the status it got.</summary>
    private async Task<int> SignInAsync(string remote, string? forwardedFor)
    {
        _ = service.Server; // started with its settings
        using var client = new HttpClient(service.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(remote))) { BaseAddress = service.Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
        {
            Content = new StringContent("""{"username":"engineer","password":"not the password at all"}""", Encoding.UTF8, "application/json"),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Test]
    public async Task SignIn_ThroughTheConsoleOnLoopback_IsLimitedPerForwardedAddress()
    {
        var first = new List<int>();
        for (var i = 0; i <= Limit; i++)
        {
            first.Add(await SignInAsync("127.0.0.1", "10.20.0.1"));
        }

        var second = await SignInAsync("127.0.0.1", "10.20.0.2");

        Assert.That(first.Take(Limit), Is.All.EqualTo(401));
        Assert.That(first[^1], Is.EqualTo(429), "the eleventh attempt of one person");
        Assert.That(second, Is.EqualTo(401), "another person behind the same console has their own limit");
    }

    [Test]
    public async Task SignIn_FromAnUntrustedCaller_IgnoresItsForwardedAddress()
    {
        var answers = new List<int>();
        for (var i = 0; i <= Limit; i++)
        {
            answers.Add(await SignInAsync("192.0.2.7", $"10.30.0.{i + 1}"));
        }

        Assert.That(answers.Take(Limit), Is.All.EqualTo(401));
        Assert.That(answers[^1], Is.EqualTo(429), "a caller cannot pass for many people by writing X-Forwarded-For");
    }

    [Test]
    public async Task SignIn_FromAProxyNamedInTheSettings_IsLimitedPerForwardedAddress_AndLoopbackIsNoLongerBelieved()
    {
        service.Settings["ForwardedHeaders:KnownNetworks:0"] = "192.0.2.0/24";
        for (var i = 0; i < Limit; i++)
        {
            Assert.That(await SignInAsync("192.0.2.7", "10.40.0.1"), Is.EqualTo(401));
            Assert.That(await SignInAsync("127.0.0.1", $"10.50.0.{i + 1}"), Is.EqualTo(401));
        }

        Assert.That(await SignInAsync("192.0.2.7", "10.40.0.2"), Is.EqualTo(401));
        Assert.That(await SignInAsync("192.0.2.7", "10.40.0.1"), Is.EqualTo(429));
        Assert.That(await SignInAsync("127.0.0.1", "10.50.0.99"), Is.EqualTo(429), "loopback is trusted only while no proxy is named");
    }

    [TestCase("ForwardedHeaders:KnownProxies:0", "the proxy", "ForwardedHeaders:KnownProxies:0 (ForwardedHeaders__KnownProxies__0) must be an IP address")]
    [TestCase("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99", "ForwardedHeaders:KnownNetworks:0 (ForwardedHeaders__KnownNetworks__0) must be an address range")]
    public void ATrustedProxyThatIsNoAddress_StopsTheServiceAtStart_NamingIt(string key, string value, string message)
    {
        service.Settings[key] = value;

        Assert.That(service.RefusedSettings(), Has.One.StartsWith(message));
    }
}
