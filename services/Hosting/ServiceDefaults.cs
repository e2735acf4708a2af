using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Ops.Hosting.Audit;
using Ops.Hosting.Configuration;
using Ops.Hosting.Contracts;
using Ops.Hosting.Http;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Hosting.Telemetry;

namespace Ops.Hosting;

/// <summary>What every Ops service starts with, so each <c>Program.cs</c> shows only what makes the service itself.</summary>
public static class ServiceDefaults
{
    /// <summary>No request of the product needs more: a report is a few kilobytes.</summary>
    public const int MaxRequestBodyBytes = 256 * 1024;

    /// <summary>
    /// Configuration (appsettings, the shared <c>contracts.json</c>, environment), logging, telemetry, the clock,
    /// problem details, JSON, OpenAPI, health checks, authentication and roles, the service's own database
    /// with its schema scripts, and the seal of its evidence chains.
    /// </summary>
    /// <param name="service">The service's name: its SQLite file, its queue and its OpenAPI title.</param>
    /// <param name="description">What the service does, for the OpenAPI document.</param>
    /// <param name="args">The command line; an admin command (<see cref="AdminCommand"/>) logs to standard error.</param>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string service, string description, string[] args)
    {
        // The contracts the product measures are data shared by every service; an administrator may point elsewhere.
        var contracts = builder.Configuration["OPS_CONTRACTS_FILE"] ?? Path.Combine(AppContext.BaseDirectory, "contracts.json");
        builder.Configuration.AddJsonFile(contracts, optional: false, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();

        builder.Logging.AddServiceConsole(builder.Configuration);
        if (AdminCommand.IsRequested(args))
        {
            // An admin command prints its result (a key, a token) on standard output; the log goes to standard error.
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        builder.AddTelemetry(service);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddSharedKestrelBuffers();
        builder.Services.AddMemoryUpkeep();

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            ProblemTitles.Translate(c);
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
        });
        builder.Services.AddRequestLocalization(o =>
        {
            // Messages speak the caller's language (Accept-Language); numbers and times stay invariant.
            o.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, new CultureInfo(L10n.Languages[0]));
            o.SupportedCultures = [CultureInfo.InvariantCulture];
            o.SupportedUICultures = [.. L10n.Languages.Select(l => new CultureInfo(l))];
            o.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            o.SerializerOptions.Converters.Add(new ShanghaiTimeConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.Encoder = MessageJson.Encoder;
        });

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo { Title = $"Ops SLA — {service}", Version = "v1", Description = description });
            var xml = Path.Combine(AppContext.BaseDirectory, $"{builder.Environment.ApplicationName}.xml");
            if (File.Exists(xml))
            {
                o.IncludeXmlComments(xml);
            }

            o.OperationFilter<CamelCaseQueryParameters>();

            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from POST /api/auth/token (tickets service), the admin command, or the bureau's single sign-on.",
            });
            o.AddSecurityDefinition("apiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthentication.Header,
                Description = "An API key of a machine client (the hotline and WeChat gateways).",
            });
            o.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("bearer", document)] = [],
                [new OpenApiSecuritySchemeReference("apiKey", document)] = [],
            });
        });

        builder.Services.AddContractsFile();
        builder.Services.AddTrustedProxies();
        builder.AddSecurity();
        builder.Services.AddSettings<AuditOptions>(AuditOptions.Section);
        builder.Services.AddSingleton<EvidenceChain>();
        builder.Services.AddSingleton<EvidenceVerifier>();

        // The service's own assembly carries its schema scripts (under tests too, where the entry assembly is the runner).
        builder.AddDatabase(service, Assembly.Load(new AssemblyName(builder.Environment.ApplicationName)));
        return builder;
    }

    /// <summary>The service's database (SQLite file, PostgreSQL or SQL Server) and its schema scripts, applied before anything starts.</summary>
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder, string service, Assembly schemaAssembly)
    {
        builder.Services.AddSettings<DatabaseOptions>(DatabaseOptions.Section);
        builder.Services.AddSingleton(sp => Database.FromConfiguration(
            service,
            sp.GetRequiredService<IConfiguration>().GetConnectionString("SqlServer"),
            sp.GetRequiredService<IConfiguration>().GetConnectionString("Postgres"),
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            sp.GetService<TimeProvider>()));
        builder.Services.BuildOnStart<Database>();
        builder.Services.AddSingleton<SqliteMemory>();
        builder.Services.BuildOnStart<SqliteMemory>();
        builder.Services.AddSingleton(sp => new SchemaMigration(
            sp.GetRequiredService<Database>(),
            [typeof(Database).Assembly, schemaAssembly],
            sp.GetRequiredService<ILogger<SchemaMigration>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SchemaMigration>());
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Problem details for every error, Swagger UI at <c>/swagger</c> (the API's description, no data),
    /// health at <c>/health/live</c> and <c>/health/ready</c> (open to the load balancer), metrics at <c>/metrics</c>
    /// (open to the management network's Prometheus), authentication
    /// and roles for everything else, and <c>GET /api/audit/chains</c>.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseTrustedProxies();

        // JSON carries < > & unescaped: no browser may read an answer as anything but its declared type. Set as the
        // answer starts, so that the exception handler, which clears the headers, keeps it too.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(context);
        });

        // Next, so that every problem, the exception handler's and the status code pages' too, speaks the caller's language.
        app.UseRequestLocalization();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            // Kestrel stops a body that grows past the limit; this refuses a declared oversize body before it is read, behind any server.
            // An endpoint that takes files declares its own limit.
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxRequestBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = 413,
                        Title = L10n.Of("请求正文过大。", "The request body is too large."),
                        Detail = L10n.Of($"最多 {limit / 1024} KB。", $"At most {limit / 1024} KB."),
                    },
                });
                return;
            }

            await next(context);
        });
        app.UseSwagger();
        app.UseSwaggerUI();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(RequestShape.RefuseMalformedRouteValues);
        app.Use(RequestShape.RefuseRepeatedOrEmptyQueryValues);
        app.Use(RequestShape.ReadMissingBodyAsEmpty);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).AllowAnonymous();
        app.MapMetrics();
        app.MapAuditApi();
        return app;
    }
}
