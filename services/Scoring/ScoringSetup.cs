using Ops.Hosting.Audit;
using Ops.Hosting.Configuration;
using Ops.Hosting.Contracts;
using Ops.Hosting.Storage;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Scoring.Reports;

namespace Ops.Scoring;

public static class ScoringSetup
{
    /// <summary>The contracts' terms, the deduction ledger and the reports with their evidence chains, the report schedule, the yearly archive, and the SLA dashboard.</summary>
    public static IHostApplicationBuilder AddScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => ContractBook.From(sp.GetRequiredService<ContractsFile>()));
        builder.Services.AddSingleton<LedgerMetrics>();
        builder.Services.AddSingleton<DeductionLedger>();
        builder.Services.AddSingleton<ChainedTable>(sp => new ChainedTable<Deduction>(
            DeductionLedger.LedgerChain,
            ("扣分台账：每一笔超时扣分、撤回和人工扣分。", "The deduction ledger: every breach deduction, retraction and manual deduction."),
            LedgerSql.For(sp.GetRequiredService<Database>().Provider).LedgerInChainOrder));
        builder.Services.AddSingleton<ReportBuilder>();
        builder.Services.AddSingleton<ReportStore>();
        builder.Services.AddSingleton<ChainedTable>(sp => new ChainedTable<Report>(
            ReportStore.Chain,
            ("报表：每一份生成的月报、季报和年度报告，及其工作簿的 SHA-256。", "The reports: every monthly, quarterly and yearly report generated, with its workbook's SHA-256."),
            ReportStoreSql.For(sp.GetRequiredService<Database>().Provider).InChainOrder));
        builder.Services.AddSettings<ReportOptions>(ReportOptions.Section);
        builder.Services.AddSingleton<ReportSchedule>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReportSchedule>());
        builder.Services.AddSettings<Archive.ArchiveOptions>(Archive.ArchiveOptions.Section);
        builder.Services.AddSingleton<Archive.ScoringArchive>();
        builder.Services.AddSingleton<Archive.ArchiveAssembler>();
        Archive.ArchiveAssembler.AddClients(builder.Services);
        builder.Services.AddSingleton<SlaDashboard>();
        builder.Services.AddSingleton<DashboardRollups>();
        builder.Services.AddHostedService<DashboardRollupsCheck>();
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
