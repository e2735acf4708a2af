using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>The contracts the signed-in person may see, as the tickets service lists them (<c>GET /api/contracts</c>, ordered by code).</summary>
public sealed class ContractService(HttpClient http)
{
    public async Task<IReadOnlyList<ContractEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<List<ContractEntry>>("api/contracts", cancellationToken) ?? [];
}

/// <summary>The contract a page shows: the one its address names, else the first of the person's contracts; or why none.</summary>
public sealed record ContractChoice(IReadOnlyList<ContractEntry> Contracts, ContractEntry? Chosen, string? Refusal)
{
    /// <summary>More than one contract to choose from: only then does a page offer the choice and keep it in its address.</summary>
    public bool Several => Contracts.Count > 1;

    public static ContractChoice Of(IReadOnlyList<ContractEntry> contracts, string? asked)
    {
        if (contracts.Count == 0)
        {
            return new(contracts, null, "你可查看的范围内没有合同。");
        }

        if (string.IsNullOrWhiteSpace(asked))
        {
            return new(contracts, contracts[0], null);
        }

        var chosen = contracts.FirstOrDefault(c => string.Equals(c.Code, asked.Trim(), StringComparison.OrdinalIgnoreCase));
        return chosen is not null
            ? new(contracts, chosen, null)
            : new(contracts, null, $"没有合同“{asked.Trim()}”，或它不在你可查看的范围内。可查看的合同：{string.Join("、", contracts.Select(c => $"{c.Name}（{c.Code}）"))}。");
    }
}
