using Ops.Hosting.Audit;
using Ops.Hosting.Configuration;
using Ops.Hosting.Storage;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Scoring.Reports;

namespace Ops.Scoring;

public static class ScoringSetup
{
    /// <summary>The contracts' terms, the deduction ledger with its evidence chain, and the SLA dashboard.</summary>
    public static IHostApplicationBuilder AddScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => ContractBook.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.BuildOnStart<ContractBook>();
        builder.Services.AddSingleton<DeductionLedger>();
        builder.Services.AddSingleton<ChainedTable>(sp => new ChainedTable<Deduction>(
            DeductionLedger.LedgerChain,
            ("扣分台账：每一笔超时扣分、撤回和人工扣分。", "The deduction ledger: every breach deduction, retraction and manual deduction."),
            LedgerSql.For(sp.GetRequiredService<Database>().Provider).LedgerInChainOrder));
        builder.Services.AddSingleton<SlaDashboard>();
        builder.Services.AddSingleton<DashboardRollups>();
        builder.Services.AddHostedService<DashboardRollupsCheck>();
        builder.Services.AddSingleton<ReportBuilder>();
        return builder;
    }

    /// <summary><c>admin rebuild-dashboard</c>: builds the dashboard's roll-ups again from the clock facts.</summary>
    public static async Task<int> RebuildDashboard(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var clocks = await services.GetRequiredService<DashboardRollups>().RebuildAsync();
        await output.WriteLineAsync($"The dashboard's roll-ups now count {clocks} clocks.");
        return 0;
    }
}
