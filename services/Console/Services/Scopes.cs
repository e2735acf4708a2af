namespace Ops.Console.Services;

/// <summary>The contracts and sites a user or an API key is limited to, as people read and type them.</summary>
public static class Scopes
{
    /// <summary>“全部合同”, or the contracts with their sites in brackets.</summary>
    public static string Describe(IReadOnlyList<string>? contracts, IReadOnlyList<string>? sites) =>
        (contracts is null ? "全部合同" : string.Join("、", contracts)) + (sites is null ? "" : $"（{string.Join("、", sites)}）");

    /// <summary>Codes typed into one field, separated by spaces, commas or “、”; none typed: left out (every contract, every site).</summary>
    public static IReadOnlyList<string>? Parse(string? typed)
    {
        var codes = (typed ?? "").Split([' ', ',', '，', '、', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return codes.Length == 0 ? null : codes;
    }
}
