using Ops.Hosting.Contracts;
using Ops.Hosting.Http;

namespace Ops.Hosting.Security;

/// <summary>
/// The contracts and sites a scope may name: those of <c>contracts.json</c>. Checks the scope an administrator
/// gives a user, a key or a token, and writes its codes as contracts.json spells them.
/// </summary>
public sealed class ScopeCatalog(ContractsFile file)
{
    /// <summary>At most this many contracts, and as many sites, in one scope.</summary>
    public const int MaxCodes = 50;

    /// <summary>Each contract's sites, by contract code.</summary>
    public IReadOnlyDictionary<string, string[]> SitesByContract { get; } = file.Usable
        .ToDictionary(c => c.Key, c => c.Value.Sites.Keys.ToArray(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The scope of <paramref name="contracts"/> and <paramref name="sites"/>: unlimited when both are left out;
    /// the contracts of the sites when only sites are given. Every code must be known, every site must belong to
    /// one of the contracts, and when sites are given, each contract needs at least one of its sites among them.
    /// Null, with errors naming <paramref name="contractsField"/> or <paramref name="sitesField"/>, when it is not so.
    /// </summary>
    public Scope? Check(IReadOnlyCollection<string>? contracts, IReadOnlyCollection<string>? sites, ValidationErrors errors, string contractsField = "contracts", string sitesField = "sites")
    {
        contracts ??= [];
        sites ??= [];
        if (contracts.Count == 0 && sites.Count == 0)
        {
            return Scope.All;
        }

        var valid = true;
        if (contracts.Count > MaxCodes || sites.Count > MaxCodes)
        {
            errors.Add(contracts.Count > MaxCodes ? contractsField : sitesField, L10n.Of(
                $"一个范围最多列出 {MaxCodes} 个合同和 {MaxCodes} 个站点。",
                $"A scope names at most {MaxCodes} contracts and {MaxCodes} sites."));
            return null;
        }

        var known = new List<string>();
        var unknown = new List<string>();
        foreach (var code in contracts)
        {
            var match = SitesByContract.Keys.FirstOrDefault(k => string.Equals(k, code?.Trim(), StringComparison.OrdinalIgnoreCase));
            (match is null ? unknown : known).Add(match ?? code ?? "null");
        }

        if (unknown.Count > 0)
        {
            errors.Add(contractsField, L10n.Of(
                $"“{contractsField}”含未知的合同：{Shorten(unknown)}。已知的合同：{L10n.List(SitesByContract.Keys)}。",
                $"'{contractsField}' names unknown contracts: {Shorten(unknown)}. Known: {L10n.List(SitesByContract.Keys)}."));
            valid = false;
        }

        var siteContracts = new List<(string Site, string Contract)>();
        var unknownSites = new List<string>();
        foreach (var code in sites)
        {
            var match = SitesByContract
                .SelectMany(c => c.Value.Select(s => (Site: s, Contract: c.Key)))
                .FirstOrDefault(s => string.Equals(s.Site, code?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match.Site is null)
            {
                unknownSites.Add(code ?? "null");
            }
            else
            {
                siteContracts.Add(match);
            }
        }

        if (unknownSites.Count > 0)
        {
            var knownSites = L10n.List(SitesByContract.Values.SelectMany(s => s));
            errors.Add(sitesField, L10n.Of(
                $"“{sitesField}”含未知的站点：{Shorten(unknownSites)}。已知的站点：{knownSites}。",
                $"'{sitesField}' names unknown sites: {Shorten(unknownSites)}. Known: {knownSites}."));
            valid = false;
        }

        if (!valid)
        {
            return null;
        }

        if (known.Count == 0)
        {
            known = [.. siteContracts.Select(s => s.Contract)];
        }

        var outside = siteContracts.Where(s => !known.Contains(s.Contract, StringComparer.Ordinal)).Select(s => s.Site).ToList();
        if (outside.Count > 0)
        {
            errors.Add(sitesField, L10n.Of(
                $"“{sitesField}”中的站点不属于“{contractsField}”中的任何合同：{L10n.List(outside)}。",
                $"'{sitesField}' names sites of no contract in '{contractsField}': {L10n.List(outside)}."));
            return null;
        }

        var whole = siteContracts.Count == 0 ? [] : known.Where(c => !siteContracts.Any(s => s.Contract == c)).ToList();
        if (whole.Count > 0)
        {
            errors.Add(sitesField, L10n.Of(
                $"“{sitesField}”把范围限于站点，却没有列出合同 {L10n.List(whole)} 的任何站点：请列出它的一个站点，或不列该合同。",
                $"'{sitesField}' limits the scope to sites, but names none of {L10n.List(whole)}; name one of its sites, or leave that contract out."));
            return null;
        }

        return Scope.Of(known, siteContracts.Select(s => s.Site));
    }

    private static string Shorten(IEnumerable<string> codes) => L10n.List(codes.Select(c => c.Length > 64 ? c[..64] + "…" : c));
}
