using Ops.Hosting;
using Ops.Hosting.Archive;
using Ops.Hosting.Messaging;
using Ops.SlaTimer;
using Ops.SlaTimer.Consumers;
using Ops.SlaTimer.WeCom;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults("sla-timer", "The response and repair clocks of every ticket: deadlines, breaches and what is about to breach.", args);
builder.AddServiceBus("sla-timer", bus => bus.AddConsumer<TicketEventConsumer>());
builder.AddSlaTimer();

var app = builder.Build();
if (await AdminCommand.RunAsync(app, args) is { } exitCode)
{
    return exitCode;
}

app.MapServiceDefaults();
app.MapClocksApi();
app.MapArchivePart();
app.MapNotificationsApi();
app.MapOnCallApi();
app.MapWeComCallbackApi();
return await app.RunServiceAsync();

/// <summary>The sla-timer service (port 5102).</summary>
public partial class Program;
