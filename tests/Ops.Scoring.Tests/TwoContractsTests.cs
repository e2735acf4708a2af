using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Contracts.Sla;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>Two contracts side by side: each breach counts in its own contract's assessment, with its own rules and money.</summary>
public class TwoContractsTests : ServiceTests<Program>
{
    private const string Other = "HQ-2027-OPS";

    protected override void Configure(ServiceFactory<Program> service)
    {
        var prefix = $"Contracts:{Other}";
        SeedContract.CopyTo(service.Settings, Other, "Assessment");
        service.Settings[$"{prefix}:Sites:HQ"] = "数据中心";
        service.Settings[$"{prefix}:Title"] = "数据中心运维服务";
        service.Settings[$"{prefix}:Amount"] = "100000.00";
        service.Settings[$"{prefix}:ServiceStart"] = "2026-07-01";
        service.Settings[$"{prefix}:ServiceEnd"] = "2027-06-30";
        service.Settings[$"{prefix}:Assessment:Items:0:Number"] = "1";
        service.Settings[$"{prefix}:Assessment:Items:0:Name"] = "故障处理";
        service.Settings[$"{prefix}:Assessment:Items:0:MaxPoints"] = "50";
        service.Settings[$"{prefix}:Assessment:Items:1:Number"] = "2";
        service.Settings[$"{prefix}:Assessment:Items:1:Name"] = "服务质量";
        service.Settings[$"{prefix}:Assessment:Items:1:MaxPoints"] = "50";
        service.Settings[$"{prefix}:Assessment:DeductionRules:0:Clock"] = "Repair";
        service.Settings[$"{prefix}:Assessment:DeductionRules:0:Item"] = "1";
        service.Settings[$"{prefix}:Assessment:DeductionRules:0:Points"] = "25";
    }

    private async Task<JsonElement> AssessmentAsync(string contract) =>
        await Client.GetFromJsonAsync<JsonElement>($"/api/assessment?contract={contract}");

    [Test]
    public async Task ABreach_CountsOnlyInItsOwnContract_UnderThatContractsRules()
    {
        await Service.Harness.Bus.Publish(new SlaBreached((Clocks.Running(ClockKind.Repair) with { Contract = Other }).Breached()));
        await Service.Harness.Bus.Publish(new SlaBreached(Clocks.Running(ClockKind.Response).Breached()));
        await EventuallyAsync(async () => (await AssessmentAsync(Other)).GetProperty("totalDeduction").GetDecimal() == 25m
            && (await AssessmentAsync(Seed.Contract)).GetProperty("totalDeduction").GetDecimal() == 1m);

        var other = await AssessmentAsync(Other);
        Assert.That(other.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
        Assert.That(other.GetProperty("feeReduction").GetDecimal(), Is.EqualTo(5000m)); // 100,000 × 1 % × (25 − 20)
        Assert.That(other.GetProperty("serviceStart").GetString(), Is.EqualTo("2026-07-01"));
        Assert.That((await AssessmentAsync(Seed.Contract)).GetProperty("feeReduction").GetDecimal(), Is.EqualTo(0m));
    }

    [Test]
    public async Task WithTwoContracts_TheContractMustBeNamed()
    {
        var response = await Client.GetAsync("/api/assessment");

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "contract");
    }
}
