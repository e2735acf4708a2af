using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ops.Hosting.Security;

namespace Ops.Hosting.Audit;

/// <summary>The verdict on every evidence chain of a service.</summary>
/// <param name="Intact">True when every chain is whole.</param>
/// <param name="Chains">Each chain, with its first broken entry if any.</param>
public sealed record EvidenceReport(bool Intact, IReadOnlyList<ChainReport> Chains);

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit/chains", async Task<Ok<EvidenceReport>> (EvidenceVerifier verifier, CancellationToken cancellationToken) =>
            {
                var chains = await verifier.VerifyAsync(cancellationToken);
                return TypedResults.Ok(new EvidenceReport(chains.All(c => c.Intact), chains));
            })
            .RequireAuthorization(Policies.Oversee)
            .WithTags("Audit")
            .WithName("VerifyEvidenceChains")
            .WithSummary("Verify the service's evidence chains")
            .WithDescription("""
                Recomputes every seal of the service's append-only evidence (ticket timelines, clock outcomes or
                the deduction ledger) from the first entry and names the first entry that was changed, inserted
                or deleted behind the service's back. Managers and auditors.
                """);
        return app;
    }
}
