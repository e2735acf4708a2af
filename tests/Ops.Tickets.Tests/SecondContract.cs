using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>A second contract beside the seed's: HQ-2027-OPS, with the seed's terms but its one site HQ, one system and no request grade (faults only).</summary>
public static class SecondContract
{
    public const string Code = "HQ-2027-OPS";

    public static void AddTo(ServiceFactory<Program> service)
    {
        SeedContract.CopyTo(service.Settings, Code, "Sla:Requests:Grades");
        service.Settings[$"Contracts:{Code}:Title"] = "数据中心运维服务";
        service.Settings[$"Contracts:{Code}:ServiceStart"] = "2026-07-01";
        service.Settings[$"Contracts:{Code}:ServiceEnd"] = "2027-06-30";
        service.Settings[$"Contracts:{Code}:Sites:HQ"] = "数据中心";
        foreach (var key in service.Settings.Keys.Where(k => k.StartsWith($"Contracts:{Code}:Systems:", StringComparison.Ordinal)).ToList())
        {
            service.Settings.Remove(key);
        }

        service.Settings[$"Contracts:{Code}:Systems:0"] = "机房动环监控";
    }
}
