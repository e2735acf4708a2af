using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;

namespace Ops.Hosting.Http;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (section <c>ForwardedHeaders</c>):
/// a TLS reverse proxy in front of the console, the console in front of the tickets service's sign-in. Left empty:
/// loopback only (127.0.0.0/8 and ::1). Set, they replace loopback, so name 127.0.0.1 too where a proxy on the same
/// host still calls. Anyone else's forwarded headers are ignored: a caller cannot choose its own address.
/// </summary>
public sealed class TrustedProxies : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Single addresses, e.g. <c>ForwardedHeaders__KnownProxies__0=10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Address ranges in CIDR notation, e.g. <c>ForwardedHeaders__KnownNetworks__0=10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (text, index) in KnownProxies.Select((t, i) => (t, i)).Where(p => !IPAddress.TryParse(p.t?.Trim(), out _)))
        {
            yield return new ValidationResult($"{Settings.Name($"{Section}:{nameof(KnownProxies)}:{index}")} must be an IP address such as 10.0.0.5; it is '{text}'.", [nameof(KnownProxies)]);
        }

        foreach (var (text, index) in KnownNetworks.Select((t, i) => (t, i)).Where(p => !System.Net.IPNetwork.TryParse(p.t?.Trim(), out _)))
        {
            yield return new ValidationResult($"{Settings.Name($"{Section}:{nameof(KnownNetworks)}:{index}")} must be an address range such as 10.0.0.0/24; it is '{text}'.", [nameof(KnownNetworks)]);
        }
    }

}

/// <summary>Every service and the console read forwarded headers alike: from the <see cref="TrustedProxies"/> only.</summary>
public static class TrustedProxiesSetup
{
    /// <summary>The settings, checked at start, and the forwarded-headers middleware believing only the proxies they name.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddSettings<TrustedProxies>(TrustedProxies.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxies>>((forwarded, trusted) =>
        {
            // Only the client's address and the scheme: a forwarded Host would let a caller choose the links the console writes.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            var proxies = trusted.Value;
            if (proxies.KnownProxies.Count == 0 && proxies.KnownNetworks.Count == 0)
            {
                forwarded.KnownIPNetworks.Add(new System.Net.IPNetwork(IPAddress.Loopback, 8));
                forwarded.KnownProxies.Add(IPAddress.IPv6Loopback);
                return;
            }

            foreach (var proxy in proxies.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            }

            foreach (var network in proxies.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, so the rate limits, the logs and the cookies' Secure flag all see the person's address and scheme.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) => app.UseForwardedHeaders();
}
