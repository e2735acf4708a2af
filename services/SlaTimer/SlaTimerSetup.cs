using Ops.Hosting.Audit;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Scanning;
using Ops.SlaTimer.Storage;

namespace Ops.SlaTimer;

public static class SlaTimerSetup
{
    /// <summary>The contracts' SLA targets, the clock store with its evidence chain, and the due-clock scanner.</summary>
    public static IHostApplicationBuilder AddSlaTimer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var contracts = sp.GetRequiredService<IConfiguration>().GetSection("Contracts").GetChildren()
                .ToDictionary(c => c.Key, c => c.GetSection("Sla").Get<SlaTargets>() ?? new SlaTargets());
            return new ContractTargets(contracts);
        });
        builder.Services.AddSingleton<ClockStore>();
        builder.Services.AddSingleton<ChainedTable>(sp => new ChainedTable<ClockOutcome>(
            ClockStore.OutcomeChain,
            "What became of every clock: breached at its deadline, met, or stopped late.",
            ClockSql.For(sp.GetRequiredService<Database>().Provider).OutcomesInChainOrder));
        builder.Services.AddOptions<ScannerOptions>().BindConfiguration(ScannerOptions.Section);
        builder.Services.AddHostedService<ClockScanner>();
        return builder;
    }
}
