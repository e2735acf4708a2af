using System.Net;
using Ops.Hosting;
using Ops.Hosting.Configuration;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// Every setting of the tickets service, and of the hosting library every service shares, is checked at start:
/// a bad value stops the service with a message naming the setting, its environment variable and its range.
/// </summary>
public class SettingsTests
{
    private static IEnumerable<TestCaseData> OutOfRange() => SettingRanges.OutOfRange(typeof(Program).Assembly, typeof(ServiceDefaults).Assembly);

    [TestCaseSource(nameof(OutOfRange))]
    public async Task ASettingOutsideItsRange_StopsTheServiceAtStart_NamingItAndItsRange(string key, string value)
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings[key] = value;

        var refused = service.RefusedSettings();

        Assert.That(refused, Has.One.StartsWith($"{key} ({Settings.EnvironmentVariable(key)}) must be from "));
        Assert.That(refused, Has.One.EndsWith($"; it is {value}."));
    }

    [Test]
    public void TheSettingsFound_CoverEverySettingsClassOfTheService()
    {
        var keys = OutOfRange().Select(c => (string)c.Arguments[0]!).ToHashSet();

        Assert.That(keys, Is.SupersetOf(new[]
        {
            "Intake:MaxReportAge", "Intake:MaxFutureSkew", "Intake:RateLimit:PermitsPerSecond", "Intake:RateLimit:Burst",
            "Outbox:BatchSize", "Outbox:PollInterval", "RabbitMq:Port", "Database:CommandTimeoutSeconds", "Auth:TokenLifetime",
        }));
    }

    [TestCase("Intake:RateLimit:Burst", "many")]
    [TestCase("Outbox:PollInterval", "soon")]
    [TestCase("RabbitMq:QuorumQueues", "yes")]
    public async Task AValueThatDoesNotParse_StopsTheServiceAtStart_NamingIt(string key, string value)
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings[key] = value;

        Assert.That(service.RefusedSettings(), Has.One.Contains($"'{key}'"));
    }

    [Test]
    public async Task TwoBadSettings_AreBothNamed()
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings["Intake:MaxFutureSkew"] = "-00:01:00";
        service.Settings["Auth:TokenLifetime"] = "00:00:01";

        var refused = service.RefusedSettings();

        Assert.That(refused, Has.Some.StartsWith("Intake:MaxFutureSkew (Intake__MaxFutureSkew) must be from 00:00:00 to 01:00:00"));
        Assert.That(refused, Has.Some.StartsWith("Auth:TokenLifetime (Auth__TokenLifetime) must be from 00:05:00 to 7.00:00:00"));
    }

    [Test]
    public async Task AContractListingNoSystem_StopsTheServiceAtStart_NamingIt()
    {
        await using var service = new ServiceFactory<Program>();
        SecondContract.AddTo(service);
        service.Settings[$"Contracts:{SecondContract.Code}:Systems:0"] = "";

        var refused = service.RefusedSettings();

        Assert.That(refused, Is.EqualTo(new[] { $"contracts.json: {SecondContract.Code}: systems: must list at least one system (every report names one)" }));
    }

    [Test]
    public async Task TheShippedSettings_Start()
    {
        await using var service = new ServiceFactory<Program>();

        var live = await service.CreateClient().GetAsync("/health/live");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
