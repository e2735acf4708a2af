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
        builder.Services.AddSingleton(sp => ContractBook.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<DeductionLedger>();
        builder.Services.AddSingleton<ChainedTable>(sp => new ChainedTable<Deduction>(
            DeductionLedger.LedgerChain,
            "The deduction ledger: every breach deduction, retraction and manual deduction.",
            new LedgerSql(sp.GetRequiredService<Database>().Provider).LedgerInChainOrder));
        builder.Services.AddSingleton<SlaDashboard>();
        return builder;
    }
}
