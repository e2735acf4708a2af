using Microsoft.Extensions.Options;
using Ops.Hosting.Audit;
using Ops.Hosting.Configuration;
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
        builder.Services.AddSingleton(sp =>
        {
            var contracts = sp.GetRequiredService<IConfiguration>().GetSection("Contracts").Get<Dictionary<string, ContractSites>>() ?? [];
            if (contracts.Count == 0 || contracts.Values.Any(c => c.Sites.Count == 0))
            {
                throw new OptionsValidationException("Contracts", typeof(ContractSites), ["contracts.json names no contract, or a contract without sites."]);
            }

            // A report must name one of its contract's systems: a contract that lists none would refuse every report.
            var withoutSystems = contracts.Where(c => c.Value.Systems.Count(s => !string.IsNullOrWhiteSpace(s)) == 0).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
            if (withoutSystems.Count > 0)
            {
                throw new OptionsValidationException("Contracts", typeof(ContractSites), [.. withoutSystems.Select(code =>
                    $"Contracts:{code}:Systems ({Settings.EnvironmentVariable($"Contracts:{code}:Systems")}) must list at least one system (the seed lists its catch-all, 其他): every report names one of its contract's systems.")]);
            }

            return new ContractCatalog(contracts);
        });
        builder.Services.BuildOnStart<ContractCatalog>();
        builder.Services.AddSingleton(sp => new ReportValidation(sp.GetRequiredService<ContractCatalog>(), sp.GetRequiredService<IOptions<IntakeOptions>>().Value));
        builder.Services.AddSettings<PersonalDataOptions>(PersonalDataOptions.Section);
        builder.Services.AddSingleton<PhoneCipher>();
        builder.Services.AddHostedService<PhoneEncryption>();
        builder.Services.AddSingleton<TicketStore>();
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
