using System.Net;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>The scoring service checks the shared settings at start too (each is tested over all its range in the tickets tests).</summary>
public class SettingsTests
{
    [TestCase("Database:CommandTimeoutSeconds", "0", "Database:CommandTimeoutSeconds (Database__CommandTimeoutSeconds) must be from 1 to 600; it is 0.")]
    [TestCase("Outbox:RoundsInFlight", "65", "Outbox:RoundsInFlight (Outbox__RoundsInFlight) must be from 1 to 64; it is 65.")]
    [TestCase("RabbitMq:PrefetchCount", "0", "RabbitMq:PrefetchCount (RabbitMq__PrefetchCount) must be from 1 to 5000; it is 0.")]
    [TestCase("Reports:StartDelay", "01:00:01", "Reports:StartDelay (Reports__StartDelay) must be from 00:00:00 to 01:00:00; it is 01:00:01.")]
    [TestCase("Reports:Recheck", "93.00:00:00", "Reports:Recheck (Reports__Recheck) must be from 00:00:00 to 92.00:00:00; it is 93.00:00:00.")]
    public async Task ABadSetting_StopsTheServiceAtStart_NamingIt(string key, string value, string message)
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings[key] = value;

        Assert.That(service.RefusedSettings(), Is.EqualTo(new[] { message }));
    }

    [TestCase("Contracts:OTQ-2026-OPS:Amount", "0", "contracts.json: OTQ-2026-OPS: amount: must be > 0")]
    [TestCase("Contracts:OTQ-2026-OPS:Amount", "a lot", "'Contracts:OTQ-2026-OPS:Amount'")]
    [TestCase("Contracts:OTQ-2026-OPS:Assessment:Items:5:MaxPoints", "ten", "'Contracts:OTQ-2026-OPS:Assessment:Items:5:MaxPoints'")]
    public async Task AContractThatCannotBeAssessed_StopsTheServiceAtStart_NamedOnce(string key, string value, string message)
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings[key] = value;

        Assert.That(service.RefusedSettings(), Has.Count.EqualTo(1).And.One.Contains(message));
    }

    [Test]
    public async Task AReportScheduleNeitherTrueNorFalse_StopsTheServiceAtStart()
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings["Reports:Schedule"] = "sometimes";

        Assert.That(service.RefusedSettings(), Has.One.Contains("Reports:Schedule"));
    }

    [Test]
    public async Task TheShippedSettings_Start()
    {
        await using var service = new ServiceFactory<Program>();

        var live = await service.CreateClient().GetAsync("/health/live");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
