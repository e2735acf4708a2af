using Ops.Hosting;
using Ops.Hosting.Archive;
using Ops.Hosting.Messaging;
using Ops.Tickets;
using Ops.Tickets.Access;
using Ops.Tickets.Consumers;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults("tickets", "Intake of faults from the hotline, WeChat, the web and inspections; their acknowledgement, resolution and timeline. Sign-in of local users and administration of API keys.", args);
builder.AddServiceBus("tickets", bus => bus.AddConsumer<AcknowledgeTicketConsumer>());
builder.AddTickets();

var app = builder.Build();
if (await AdminCommand.RunAsync(app, args, new Dictionary<string, AdminCommand.Handler> { ["create-user"] = UserCommands.CreateUser }) is { } exitCode)
{
    return exitCode;
}

app.MapServiceDefaults();
app.UseRateLimiter();
app.MapTicketsApi();
app.MapArchivePart();
app.MapContractsApi();
app.MapAccessApi();
return await app.RunServiceAsync();

/// <summary>The tickets service (port 5101).</summary>
public partial class Program;
