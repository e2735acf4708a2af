using System.Net;
using Ops.Hosting.Configuration;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// Every setting of the sla-timer is checked at start. A scanner batch of 0 once left the service ready, silent,
/// spinning and never breaching; now a bad value stops it with a message naming the setting and its range.
/// </summary>
public class SettingsTests
{
    private static IEnumerable<TestCaseData> OutOfRange() => SettingRanges.OutOfRange(typeof(Program).Assembly);

    private static async Task<IReadOnlyList<string>> RefusedAsync(params (string Key, string Value)[] settings)
    {
        await using var service = new ServiceFactory<Program>();
        foreach (var (key, value) in settings)
        {
            service.Settings[key] = value;
        }

        return service.RefusedSettings();
    }

    [TestCaseSource(nameof(OutOfRange))]
    public async Task ASettingOutsideItsRange_StopsTheServiceAtStart_NamingItAndItsRange(string key, string value)
    {
        var failures = await RefusedAsync((key, value));

        Assert.That(failures, Has.One.StartsWith($"{key} ({Settings.EnvironmentVariable(key)}) must be from "));
        Assert.That(failures, Has.One.EndsWith($"; it is {value}."));
    }

    [Test]
    public void TheSettingsFound_CoverTheScannerAndTheNotifications()
    {
        var keys = OutOfRange().Select(c => (string)c.Arguments[0]!).ToHashSet();

        Assert.That(keys, Is.SupersetOf(new[] { "Scanner:BatchSize", "Scanner:MaxIdle", "Notifications:Timeout", "Notifications:Retries", "Notifications:RetryDelay" }));
    }

    [Test]
    public async Task AScannerBatchOfNone_StopsTheServiceAtStart()
    {
        var failures = await RefusedAsync(("Scanner:BatchSize", "0"));

        Assert.That(failures, Is.EqualTo(new[] { "Scanner:BatchSize (Scanner__BatchSize) must be from 1 to 10000; it is 0." }));
    }

    [Test]
    public async Task TheProcess_WithBadSettings_ExitsWithCode1_AndOneLinePerSetting()
    {
        var (exitCode, output) = await RefusedStart.RunAsync("SlaTimer", new Dictionary<string, string>
        {
            ["Scanner__BatchSize"] = "0",
            ["Scanner__MaxIdle"] = "-00:00:01",
        });

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("Ops.SlaTimer does not start: Scanner:BatchSize (Scanner__BatchSize) must be from 1 to 10000; it is 0.\n"));
        Assert.That(output, Does.Contain("Ops.SlaTimer does not start: Scanner:MaxIdle (Scanner__MaxIdle) must be from 00:00:00.01 to 01:00:00; it is -00:00:01.\n"));
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
    }

    [TestCase("Sla:Response", "00:00:00", "contracts.json: OTQ-2026-OPS: sla.response: must be > 00:00:00 and at most 365.00:00:00; it is 00:00:00")]
    [TestCase("Sla:RepairSevere", "-04:00:00", "contracts.json: OTQ-2026-OPS: sla.repairSevere: must be > 00:00:00 and at most 365.00:00:00; it is -04:00:00")]
    [TestCase("Sla:WarnAt:0", "100", "contracts.json: OTQ-2026-OPS: sla.warnAt[0]: must be from 1 to 99 (percent of the target); it is 100")]
    [TestCase("Sla:Requests:WorkingHours:0", "18:00-08:30", "contracts.json: OTQ-2026-OPS: sla.requests.workingHours[0]: must be a period of one day written like 08:30-12:00; it is '18:00-08:30'")]
    [TestCase("Sla:Requests:Grades:urgent:Completion", "00:00:00", "contracts.json: OTQ-2026-OPS: sla.requests.grades.urgent.completion: must be > 00:00:00 and at most 365.00:00:00; it is 00:00:00")]
    [TestCase("Sla:Requests:Grades:urgent:Calendar", "Lunar", "contracts.json: OTQ-2026-OPS: sla.requests.grades.urgent.calendar: must be one of Continuous, Working; it is 'Lunar'")]
    [TestCase("Escalation:Levels:0:Channel", "Pigeon", "contracts.json: OTQ-2026-OPS: escalation.levels[0].channel: must be one of WeCom, DingTalk, Webhook; it is 'Pigeon'")]
    [TestCase("Escalation:Levels:0:Url", "robot.example", "contracts.json: OTQ-2026-OPS: escalation.levels[0].url: must be an absolute http(s) URL")]
    [TestCase("Escalation:Levels:0:From", "0", "contracts.json: OTQ-2026-OPS: escalation.levels[0].from: must be a stage of the contract: 50, 80, 100 (100 is the breach); it is 0")]
    [TestCase("Escalation:Levels:0:Target", "oncall:night", "contracts.json: OTQ-2026-OPS: escalation.levels[0].target: must be oncall:primary or oncall:secondary or left out; it is 'oncall:night'")]
    public async Task AContractTermThatCannotWork_StopsTheServiceAtStart_NamedOnce(string term, string value, string message)
    {
        // A level of the chain needs its name: the shipped contract gives none.
        var failures = await RefusedAsync(($"Contracts:OTQ-2026-OPS:{term}", value), ("Contracts:OTQ-2026-OPS:Escalation:Levels:0:Name", "值班工程师"));

        Assert.That(failures, Is.EqualTo(new[] { message }));
    }

    [TestCase("Contracts:OTQ-2026-OPS:Sla:RepairGeneral", "a day", "'Contracts:OTQ-2026-OPS:Sla:RepairGeneral'")]
    [TestCase("Contracts:OTQ-2026-OPS:Sla:WarnAt:1", "eighty", "'Contracts:OTQ-2026-OPS:Sla:WarnAt:1'")]
    [TestCase("Contracts:OTQ-2026-OPS:Escalation:Levels:0:From", "first", "'Contracts:OTQ-2026-OPS:Escalation:Levels:0:From'")]
    [TestCase("Calendars:Directory", "/nowhere/calendars", "Calendars:Directory (Calendars__Directory) names no folder")]
    [TestCase("Console:PublicUrl", "ops.example.gov.cn", "Console:PublicUrl (Console__PublicUrl) must be the console's absolute http or https address")]
    [TestCase("Console:PublicUrl", "ftp://ops.example.gov.cn", "Console:PublicUrl (Console__PublicUrl) must be the console's absolute http or https address")]
    public async Task AValueThatDoesNotParseOrACalendarThatCannotWork_StopsTheServiceAtStart_NamedOnce(string key, string value, string message)
    {
        var failures = await RefusedAsync((key, value));

        Assert.That(failures, Has.Count.EqualTo(1).And.One.Contains(message));
    }

    [Test]
    public async Task TheShippedSettings_Start()
    {
        await using var service = new ServiceFactory<Program>();

        var live = await service.CreateClient().GetAsync("/health/live");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
