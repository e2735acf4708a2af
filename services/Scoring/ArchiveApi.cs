using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Ops.Hosting.Archive;
using Ops.Hosting.Contracts;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Scoring.Archive;

namespace Ops.Scoring;

/// <summary>The yearly archive (档案包): one signed zip of a contract's service year, for the bureau's archives.</summary>
public static class ArchiveApi
{
    public static IEndpointRouteBuilder MapArchiveApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/archive", Get)
            .WithTags("Archive")
            .RequireAuthorization(Policies.Oversee)
            .WithName("GetArchive")
            .WithSummary("A contract's yearly archive (档案包) as one signed zip")
            .WithDescription("""
                `contract` (may be left out while the caller holds only one) and `year`: the year a service year starts in, so
                `year=2026` is the seed contract's service year 2026-02-28 – 2027-02-27 (a contract longer than a year has one per
                anniversary). A year outside the contract is refused with 400 naming `year`. The zip holds every ticket reported in
                the year with its timeline (`tickets/`), every clock of those tickets and its outcome (`clocks/`), the ledger of
                entries that occurred in the year with its waivers (`ledger/`), the assessment at the year's end (`assessment/`),
                every report version whose period overlaps the year, its workbook and its figures (`reports/`), and
                `contracts.json`; each as JSON lines (times in UTC) and as CSV (UTF-8 with a byte-order mark, times in Beijing time).
                Phones are masked. `manifest.json` gives every file's size and SHA-256 and each evidence chain's head when the
                archive was made; `manifest.sig` is its ECDSA P-256 signature, which `admin verify-archive` checks with the public
                key alone. Streamed as it is written. Managers and auditors whose scope holds the whole contract; 503 when the
                signing key is not configured or the tickets or sla-timer service does not answer; a download whose part stops
                sending for `Archive:PartTimeout` breaks off with an error. The assessment is the contract's, counted from its start.
                """);
        return app;
    }

    public static async Task<Results<ArchiveDownload, ValidationProblem, ProblemHttpResult>> Get(
        [AsParameters] ArchiveQuery query, ContractsFile contracts, ArchiveAssembler assembler, IOptions<ArchiveOptions> options,
        HttpRequest request, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (ServiceYear.Parse(query.Contract, query.Year, contracts, Scope.Of(user), errors) is not { } year)
        {
            return errors.ToProblem();
        }

        if (!options.Value.HasSigningKey)
        {
            return Unavailable(L10n.Of("未配置档案包的签名密钥（Archive__SigningKey），无法生成档案包。", "The archive's signing key (Archive__SigningKey) is not configured: no archive can be made."));
        }

        var credentials = Forwarded(request);
        try
        {
            var plan = await assembler.PlanAsync(year, credentials, cancellationToken);
            return new ArchiveDownload(plan, credentials, Caller.Actor(user), assembler);
        }
        catch (ArchivePartUnavailableException e)
        {
            return Unavailable(L10n.Of($"{e.Service} 服务未能提供它的那部分档案：{e.Why}", $"The {e.Service} service did not give its part of the archive: {e.Why}"));
        }
    }

    /// <summary>The caller's own credentials, passed on to the other services: they decide again who may read what.</summary>
    public static Action<HttpRequestMessage> Forwarded(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        var apiKey = request.Headers[ApiKeyAuthentication.Header].ToString();
        return message =>
        {
            if (authorization.Length > 0)
            {
                message.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            if (apiKey.Length > 0)
            {
                message.Headers.TryAddWithoutValidation(ApiKeyAuthentication.Header, apiKey);
            }
        };
    }

    /// <summary>A bearer token the command line issued itself.</summary>
    public static Action<HttpRequestMessage> Bearer(string token) => message => message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

    private static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: L10n.Of("暂时无法生成档案包。", "The archive cannot be made now."), detail: detail);

    /// <summary>档案包-OTQ-2026-OPS-2026.zip.</summary>
    public static string FileName(ServiceYear year) => $"档案包-{year.Contract}-{year.Year}.zip";
}

/// <summary>The archive written straight to the response as it is assembled; never cached.</summary>
public sealed class ArchiveDownload(ArchivePlan plan, Action<HttpRequestMessage> credentials, Actor by, ArchiveAssembler assembler) : IResult, IEndpointMetadataProvider
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(ArchiveApi.FileName(plan.Year));
        response.ContentType = "application/zip";
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "no-store";
        await ArchiveWriter.WriteToResponseAsync(response, (body, ct) => assembler.WriteAsync(plan, credentials, by, body, ct), httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(byte[]), ["application/zip"]));
}
