using Ops.Console;
using Ops.Console.Components;
using Ops.Console.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddWebFrontEndDefaults();
builder.AddConsole();

var app = builder.Build();
app.MapWebFrontEndDefaults();
app.MapConsole();
app.MapRazorComponents<App>();
await app.RunAsync();

/// <summary>The web console (port 5100).</summary>
public partial class Program;
