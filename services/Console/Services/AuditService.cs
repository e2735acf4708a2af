using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>The first entry of a chain that does not match its seal, and what is wrong with it (in the service's Chinese).</summary>
public sealed record BrokenEntry(long? Seq, string Entry, string Problem);

/// <summary>One evidence chain of a service: how many entries were checked, and the first broken one if any.</summary>
public sealed record EvidenceChainReport(string Chain, string Description, long Entries, bool Intact, BrokenEntry? FirstBroken);

/// <summary>A service's verdict on its evidence chains.</summary>
public sealed record EvidenceReport(bool Intact, List<EvidenceChainReport> Chains);

/// <summary>One service's evidence as the page shows it: its report, or why there is none (<see cref="Unreachable"/>, or the status it answered).</summary>
public sealed record ServiceEvidence(string Service, string Name, EvidenceReport? Report, bool Unreachable, int? Status)
{
    public bool Intact => Report is { Intact: true };
}

/// <summary>
/// The audit endpoint (<c>/api/audit/chains</c>) of each of the three services, one named client each: every service
/// verifies its own evidence, and one that cannot be reached is said so without hiding the others.
/// </summary>
public sealed class AuditService(IHttpClientFactory clients)
{
    /// <summary>The services with evidence, in the order the events flow, and their names for people.</summary>
    public static readonly IReadOnlyList<(string Service, string Name)> Audited = [("tickets", "工单服务"), ("sla-timer", "时限服务"), ("scoring", "考核服务")];

    /// <summary>The chains the services keep, by their ids, and their names for people; a chain not named here shows its id.</summary>
    private static readonly Dictionary<string, string> ChainNames = new(StringComparer.Ordinal)
    {
        ["ticket-timeline"] = "工单处理记录",
        ["clock-outcomes"] = "时限结果",
        ["deduction-ledger"] = "扣分台账",
        ["reports"] = "报表",
    };

    public static string ChainName(string chain) => ChainNames.GetValueOrDefault(chain, chain);

    /// <summary>The named client of a service's audit endpoint.</summary>
    public static string Client(string service) => $"audit-{service}";

    /// <summary>Every service's chains, asked at once.</summary>
    public async Task<IReadOnlyList<ServiceEvidence>> VerifyAllAsync(CancellationToken cancellationToken = default) =>
        await Task.WhenAll(Audited.Select(s => VerifyAsync(s.Service, s.Name, cancellationToken)));

    private async Task<ServiceEvidence> VerifyAsync(string service, string name, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(Client(service));
        try
        {
            using var response = await http.GetAsync("api/audit/chains", cancellationToken);
            return response.IsSuccessStatusCode
                ? new ServiceEvidence(service, name, await response.Content.ReadFromJsonAsync<EvidenceReport>(cancellationToken), false, null)
                : new ServiceEvidence(service, name, null, false, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Down, or too slow to answer: this service's evidence cannot be checked now; the others still can.
            return new ServiceEvidence(service, name, null, true, null);
        }
    }
}
