using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Ops.Hosting.Http;

/// <summary>Checks of a request's shape that hold for every endpoint of the API, before its own validation.</summary>
internal static class RequestShape
{
    /// <summary>A route value (<c>{id}</c>) that cannot name anything is refused, naming it, before any store looks it up.</summary>
    public static async Task RefuseMalformedRouteValues(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            var errors = new ValidationErrors();
            foreach (var (name, value) in context.Request.RouteValues)
            {
                if (!QueryValues.IsReference(value as string))
                {
                    errors.Add(name, L10n.Of(
                        $"“{name}”须为 id、编号或名称：最多 64 个字母、数字、“-”、“.”或“_”。",
                        $"'{name}' must be an id, a number or a name: at most 64 letters, digits, '-', '.' or '_'."));
                }
            }

            if (!errors.IsEmpty)
            {
                await errors.ToProblem().ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }

    /// <summary>
    /// A query parameter given twice (<c>?from=a&amp;from=b</c>) or given empty (<c>?limit=</c>) is refused, naming
    /// it: the endpoint would otherwise read "a,b" or silently use its default.
    /// </summary>
    public static async Task RefuseRepeatedOrEmptyQueryValues(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/api") && context.Request.QueryString.HasValue)
        {
            var errors = new ValidationErrors();
            foreach (var (key, values) in context.Request.Query)
            {
                var name = key.Length > 64 ? key[..64] : key;
                if (values.Count > 1)
                {
                    errors.Add(name, L10n.Of($"“{name}”给了 {values.Count} 次，只能给一次。", $"'{name}' is given {values.Count} times; give it once."));
                }
                else if (string.IsNullOrWhiteSpace(values[0]))
                {
                    errors.Add(name, L10n.Of($"“{name}”为空：请省略它或给出一个值。", $"'{name}' is empty; leave it out or give a value."));
                }
            }

            if (!errors.IsEmpty)
            {
                await errors.ToProblem().ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }

    /// <summary>
    /// A request without a body to an endpoint that takes JSON is read as <c>{}</c>, so the endpoint's own
    /// validation names the fields that are required ("'resolution' is required.") instead of the framework
    /// saying that a body was inferred.
    /// </summary>
    public static Task ReadMissingBodyAsEmpty(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
            && accepts.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase))
            && (request.ContentType is null || request.HasJsonContentType())
            && HasNoBody(context))
        {
            request.ContentType = "application/json";
            request.ContentLength = 2;
            request.Body = new MemoryStream("{}"u8.ToArray(), writable: false);
            context.Features.Set<IHttpRequestBodyDetectionFeature>(new BodyPresent());
        }

        return next(context);
    }

    private sealed class BodyPresent : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private static bool HasNoBody(HttpContext context) =>
        context.Request.ContentLength == 0
        || (context.Request.ContentLength is null
            && !context.Request.Headers.ContainsKey("Transfer-Encoding")
            && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true);
}
