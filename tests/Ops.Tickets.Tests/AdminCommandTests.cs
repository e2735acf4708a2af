using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Ops.Hosting;

namespace Ops.Tickets.Tests;

/// <summary>An admin command prints its result (a key, a token) on standard output for a script to read, so the log goes elsewhere.</summary>
public class AdminCommandTests
{
    [Test]
    public async Task AnAdminCommandOnTheCommandLine_SendsTheLogToStandardError()
    {
        await using var app = Build(["admin", "list-keys"]);

        Assert.That(ConsoleOptions(app).LogToStandardErrorThreshold, Is.EqualTo(LogLevel.Trace));
    }

    [Test]
    public async Task AServiceStarted_LogsToStandardOutput()
    {
        await using var app = Build(["--urls", "http://127.0.0.1:0"]);

        Assert.That(ConsoleOptions(app).LogToStandardErrorThreshold, Is.EqualTo(LogLevel.None));
    }

    /// <summary>The service's defaults for this command line, as its <c>Program.cs</c> adds them.</summary>
    private static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(TicketsSetup).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddServiceDefaults("tickets", "The tickets service.", args);
        return builder.Build();
    }

    private static ConsoleLoggerOptions ConsoleOptions(WebApplication app) =>
        app.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value;
}
