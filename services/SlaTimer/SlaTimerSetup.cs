using Ops.Hosting.Audit;
using Ops.Hosting.Configuration;
using Ops.Hosting.Contracts;
using Ops.Hosting.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.OnCall;
using Ops.SlaTimer.Scanning;
using Ops.SlaTimer.Storage;
using Ops.SlaTimer.WeCom;

namespace Ops.SlaTimer;

public static class SlaTimerSetup
{
    /// <summary>
    /// The contracts' SLA targets with the holiday calendar (one file per year in <c>Calendars:Directory</c>,
    /// the shipped <c>Calendars/</c> by default), the clock store with its evidence chain, the due-clock scanner,
    /// the notices to each contract's escalation chain, and the rota (<c>Contracts:{code}:OnCall</c>, or as a manager saved it) that names who is on duty.
    /// </summary>
    public static IHostApplicationBuilder AddSlaTimer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => ContractTargets.From(sp.GetRequiredService<ContractsFile>(), sp.GetRequiredService<IConfiguration>()));
        builder.Services.BuildOnStart<ContractTargets>();
        builder.Services.AddSingleton<ClockMetrics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClockMetrics>());
        builder.Services.AddSingleton<ClockStore>();
        builder.Services.AddSingleton<Ops.Hosting.Archive.IArchivePart, Archive.ClockArchive>();
        builder.Services.AddSingleton<ChainedTable>(sp => new ChainedTable<ClockOutcome>(
            ClockStore.OutcomeChain,
            ("每个计时的结果：到期超时、达标，或超时后才停止。", "What became of every clock: breached at its deadline, met, or stopped late."),
            ClockSql.For(sp.GetRequiredService<Database>().Provider).OutcomesInChainOrder));
        builder.Services.AddSettings<ScannerOptions>(ScannerOptions.Section);
        builder.Services.AddSingleton<ClockScanner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClockScanner>());
        builder.Services.AddHealthChecks().AddCheck<ScannerHealthCheck>("scanner", HealthStatus.Degraded, ["ready"]);

        builder.Services.AddSingleton(sp => EscalationBook.From(sp.GetRequiredService<ContractsFile>()));
        builder.Services.AddSingleton<NotificationStore>();
        builder.Services.AddSingleton<NotificationSender>();
        builder.Services.AddSingleton<PendingNotices>();
        builder.Services.AddSingleton<NoticeMetrics>();
        builder.Services.AddSingleton<Notifier>();
        builder.Services.AddHostedService<NoticeDispatcher>();
        builder.Services.AddSettings<NotificationOptions>(NotificationOptions.Section);
        builder.Services.AddSettings<ConsoleLinkOptions>(ConsoleLinkOptions.Section);
        builder.Services.AddSingleton<HandoverStore>();
        builder.Services.AddSingleton<HandoverNotifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HandoverNotifier>());
        builder.Services.AddHttpClient(NotificationSender.HttpClientName);
        builder.Services.AddHealthChecks().AddCheck<NotificationHealthCheck>("notifications", HealthStatus.Degraded, ["ready"]);

        builder.Services.AddSingleton(sp => RotaBook.From(sp.GetRequiredService<ContractsFile>()));
        builder.Services.BuildOnStart<RotaBook>();
        builder.Services.AddSingleton<RotaStore>();
        builder.Services.AddSingleton<DutyRoster>();
        builder.Services.AddSingleton<IDutyRoster>(sp => sp.GetRequiredService<DutyRoster>());
        builder.AddWeComApps();
        return builder;
    }
}
