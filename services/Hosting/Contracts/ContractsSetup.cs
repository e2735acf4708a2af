using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ops.Hosting.Configuration;

namespace Ops.Hosting.Contracts;

public static class ContractsSetup
{
    /// <summary><c>contracts.json</c> read once and checked when the service starts: a contract that cannot work stops it, with every error.</summary>
    public static IServiceCollection AddContractsFile(this IServiceCollection services)
    {
        services.AddSingleton(sp => ContractsFile.Read(sp.GetRequiredService<IConfiguration>()).Checked());
        return services.BuildOnStart<ContractsFile>();
    }
}
