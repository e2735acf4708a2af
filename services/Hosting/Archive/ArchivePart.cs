using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ops.Hosting.Contracts;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Archive;

/// <summary>A service's share of the yearly archive: the files it writes from its own store, each under its own folder (<c>tickets/</c>, <c>clocks/</c>).</summary>
public interface IArchivePart
{
    /// <summary>The service's name as the manifest gives its chains (<c>tickets</c>, <c>sla-timer</c>, <c>scoring</c>).</summary>
    string Service { get; }

    /// <summary>The folder every file of the part lies in, e.g. <c>tickets/</c>.</summary>
    string Folder { get; }

    /// <summary>The part's files for the year, by their path in the zip.</summary>
    Task<IReadOnlyList<string>> FilesAsync(ServiceYear year, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="file"/> is a name this part gives a file, whatever the year.</summary>
    bool Offers(string file);

    /// <summary>Writes one of <see cref="FilesAsync"/>'s files to <paramref name="stream"/> as it is read from the store.</summary>
    Task WriteAsync(string file, ServiceYear year, Stream stream, CancellationToken cancellationToken);
}

/// <summary>A part as another service offers it: the heads of its evidence chains when it was asked (before any file is read), and its files.</summary>
public sealed record ArchivePartListing(string Service, IReadOnlyList<ArchiveChainHead> Chains, IReadOnlyList<string> Files);

/// <summary>The query string of the archive and of its parts.</summary>
public sealed record ArchiveQuery(string? Contract, string? Year);

/// <summary><c>GET /api/archive/part</c> and <c>GET /api/archive/part/file</c>: what scoring fetches of a service to assemble the yearly archive.</summary>
public static class ArchivePartApi
{
    /// <summary>The heads of every evidence chain of the service's store, as they are now.</summary>
    public static async Task<IReadOnlyList<ArchiveChainHead>> ChainHeadsAsync(Database database, string service, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<(string Chain, long LastSeq, string LastHash)>(
            "SELECT chain, last_seq, last_hash FROM evidence_chains ORDER BY chain"), cancellationToken);
        return [.. rows.Select(r => new ArchiveChainHead(service, r.Chain, r.LastSeq, r.LastHash))];
    }

    public static IEndpointRouteBuilder MapArchivePart(this IEndpointRouteBuilder app)
    {
        var part = app.MapGroup("/api/archive/part").WithTags("Archive");
        part.MapGet("", List)
            .RequireAuthorization(Policies.Oversee)
            .WithName("ListArchivePart")
            .WithSummary("This service's part of a yearly archive: its files and its evidence chains' heads")
            .WithDescription("""
                What scoring fetches to assemble `GET /api/archive` on scoring: `contract` (may be left out while the caller holds one) and
                `year`, the year a service year starts in (2026: 2026-02-28 – 2027-02-27 for the seed contract); a year outside the
                contract is refused with 400 naming `year`. The heads are read before any file. Managers and auditors whose scope
                holds the whole contract.
                """);
        part.MapGet("file", File)
            .RequireAuthorization(Policies.Oversee)
            .WithName("GetArchivePartFile")
            .WithSummary("One file of this service's part of a yearly archive")
            .WithDescription("`name`, as the listing gives it, with the listing's `contract` and `year`: JSON lines (times in UTC) or CSV (UTF-8 with a byte-order mark, times in Beijing time), streamed as it is read. Phones are masked. A name the listing does not give is refused with 400 naming `name`.");
        return app;
    }

    public static async Task<Results<Ok<ArchivePartListing>, ValidationProblem>> List(
        [AsParameters] ArchiveQuery query, IArchivePart part, ContractsFile contracts, Database database, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (ServiceYear.Parse(query.Contract, query.Year, contracts, Scope.Of(user), errors) is not { } year)
        {
            return errors.ToProblem();
        }

        var chains = await ChainHeadsAsync(database, part.Service, cancellationToken);
        return TypedResults.Ok(new ArchivePartListing(part.Service, chains, await part.FilesAsync(year, cancellationToken)));
    }

    public static async Task<IResult> File(
        [AsParameters] ArchiveQuery query, string? name, IArchivePart part, ContractsFile contracts, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var year = ServiceYear.Parse(query.Contract, query.Year, contracts, Scope.Of(user), errors);
        if (string.IsNullOrWhiteSpace(name) || !part.Offers(name) || (year is not null && !(await part.FilesAsync(year, cancellationToken)).Contains(name, StringComparer.Ordinal)))
        {
            errors.Add("name", L10n.Of("“name”须为本服务档案清单（GET /api/archive/part）中的文件。", "'name' must be a file of this service's listing (GET /api/archive/part)."));
        }

        if (year is null || name is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        return new PartFile(name, year, part);
    }

    /// <summary>A part's file written straight to the response.</summary>
    private sealed class PartFile(string name, ServiceYear year, IArchivePart part) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = name.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv; charset=utf-8"
                : name.EndsWith(".jsonl", StringComparison.Ordinal) ? "application/x-ndjson"
                : "application/octet-stream";
            response.Headers.CacheControl = "no-store";
            await ArchiveWriter.WriteToResponseAsync(response, (body, ct) => part.WriteAsync(name, year, body, ct), httpContext.RequestAborted);
        }
    }
}
