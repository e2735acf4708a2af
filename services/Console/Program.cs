using Ops.Console;
using Ops.Console.Components;
using Ops.Console.Hosting;
using Ops.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddWebFrontEndDefaults();
builder.AddConsole();

var app = builder.Build();
app.MapWebFrontEndDefaults();
app.MapConsole();
app.MapRazorComponents<App>();
return await app.RunServiceAsync();

/// <summary>The web console (port 5100).</summary>
public partial class Program;
