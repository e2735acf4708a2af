using Ops.Hosting.Audit;
using Ops.Hosting.Storage;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;

namespace Ops.Scoring;

public static class ScoringSetup
{
    /// <summary>The contracts' terms, the deduction ledger with its evidence chain, and the SLA dashboard.</summary>
    public static IHostApplicationBuilder AddScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var contracts = sp.GetRequiredService<IConfiguration>().GetSection("Contracts").GetChildren()
                .Select(c =>
                {
                    var terms = c.Get<ContractTerms>() ?? new ContractTerms();
                    terms.Code = c.Key;
                    return terms;
                })
                .ToDictionary(t => t.Code);
            var broken = contracts.Values.Where(t => t.Amount <= 0 || t.Assessment.Items.Count == 0 || t.ServiceEnd < t.ServiceStart).Select(t => t.Code).ToList();
            if (contracts.Count == 0 || broken.Count > 0)
            {
                throw new InvalidOperationException($"contracts.json: every contract needs an amount, a service period and its assessment items ({string.Join(", ", broken)}).");
            }

            return new ContractBook(contracts);
        });
        builder.Services.AddSingleton<DeductionLedger>();
        builder.Services.AddSingleton<ChainedTable>(sp => new ChainedTable<Deduction>(
            DeductionLedger.LedgerChain,
            "The deduction ledger: every breach deduction, retraction and manual deduction.",
            new LedgerSql(sp.GetRequiredService<Database>().Provider).LedgerInChainOrder));
        builder.Services.AddSingleton<SlaDashboard>();
        return builder;
    }
}
