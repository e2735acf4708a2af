using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Ops.Hosting.Messaging;

namespace Ops.Hosting.Telemetry;

/// <summary>
/// Metrics, traces and logs of a service (docs/operations.md#telemetry): the product's own measures (meters
/// <c>Ops.*</c>), ASP.NET Core, HTTP clients and the runtime on <c>GET /metrics</c> for Prometheus; and, when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, traces (HTTP, the outbox, MassTransit, the database clients), the
/// metrics and the logs over OTLP.
/// </summary>
public static class ServiceTelemetry
{
    /// <summary>The hosting library's meter: the outbox.</summary>
    public const string HostingMeter = "Ops.Hosting";

    /// <summary>The Prometheus scrape path, open like <c>/health</c>: it belongs on the management network.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Whether traces, metrics and logs also go to an OTLP collector.</summary>
    public static bool ExportsOtlp(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <param name="service">The service's name as the telemetry names it (<c>service.name</c>): tickets, sla-timer, scoring, console.</param>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, string service)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(service, serviceNamespace: "ops-sla"))
            .WithMetrics(metrics => metrics
                .AddMeter("Ops.*", "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        // Without a collector no span is recorded at all: an unrecorded trace costs the intake path nothing.
        if (ExportsOtlp(builder.Configuration))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(OutboxDispatcher.ActivitySourceName, "MassTransit", "Npgsql")
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsManagement(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddSqlClientInstrumentation())
                .UseOtlpExporter();
            builder.Services.Configure<OpenTelemetryLoggerOptions>(o => o.IncludeFormattedMessage = true);
        }

        return builder;
    }

    /// <summary>
    /// The console log: one line per entry, or with <c>Logging:Console:FormatterName</c> <c>json</c> one JSON object
    /// per entry with the message's fields and its scopes, among them the trace's <c>TraceId</c> and <c>SpanId</c>.
    /// </summary>
    public static ILoggingBuilder AddServiceConsole(this ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.ClearProviders();
        if (string.Equals(configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        return logging;
    }

    /// <summary><c>GET /metrics</c> in Prometheus's text format, without credentials.</summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();

    /// <summary>Health and scrapes are not the product's work: they make no spans.</summary>
    private static bool IsManagement(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments(MetricsPath, StringComparison.Ordinal);
}
