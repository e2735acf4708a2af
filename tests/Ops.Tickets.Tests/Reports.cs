using Microsoft.Extensions.Configuration;
using Ops.Hosting.Contracts;
using Ops.Tickets.Intake;

namespace Ops.Tickets.Tests;

/// <summary>Builders for the tests: a valid report to vary, and intake rules over the shipped contracts.json.</summary>
internal static class Reports
{
    public static ReportTicketRequest Valid(string severity = "severe", DateTimeOffset? reportedAt = null) => new()
    {
        Channel = "phone",
        Kind = "fault",
        Severity = severity,
        SiteCode = "OTQ",
        System = "综合一窗受理平台",
        Title = "综窗无法出件",
        Description = "窗口人员反映出件时报错。",
        Reporter = new ReporterRequest { Name = "李女士", Phone = "138 1234 5678" },
        ReportedAt = reportedAt,
        ExternalRef = null,
    };

    /// <summary>A valid service request of <paramref name="grade"/>: no severity.</summary>
    public static ReportTicketRequest Request(string grade = "normal") => Valid() with
    {
        Kind = "request",
        Severity = null,
        Grade = grade,
        System = "事项清单管理平台",
        Title = "新增事项办理账号",
        Description = "上海庙分中心新入职人员需开通账号。",
    };

    public static ContractCatalog SeedContracts()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "contracts.json")).Build();
        return ContractCatalog.From(ContractsFile.Read(configuration).Checked());
    }

    public static ReportValidation Validation() => new(SeedContracts(), new IntakeOptions());
}
