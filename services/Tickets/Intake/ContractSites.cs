using Ops.Contracts.Tickets;
using Ops.Hosting.Contracts;

namespace Ops.Tickets.Intake;

/// <summary>What intake needs to know of a contract (from <c>contracts.json</c>): its sites, its systems and its service period.</summary>
public sealed class ContractSites
{
    public string Title { get; set; } = "";
    public DateOnly ServiceStart { get; set; }
    public DateOnly ServiceEnd { get; set; }
    public Dictionary<string, string> Sites { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>The systems a report may name; anything else is refused at intake (the seed lists its catch-all, 其他).</summary>
    public List<string> Systems { get; set; } = [];
    public TicketPolicy Sla { get; set; } = new();
}

/// <summary>What the tickets service needs of a contract's SLA section.</summary>
public sealed class TicketPolicy
{
    /// <summary>How long after its resolution a ticket may be reopened (default 7 days); later, the fault is reported anew.</summary>
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(7);

    public RequestGrades Requests { get; set; } = new();

    public PausePolicy Pauses { get; set; } = new();
}

/// <summary>
/// Whether a contract lets a ticket's repair or completion clock stand still, and for which reasons.
/// Off for faults unless the contract says otherwise: the seed contract is 7×24 and names no such case.
/// </summary>
public sealed class PausePolicy
{
    public bool Faults { get; set; }

    public bool Requests { get; set; }

    /// <summary>The reasons a pause may give, e.g. 等待用户提供材料.</summary>
    public List<string> Reasons { get; set; } = [];

    public bool Allows(TicketKind kind) => kind == TicketKind.Fault ? Faults : Requests;
}

/// <summary>The grades a contract's service requests may have (their targets are the sla-timer's business).</summary>
public sealed class RequestGrades
{
    public Dictionary<string, RequestGradeName> Grades { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>A grade's name as people read it, e.g. 紧急.</summary>
public sealed class RequestGradeName
{
    public string Name { get; set; } = "";

    /// <summary>The grade's response target: it orders the grades most urgent first wherever they are listed (the sla-timer enforces it).</summary>
    public TimeSpan Response { get; set; }
}

/// <summary>The configured contracts, by code, and which of them a site belongs to.</summary>
public sealed class ContractCatalog(IReadOnlyDictionary<string, ContractSites> contracts)
{
    public IReadOnlyDictionary<string, ContractSites> Contracts { get; } = contracts;

    /// <summary>The tickets service's view of the contracts file (which checks that each contract names its sites and systems).</summary>
    public static ContractCatalog From(ContractsFile file) => new(file.Usable.ToDictionary(c => c.Key, c => new ContractSites
    {
        Title = c.Value.Title,
        ServiceStart = c.Value.ServiceStart,
        ServiceEnd = c.Value.ServiceEnd,
        Sites = new(c.Value.Sites, StringComparer.OrdinalIgnoreCase),
        Systems = [.. c.Value.Systems],
        Sla = new TicketPolicy
        {
            ReopenWindow = c.Value.Sla.ReopenWindow,
            Requests = new RequestGrades
            {
                Grades = c.Value.Sla.Requests.Grades.ToDictionary(
                    g => g.Key, g => new RequestGradeName { Name = g.Value.Name ?? "", Response = g.Value.Response ?? TimeSpan.Zero }, StringComparer.OrdinalIgnoreCase),
            },
            Pauses = new PausePolicy { Faults = c.Value.Sla.Pauses.Faults, Requests = c.Value.Sla.Pauses.Requests, Reasons = [.. c.Value.Sla.Pauses.Reasons] },
        },
    }));

    /// <summary>The contract that covers <paramref name="siteCode"/>, or null when no contract names the site.</summary>
    public (string Code, ContractSites Contract, string SiteCode)? FindSite(string siteCode)
    {
        foreach (var (code, contract) in Contracts)
        {
            var site = contract.Sites.Keys.FirstOrDefault(k => string.Equals(k, siteCode, StringComparison.OrdinalIgnoreCase));
            if (site is not null)
            {
                return (code, contract, site);
            }
        }

        return null;
    }

    /// <summary>The ticket rules of a contract; the defaults for a contract no longer configured.</summary>
    public TicketPolicy PolicyOf(string contract) => Contracts.GetValueOrDefault(contract)?.Sla ?? new TicketPolicy();

    public IEnumerable<string> AllSiteCodes => Contracts.Values.SelectMany(c => c.Sites.Keys).Order(StringComparer.Ordinal);

    /// <summary>Every site with its contract, in the order of <see cref="AllSiteCodes"/>.</summary>
    public IEnumerable<(string Contract, string SiteCode)> AllSites =>
        Contracts.SelectMany(c => c.Value.Sites.Keys.Select(s => (Contract: c.Key, SiteCode: s))).OrderBy(s => s.SiteCode, StringComparer.Ordinal);
}
