namespace Ops.Tickets.Intake;

/// <summary>What intake needs to know of a contract (from <c>contracts.json</c>): its sites, its systems and its service period.</summary>
public sealed class ContractSites
{
    public string Title { get; set; } = "";
    public DateOnly ServiceStart { get; set; }
    public DateOnly ServiceEnd { get; set; }
    public Dictionary<string, string> Sites { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public List<string> Systems { get; set; } = [];
}

/// <summary>The configured contracts, by code, and which of them a site belongs to.</summary>
public sealed class ContractCatalog(IReadOnlyDictionary<string, ContractSites> contracts)
{
    public IReadOnlyDictionary<string, ContractSites> Contracts { get; } = contracts;

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

    public IEnumerable<string> AllSiteCodes => Contracts.Values.SelectMany(c => c.Sites.Keys).Order(StringComparer.Ordinal);
}
