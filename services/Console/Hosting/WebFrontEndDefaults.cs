using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ops.Hosting;
using Ops.Hosting.Http;
using Ops.Hosting.Telemetry;

namespace Ops.Console.Hosting;

/// <summary>
/// What a web front end starts with: the services' logging and telemetry, health at <c>/health/live</c> and
/// <c>/health/ready</c>, metrics at <c>/metrics</c>, forwarded headers from trusted proxies only, security headers, response compression and hashed static assets. The services'
/// own defaults bring a database and a bus, which a front end that owns no data does not need.
/// </summary>
public static class WebFrontEndDefaults
{
    /// <summary>
    /// No inline script or style anywhere; Blazor's <c>blazor.web.js</c> (enhanced navigation and forms) needs
    /// none in static server rendering, and the page's own scripts are module files.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    public static WebApplicationBuilder AddWebFrontEndDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.AddServiceConsole(builder.Configuration);
        builder.AddTelemetry("console");

        // Served from the build output too (./deploy/up.sh runs the build, not a publish): the static assets' manifest says where they are.
        builder.WebHost.UseStaticWebAssets();
        // A build's manifest would switch on the assets' reloader, which answers every asset with no-cache; off, hashed
        // assets are answered as a publish answers them: max-age one year, immutable.
        builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.AddSharedKestrelBuffers();
        builder.Services.AddMemoryUpkeep();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddResponseCompression();
        builder.Services.AddTrustedProxies();
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapWebFrontEndDefaults(this WebApplication app)
    {
        // Behind a TLS reverse proxy the request is https (Secure cookies) and from the person's address (the sign-in limit).
        app.UseTrustedProxies();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY"; // frame-ancestors 'none' for browsers that predate it
            return next(context);
        });
        app.UseResponseCompression();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReportAsync });
        app.MapMetrics();
        return app;
    }

    /// <summary>The readiness answer in the services' shape: overall status and each check's status and description.</summary>
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonSerializerOptions.Web));
    }
}
