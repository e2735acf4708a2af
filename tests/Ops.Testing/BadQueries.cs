using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection;

namespace Ops.Testing;

/// <summary>What a query parameter holds, so an attack knows which values every parameter of that kind must refuse.</summary>
public enum QueryKind
{
    Time,
    Number,
    Duration,
    Choice,
    Contract,

    /// <summary>A site or system name: digits and letters are valid names, so only the values wrong for any parameter must be refused.</summary>
    Name,
}

/// <summary>One query parameter or route value of one endpoint, as the service describes itself.</summary>
public sealed record ParameterTarget(string Method, string Route, string Parameter, bool InPath, bool Constrained)
{
    public override string ToString() => $"{Method} /{Route} {(InPath ? "{" + Parameter + "}" : "?" + Parameter)}";
}

/// <summary>
/// Bad values for every query parameter and route value of every endpoint a service maps. The endpoints and their
/// parameters are read from the running service (its API description), so a new endpoint or parameter cannot
/// escape; a query parameter of a kind <see cref="Kinds"/> does not know fails the test until it is added.
/// </summary>
public static class BadQueries
{
    /// <summary>Every query parameter of the three services and what it holds.</summary>
    public static readonly IReadOnlyDictionary<string, QueryKind> Kinds = new Dictionary<string, QueryKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["from"] = QueryKind.Time,
        ["to"] = QueryKind.Time,
        ["limit"] = QueryKind.Number,
        ["offset"] = QueryKind.Number,
        ["evidence"] = QueryKind.Number,
        ["dueWithin"] = QueryKind.Duration,
        ["state"] = QueryKind.Choice,
        ["open"] = QueryKind.Choice,
        ["status"] = QueryKind.Choice,
        ["severity"] = QueryKind.Choice,
        ["kind"] = QueryKind.Choice,
        ["by"] = QueryKind.Choice,
        ["acknowledgedBy"] = QueryKind.Choice,
        ["contract"] = QueryKind.Contract,
        ["siteCode"] = QueryKind.Name,
        ["site"] = QueryKind.Name,
        ["system"] = QueryKind.Name,
        ["ticket"] = QueryKind.Name,
        ["format"] = QueryKind.Choice,
        ["item"] = QueryKind.Number,
        ["source"] = QueryKind.Choice,
        ["after"] = QueryKind.Number,
        ["year"] = QueryKind.Number,
        ["name"] = QueryKind.Name,
    };

    /// <summary>Wrong for a parameter of any kind: empty, blank, injections, control characters, oversize, times outside the contract era.</summary>
    public static readonly string[] WrongForAny =
    [
        "", " ", "' OR '1'='1", "\0", "\u001b[31m", "\u202E", "<script>", "a;b", new string('x', 5000),
        "0001-01-01T00:00:00+00:00", "1900-01-01T00:00:00+08:00", "1999-12-31T23:59:59+08:00", "2100-01-01T00:00:01+08:00",
        "9999-12-31T23:59:59.9999999+00:00", "2026-11-24T00:00:00+99:00",
    ];

    /// <summary>Wrong for a time, number, duration, choice or contract: huge and negative numbers, durations, junk.</summary>
    public static readonly string[] WrongForTyped =
    [
        "99999999999", "2147483648", "-1", "-2147483649", "1e9", "1.5", "NaN", "P99999999D", "-PT1M", "P367D", "PT99999999999H",
        "junk", "2026-11-24", "2026-11-24T10:00:00",
    ];

    /// <summary>Malformed route values (<c>{id}</c>): a lookup must never see them.</summary>
    public static readonly string[] WrongRouteValues =
    [
        "' OR 1=1 --", new string('9', 65), "F2026\u202E1", "a;b", "<script>", "a b", "2026-11-24T00:00:00+08:00", "%00",
    ];

    /// <summary>The query parameters and route values of every endpoint the service describes.</summary>
    public static IReadOnlyList<ParameterTarget> Targets(IServiceProvider services) =>
        [.. Descriptions(services).SelectMany(d => d.ParameterDescriptions
            .Where(p => p.Source == BindingSource.Query || p.Source == BindingSource.Path)
            .Select(p => new ParameterTarget(
                d.HttpMethod ?? "GET",
                d.RelativePath ?? "",
                p.Name,
                p.Source == BindingSource.Path,
                p.RouteInfo?.Constraints?.Any() == true)))
            .Distinct()];

    /// <summary>The endpoints described (<c>METHOD /route</c>), to hold against every endpoint mapped.</summary>
    public static IReadOnlyList<string> DescribedEndpoints(IServiceProvider services) =>
        [.. Descriptions(services).Select(d => $"{d.HttpMethod} /{d.RelativePath?.Trim('/')}").Distinct().Order()];

    /// <summary>
    /// Sends every bad value to every parameter and lists what answered otherwise than a 400 problem naming the
    /// parameter (a name may accept a number; a constrained route value may find no endpoint, 404; never a 5xx).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IServiceProvider services, Func<string, HttpClient> clientFor, string? validReference = null)
    {
        var violations = new List<string>();
        foreach (var target in Targets(services))
        {
            if (!target.InPath && !Kinds.ContainsKey(target.Parameter))
            {
                violations.Add($"{target}: a query parameter BadQueries.Kinds does not know; add its kind");
                continue;
            }

            var kind = target.InPath ? (QueryKind?)null : Kinds[target.Parameter];
            var attacks = target.InPath
                ? WrongRouteValues.Select(v => (Query: "", Path: Path(target.Route, target.Parameter, Uri.EscapeDataString(v), validReference), MustRefuse: !target.Constrained))
                : WrongForAny.Select(v => (Query: $"{target.Parameter}={Uri.EscapeDataString(v)}", MustRefuse: true))
                    .Concat(WrongForTyped.Select(v => (Query: $"{target.Parameter}={Uri.EscapeDataString(v)}", MustRefuse: kind != QueryKind.Name)))
                    .Append((Query: $"{target.Parameter}=1&{target.Parameter}=2", MustRefuse: true))
                    .Append((Query: $"{target.Parameter}=2026-11-24T00:00:00%2B08:00&{target.Parameter.ToUpperInvariant()}=2026-11-25T00:00:00%2B08:00", MustRefuse: true))
                    .Append((Query: target.Parameter, MustRefuse: true))
                    .Select(a => (a.Query, Path: Path(target.Route, null, null, validReference), a.MustRefuse));

            foreach (var (query, path, mustRefuse) in attacks)
            {
                using var request = new HttpRequestMessage(new HttpMethod(target.Method), query.Length == 0 ? path : $"{path}?{query}");
                using var response = await clientFor(path).SendAsync(request);
                var status = (int)response.StatusCode;
                var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                var named = problem && status == 400 && await NamesAsync(response, target.Parameter);
                var ok = status < 500
                    && (status < 400 ? !mustRefuse : problem)
                    && (status != 400 || named)
                    && (!mustRefuse || named || (target.Constrained && status is 404 or 405));
                if (!ok)
                {
                    violations.Add($"{target.Method} {request.RequestUri} → {status} {response.Content.Headers.ContentType?.MediaType}{(named ? "" : $", not naming '{target.Parameter}'")}");
                }
            }
        }

        return violations;
    }

    private static async Task<bool> NamesAsync(HttpResponseMessage response, string parameter)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("errors", out var errors)
            && errors.ValueKind == JsonValueKind.Object
            && errors.EnumerateObject().Any(e => string.Equals(e.Name, parameter, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The route with <paramref name="parameter"/> replaced by <paramref name="value"/> and any other route value by a valid one.</summary>
    private static string Path(string route, string? parameter, string? value, string? validReference)
    {
        var segments = route.Trim('/').Split('/').Select(s =>
            !s.StartsWith('{') ? s
            : parameter is not null && s.Trim('{', '}', '?').Split(':')[0] == parameter ? value!
            : validReference ?? Guid.NewGuid().ToString());
        return "/" + string.Join('/', segments);
    }

    private static IEnumerable<ApiDescription> Descriptions(IServiceProvider services) =>
        services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items.SelectMany(g => g.Items);
}
