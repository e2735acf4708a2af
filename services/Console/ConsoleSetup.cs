using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using Ops.Console.Hosting;
using Ops.Console.Services;
using Ops.Hosting.Contracts;

namespace Ops.Console;

/// <summary>The console's own services: its settings, the sign-in cookie, one typed client per API, the pages.</summary>
public static class ConsoleSetup
{
    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        // The contracts' rules, from the file the services read and checked at start as they check it, so a ticket's page offers only what the tickets API allows.
        var contracts = builder.Configuration["OPS_CONTRACTS_FILE"] ?? Path.Combine(AppContext.BaseDirectory, "contracts.json");
        builder.Configuration.AddJsonFile(contracts, optional: false, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        builder.Services.AddContractsFile();
        builder.Services.AddSingleton<ContractRules>();
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section)
            .PostConfigure(o => o.DataProtectionKeys ??= SessionKeys.DefaultFolder(builder.Configuration))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSessionKeys();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "ops.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = false;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    // The page asked for stays in the address bar and answers 403; the status page says why, in Chinese.
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<ConsoleOptions>>((cookie, console) => cookie.ExpireTimeSpan = console.Value.SessionLifetime);
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ops.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddRazorComponents();

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<FormKeys>();
        builder.Services.AddTransient<BearerTokenHandler>();
        builder.Services.AddHttpClient<SignInService>((sp, http) => http.BaseAddress = Api(sp).Tickets);
        builder.Services.AddHttpClient<TicketService>((sp, http) => http.BaseAddress = Api(sp).Tickets).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient<DeskService>((sp, http) => http.BaseAddress = Api(sp).Tickets).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient<ContractService>((sp, http) => http.BaseAddress = Api(sp).Tickets).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient<AdminService>((sp, http) => http.BaseAddress = Api(sp).Tickets).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient<ClockService>((sp, http) => http.BaseAddress = Api(sp).SlaTimer).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient<NotificationService>((sp, http) => http.BaseAddress = Api(sp).SlaTimer).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient<OnCallService>((sp, http) => http.BaseAddress = Api(sp).SlaTimer).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient(AuditService.Client("tickets"), (sp, http) => http.BaseAddress = Api(sp).Tickets).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient(AuditService.Client("sla-timer"), (sp, http) => http.BaseAddress = Api(sp).SlaTimer).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient(AuditService.Client("scoring"), (sp, http) => http.BaseAddress = Api(sp).Scoring).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddTransient<AuditService>();
        builder.Services.AddHttpClient<AssessmentService>((sp, http) => http.BaseAddress = Api(sp).Scoring).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient<DashboardService>((sp, http) => http.BaseAddress = Api(sp).Scoring).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient<ReportService>((sp, http) => http.BaseAddress = Api(sp).Scoring).AddHttpMessageHandler<BearerTokenHandler>();
        // Downloads stream as long as the file takes, not the default 100 seconds.
        builder.Services.AddHttpClient(Downloads.Tickets, (sp, http) => { http.BaseAddress = Api(sp).Tickets; http.Timeout = Timeout.InfiniteTimeSpan; }).AddHttpMessageHandler<BearerTokenHandler>();
        builder.Services.AddHttpClient(Downloads.Scoring, (sp, http) => { http.BaseAddress = Api(sp).Scoring; http.Timeout = Timeout.InfiniteTimeSpan; }).AddHttpMessageHandler<BearerTokenHandler>();

        builder.Services.AddHttpClient(ApiHealthCheck.Client);
        builder.Services.AddHealthChecks()
            .AddCheck<ApiHealthCheck.Tickets>("tickets", tags: ["ready"])
            .AddCheck<ApiHealthCheck.SlaTimer>("sla-timer", tags: ["ready"])
            .AddCheck<ApiHealthCheck.Scoring>("scoring", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        // A failure of an API the console calls (a 403 or 5xx, a service down) ends on the Chinese status page, not an empty 500.
        app.UseExceptionHandler("/status/500", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.UseMiddleware<SignOutOnRefusedToken>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.LocalRedirect("/login");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        app.MapDownloads();
        return app;
    }

    private static ConsoleOptions Api(IServiceProvider services) => services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
}
