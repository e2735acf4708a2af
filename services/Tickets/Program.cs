using Ops.Hosting;
using Ops.Hosting.Messaging;
using Ops.Tickets;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults("tickets", "Intake of faults from the hotline, WeChat, the web and inspections; their acknowledgement, resolution and timeline.");
builder.AddServiceBus("tickets");
builder.AddTickets();

var app = builder.Build();
app.MapServiceDefaults();
app.MapTicketsApi();
app.Run();

/// <summary>The tickets service (port 5101).</summary>
public partial class Program;
