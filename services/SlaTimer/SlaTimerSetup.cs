using Ops.Hosting.Audit;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Scanning;
using Ops.SlaTimer.Storage;

namespace Ops.SlaTimer;

public static class SlaTimerSetup
{
    /// <summary>
    /// The contracts' SLA targets with the holiday calendar (one file per year in <c>Calendars:Directory</c>,
    /// the shipped <c>Calendars/</c> by default), the clock store with its evidence chain, and the due-clock scanner.
    /// </summary>
    public static IHostApplicationBuilder AddSlaTimer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => ContractTargets.From(sp.GetRequiredService<IConfiguration>()));
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
