using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Ops.Hosting.Security;

namespace Ops.Testing;

/// <summary>One endpoint and the roles that may call it.</summary>
/// <param name="Method">GET, POST, DELETE.</param>
/// <param name="Route">The route as the service declares it, e.g. <c>/api/tickets/{id}</c>.</param>
/// <param name="Path">A path to call it with.</param>
/// <param name="Allowed">The roles that may; every other role gets 403, nobody signed in 401.</param>
/// <param name="Body">The JSON body to send, if any.</param>
public sealed record EndpointAccess(string Method, string Route, string Path, string[] Allowed, string? Body = null)
{
    /// <summary>As <see cref="AccessMatrix.MappedEndpoints"/> names it: <c>METHOD /route</c>.</summary>
    public string Endpoint => $"{Method} {Route}";

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>Calls every endpoint as every role and as nobody, and lists what answered otherwise than the matrix says.</summary>
public static class AccessMatrix
{
    /// <summary>The endpoints the service maps (method and route), so a matrix that misses one fails.</summary>
    public static IReadOnlyList<string> MappedEndpoints(IServiceProvider services) =>
        [.. services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} /{e.RoutePattern.RawText?.Trim('/')}"))
            .Distinct()
            .Order()];

    /// <summary>The mapped endpoints that need credentials: all but health, metrics and <paramref name="alsoOpen"/>.</summary>
    public static IReadOnlyList<string> GuardedEndpoints(IServiceProvider services, params string[] alsoOpen) =>
        [.. MappedEndpoints(services).Except(["* /health/live", "* /health/ready", "* /metrics", "GET /metrics", .. alsoOpen])];

    public static async Task<IReadOnlyList<string>> ViolationsAsync(Func<string?, HttpClient> clientAs, IEnumerable<EndpointAccess> endpoints)
    {
        var violations = new List<string>();
        foreach (var endpoint in endpoints)
        {
            foreach (var role in Roles.All.Append(null))
            {
                using var client = clientAs(role);
                using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path);
                if (endpoint.Body is not null)
                {
                    request.Content = new StringContent(endpoint.Body, System.Text.Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request);
                var expected = role is null ? "401" : endpoint.Allowed.Contains(role) ? "allowed" : "403";
                var actual = response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => "401",
                    HttpStatusCode.Forbidden => "403",
                    _ when (int)response.StatusCode >= 500 => $"{(int)response.StatusCode}",
                    _ => "allowed",
                };
                if (actual != expected)
                {
                    violations.Add($"{endpoint} as {role ?? "nobody"}: expected {expected}, got {(int)response.StatusCode}");
                }
                else if (actual is "401" or "403" && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    violations.Add($"{endpoint} as {role ?? "nobody"}: {(int)response.StatusCode} without a problem+json body");
                }
            }
        }

        return violations;
    }
}
