using Microsoft.Extensions.Options;
using Ops.Hosting.Audit;
using Ops.Hosting.Configuration;
using Ops.Hosting.Contracts;
using Ops.Hosting.Storage;
using Ops.Tickets.Access;
using Ops.Tickets.Intake;
using Ops.Tickets.Lifecycle;
using Ops.Tickets.Storage;

namespace Ops.Tickets;

public static class TicketsSetup
{
    /// <summary>Intake rules and limits, the contracts' sites, the ticket store and its evidence chain, local users.</summary>
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<IntakeOptions>(IntakeOptions.Section);
        builder.Services.AddSingleton(sp => ContractCatalog.From(sp.GetRequiredService<ContractsFile>()));
        builder.Services.AddSingleton(sp => new ReportValidation(sp.GetRequiredService<ContractCatalog>(), sp.GetRequiredService<IOptions<IntakeOptions>>().Value));
        builder.Services.AddSettings<PersonalDataOptions>(PersonalDataOptions.Section);
        builder.Services.AddSingleton<PhoneCipher>();
        builder.Services.AddHostedService<PhoneEncryption>();
        builder.Services.AddSingleton<TicketStore>();
        builder.Services.AddSingleton<IntakeMetrics>();
        builder.Services.AddSingleton<Ops.Hosting.Archive.IArchivePart, Archive.TicketArchive>();
        builder.Services.AddSingleton<ChainedTable>(sp => new ChainedTable<TimelineEntry>(
            TicketStore.TimelineChain,
            ("每张工单的时间线：报修、响应、解决，以及操作人和时间。", "Every ticket's timeline: reports, acknowledgements, resolutions, with who and when."),
            TicketSql.For(sp.GetRequiredService<Database>().Provider).TimelineInChainOrder));
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddHostedService<SupersededUsers>();
        builder.Services.AddAccessLimits();
        return builder;
    }
}
