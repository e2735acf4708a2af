using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Primitives;
using Ops.Console.Components.Layout;

namespace Ops.Console.Services;

/// <summary>
/// The files people download: a report's workbook, the ticket and ledger exports. The browser holds a cookie, not a token,
/// so the console asks the API as the signed-in person and streams its answer through as it arrives (type, file name and
/// all), never holding a whole export in memory. A refusal of the API ends on the console's Chinese status page.
/// </summary>
public static class Downloads
{
    /// <summary>The named clients, each with the person's token.</summary>
    public const string Tickets = "downloads-tickets";

    public const string Scoring = "downloads-scoring";

    /// <summary>The filters of <c>GET /api/tickets/export</c> passed on from the console's address; anything else is left out.</summary>
    private static readonly string[] TicketFilters = ["format", "status", "siteCode", "severity", "kind", "acknowledgedBy", "from", "to"];

    /// <summary>The filters of <c>GET /api/ledger/export</c>.</summary>
    private static readonly string[] LedgerFilters = ["format", "contract", "item", "source", "from", "to"];

    public static WebApplication MapDownloads(this WebApplication app)
    {
        app.MapGet("/reports/{id:guid}/xlsx", (Guid id, HttpContext context, IHttpClientFactory clients) =>
                PassAsync(context, clients.CreateClient(Scoring), $"api/reports/{id}/xlsx"))
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{Menu.Manager},{Menu.Auditor}" });
        app.MapGet("/tickets/export", (HttpContext context, IHttpClientFactory clients) =>
                PassAsync(context, clients.CreateClient(Tickets), "api/tickets/export" + Query(context.Request.Query, TicketFilters)))
            .RequireAuthorization(new AuthorizeAttribute { Roles = Menu.Engineer });
        app.MapGet("/ledger/export", (HttpContext context, IHttpClientFactory clients) =>
                PassAsync(context, clients.CreateClient(Scoring), "api/ledger/export" + Query(context.Request.Query, LedgerFilters)))
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{Menu.Manager},{Menu.Auditor}" });
        return app;
    }

    /// <summary>The named filters of the address, escaped again, in the API's names.</summary>
    private static string Query(IQueryCollection query, string[] names)
    {
        var pairs = names.SelectMany(name => query.TryGetValue(name, out var values) ? values.Where(v => !string.IsNullOrEmpty(v)).Select(v => $"{name}={Uri.EscapeDataString(v!)}") : []).ToList();
        return pairs.Count == 0 ? "" : "?" + string.Join("&", pairs);
    }

    /// <summary>Streams the API's answer through: its status, type, disposition and length, then its body as it comes.</summary>
    private static async Task PassAsync(HttpContext context, HttpClient api, string path)
    {
        using var response = await api.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            // No body: the status code pages re-execute /status/{code}, which says it in Chinese.
            context.Response.StatusCode = (int)response.StatusCode;
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        var headers = response.Content.Headers;
        if (headers.ContentType is { } type)
        {
            context.Response.ContentType = type.ToString();
        }

        if (headers.TryGetValues("Content-Disposition", out var disposition))
        {
            context.Response.Headers.ContentDisposition = new StringValues([.. disposition]);
        }

        if (headers.ContentLength is { } length)
        {
            context.Response.ContentLength = length;
        }

        context.Response.Headers.CacheControl = "no-store";
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
