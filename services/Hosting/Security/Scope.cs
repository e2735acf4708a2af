using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Security;

/// <summary>
/// The contracts, and within them optionally the sites, a caller may see and act on. Unlimited for the
/// administrators of the whole deployment (and for users and keys made before scopes existed). When
/// <see cref="Sites"/> is not empty, every contract of the scope is limited to its sites listed there.
/// Every service enforces it the same way: <see cref="Allows"/> for one ticket, clock or entry, and
/// <see cref="Sql"/> with <see cref="AddTo"/> for lists.
/// </summary>
public sealed class Scope
{
    /// <summary>The claim an authenticated caller's contracts are carried in, inside the services (<c>*</c>: unlimited).</summary>
    public const string ContractClaim = "ops_scope_contract";

    /// <summary>The claim an authenticated caller's sites are carried in, inside the services (none: every site of the contracts).</summary>
    public const string SiteClaim = "ops_scope_site";

    /// <summary>The claim value of an unlimited scope.</summary>
    public const string Everywhere = "*";

    private Scope(bool unlimited, IReadOnlyList<string> contracts, IReadOnlyList<string> sites)
    {
        Unlimited = unlimited;
        Contracts = contracts;
        Sites = sites;
    }

    public static Scope All { get; } = new(true, [], []);

    /// <summary>Nothing at all: what a caller without any scope claim sees.</summary>
    public static Scope Nothing { get; } = new(false, [], []);

    public bool Unlimited { get; }

    public IReadOnlyList<string> Contracts { get; }

    /// <summary>Empty: every site of <see cref="Contracts"/>.</summary>
    public IReadOnlyList<string> Sites { get; }

    /// <summary>A limited scope; codes are compared exactly as written (contracts.json's spelling).</summary>
    public static Scope Of(IEnumerable<string> contracts, IEnumerable<string>? sites = null) =>
        new(false, [.. contracts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], [.. (sites ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    /// <summary>Whether a ticket (or its clock, or its deduction) of this contract and site is in scope.</summary>
    public bool Allows(string contract, string siteCode) =>
        Unlimited || (Contracts.Contains(contract, StringComparer.Ordinal) && (Sites.Count == 0 || Sites.Contains(siteCode, StringComparer.Ordinal)));

    /// <summary>Whether the whole contract is in scope: its assessment, its ledger and its manual deductions belong to no one site.</summary>
    public bool AllowsWholeContract(string contract) =>
        Unlimited || (Sites.Count == 0 && Contracts.Contains(contract, StringComparer.Ordinal));

    /// <summary>Whether anything of the contract is in scope (all of it, or some of its sites).</summary>
    public bool Reaches(string contract) => Unlimited || Contracts.Contains(contract, StringComparer.Ordinal);

    /// <summary>
    /// The SQL condition that keeps the rows in scope, over the parameters <see cref="AddTo"/> adds (the codes as a
    /// JSON array, which either dialect reads as a table, so that the statement's text stays the same).
    /// </summary>
    /// <param name="provider">The database's dialect.</param>
    /// <param name="contract">The contract column (or expression).</param>
    /// <param name="site">The site column (or expression).</param>
    public static string Sql(SqlProvider provider, string contract = "contract", string site = "site_code") =>
        $"({IsSet(provider, "@ScopeAll")} OR ({contract} IN {Codes(provider, "@ScopeContracts")} AND {SiteSql(provider, site)}))";

    /// <summary>The SQL condition on the site alone, for a query of one contract already known to be in scope.</summary>
    public static string SiteSql(SqlProvider provider, string site = "site_code") =>
        $"({IsSet(provider, "@ScopeAllSites")} OR {site} IN {Codes(provider, "@ScopeSites")})";

    private static string Codes(SqlProvider provider, string parameter) => provider switch
    {
        SqlProvider.Sqlite => $"(SELECT value FROM json_each({parameter}))",
        SqlProvider.Postgres => $"(SELECT jsonb_array_elements_text(CAST({parameter} AS jsonb)))",
        _ => $"(SELECT value FROM OPENJSON({parameter}))",
    };

    /// <summary>A flag of <see cref="AddTo"/> is set: PostgreSQL compares its booleans with no number.</summary>
    private static string IsSet(SqlProvider provider, string parameter) =>
        provider == SqlProvider.Postgres ? parameter : $"{parameter} = 1";

    /// <summary>The values of <see cref="Sql"/> and <see cref="SiteSql"/>.</summary>
    public DynamicParameters AddTo(DynamicParameters parameters)
    {
        parameters.Add("ScopeAll", Unlimited);
        parameters.Add("ScopeContracts", JsonSerializer.Serialize(Contracts));
        parameters.Add("ScopeAllSites", Unlimited || Sites.Count == 0);
        parameters.Add("ScopeSites", JsonSerializer.Serialize(Sites));
        return parameters;
    }

    /// <summary>The caller's scope, as authentication put it on the principal; nothing when it is not there.</summary>
    public static Scope Of(ClaimsPrincipal user)
    {
        var contracts = user.FindAll(ContractClaim).Select(c => c.Value).ToList();
        if (contracts.Contains(Everywhere))
        {
            return All;
        }

        return contracts.Count == 0 ? Nothing : Of(contracts, user.FindAll(SiteClaim).Select(c => c.Value));
    }

    /// <summary>The claims that carry this scope inside the services.</summary>
    public IEnumerable<Claim> ToClaims() =>
        Unlimited
            ? [new Claim(ContractClaim, Everywhere)]
            : [.. Contracts.Select(c => new Claim(ContractClaim, c)), .. Sites.Select(s => new Claim(SiteClaim, s))];

    /// <summary>How a user's or key's scope is stored: contracts and sites as space-separated codes; no contracts (null) is unlimited.</summary>
    public (string? Contracts, string? Sites) ToColumns() =>
        Unlimited ? (null, null) : (string.Join(' ', Contracts), Sites.Count == 0 ? null : string.Join(' ', Sites));

    /// <summary>The scope stored as <see cref="ToColumns"/> writes it.</summary>
    public static Scope FromColumns(string? contracts, string? sites) =>
        contracts is null ? All : Of(Split(contracts), Split(sites));

    /// <summary>Codes as a claim or a column writes them: several in one value, separated by spaces or commas.</summary>
    public static IEnumerable<string> Split(string? codes) =>
        (codes ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() =>
        Unlimited ? "every contract" : Sites.Count == 0 ? string.Join(", ", Contracts) : $"{string.Join(", ", Contracts)} (sites {string.Join(", ", Sites)})";
}
