using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;
using Ops.Hosting.Http;
using Ops.Hosting.Security;

namespace Ops.Tickets.Access;

/// <summary>How many reports one caller may file: a steady rate and a burst on top (a token bucket).</summary>
public sealed class IntakeRateLimit
{
    public const string Section = "Intake:RateLimit";

    /// <summary>Reports per second one API key or user may file in the long run.</summary>
    [Range(1, 100_000)]
    public int PermitsPerSecond { get; set; } = 20;

    /// <summary>Reports one caller may file at once after being quiet.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;
}

/// <summary>Intake limited per caller (429 with Retry-After); sign-in limited per person's address.</summary>
public static class AccessLimits
{
    public const string Intake = "intake";

    /// <summary>RFC 6585 defines 429; the framework has no default type for it.</summary>
    public const string TooManyRequestsType = "https://tools.ietf.org/html/rfc6585#section-4";

    public static IServiceCollection AddAccessLimits(this IServiceCollection services)
    {
        services.AddSettings<IntakeRateLimit>(IntakeRateLimit.Section);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<IntakeRateLimit>>((o, limit) =>
        {
            var intake = limit.Value;
            o.AddPolicy(Intake, context => RateLimitPartition.GetTokenBucketLimiter(Caller.Partition(context.User), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = intake.Burst,
                TokensPerPeriod = intake.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            // Per the person's address: behind the console or a proxy that is the forwarded address, believed from trusted proxies only
            // (ForwardedHeaders). No lock-out per username: a stranger's wrong passwords must not keep the on-call engineer out.
            o.AddPolicy(AccessApi.SignInLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var signIn = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == AccessApi.SignInLimit;
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Type = TooManyRequestsType,
                        Title = L10n.Of("请求过多。", "Too many requests."),
                        Detail = signIn
                            ? L10n.Of($"此地址登录尝试过多；请 {seconds} 秒后再试。", $"Too many sign-in attempts from this address; retry after {seconds} s.")
                            : L10n.Of($"已达到此调用方的报告限额；请 {seconds} 秒后再试。未保存任何内容。", $"This caller's limit of reports is reached; retry after {seconds} s. Nothing was stored."),
                    },
                });
            };
        });
        return services;
    }
}
