using Ops.Hosting;
using Ops.Hosting.Messaging;
using Ops.Scoring;
using Ops.Scoring.Consumers;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults("scoring", "The deduction ledger, the contract's running assessment and the SLA compliance dashboard.", args);
builder.AddServiceBus("scoring", bus => bus.AddConsumer<SlaEventConsumer>());
builder.AddScoring();

var app = builder.Build();
if (await AdminCommand.RunAsync(app, args, new Dictionary<string, AdminCommand.Handler> { ["rebuild-dashboard"] = ScoringSetup.RebuildDashboard, [Ops.Scoring.Archive.ArchiveCommand.Verb] = Ops.Scoring.Archive.ArchiveCommand.Run, [Ops.Hosting.Archive.ArchiveCommands.KeyVerb] = Ops.Scoring.Archive.ArchiveCommand.PublicKey }) is { } exitCode)
{
    return exitCode;
}

app.MapServiceDefaults();
app.MapAssessmentApi();
app.MapDashboardApi();
app.MapLedgerApi();
app.MapReportsApi();
app.MapArchiveApi();
return await app.RunServiceAsync();

/// <summary>The scoring service (port 5103).</summary>
public partial class Program;
