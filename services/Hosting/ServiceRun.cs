using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;

namespace Ops.Hosting;

public static class ServiceRun
{
    /// <summary>What begins the log line of each setting the service refuses, after its name.</summary>
    public const string Refusal = "does not start:";

    /// <summary>
    /// Runs the service until it is stopped. Its settings are checked first: a refused one ends it with exit
    /// code 1 and one log line per refused setting (<c>Ops.SlaTimer does not start: Scanner:BatchSize …</c>),
    /// not the host's stack trace.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (Settings.Failures(e) is { Count: > 0 } failures)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Settings).FullName!);
            foreach (var failure in failures)
            {
                logger.LogCritical("{Service} " + Refusal + " {Failure}", app.Environment.ApplicationName, failure);
            }

            // The console log is written in the background: disposing the service's providers writes what is left.
            await app.DisposeAsync();
            return 1;
        }

        await app.RunAsync();
        return 0;
    }
}
