using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ops.Hosting.Contracts;

public static class ContractsSetup
{
    /// <summary>
    /// <c>contracts.json</c> read once, and checked once when the service starts: a contract that cannot work stops it,
    /// with every error. Each view of the file is built from this one model.
    /// </summary>
    public static IServiceCollection AddContractsFile(this IServiceCollection services)
    {
        services.AddSingleton(sp => ContractsFile.Read(sp.GetRequiredService<IConfiguration>()));
        services.AddOptions<Check>().Configure<ContractsFile>((_, file) => file.Checked()).ValidateOnStart();
        return services;
    }

    private sealed class Check;
}
