using Ops.Hosting.Configuration;
using Ops.Hosting.Contracts;

namespace Ops.SlaTimer.WeCom;

public static class WeComSetup
{
    /// <summary>The contracts' WeCom apps (checked at start), their card sender and the presses their callbacks record.</summary>
    public static IHostApplicationBuilder AddWeComApps(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => WeComApps.From(sp.GetRequiredService<ContractsFile>(), sp.GetRequiredService<IConfiguration>()));
        builder.Services.BuildOnStart<WeComApps>();
        builder.Services.AddSettings<WeComOptions>(WeComOptions.Section);
        builder.Services.AddSingleton<WeComPresses>();
        builder.Services.AddSingleton<WeComAppSender>();
        builder.Services.AddHttpClient(WeComAppSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        return builder;
    }
}
