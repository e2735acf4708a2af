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

    [TestCase("Contracts:OTQ-2026-OPS:Sla:Response", "00:00:00", "Contracts:OTQ-2026-OPS:Sla:Response (Contracts__OTQ-2026-OPS__Sla__Response) must be more than 00:00:00")]
    [TestCase("Contracts:OTQ-2026-OPS:Sla:RepairSevere", "-04:00:00", "Contracts:OTQ-2026-OPS:Sla:RepairSevere (Contracts__OTQ-2026-OPS__Sla__RepairSevere) must be more than 00:00:00")]
    [TestCase("Contracts:OTQ-2026-OPS:Sla:WarnAt:0", "100", "Contracts:OTQ-2026-OPS:Sla:WarnAt:0 (Contracts__OTQ-2026-OPS__Sla__WarnAt__0) must be from 1 to 99")]
    [TestCase("Contracts:OTQ-2026-OPS:Sla:Requests:WorkingHours:0", "18:00-08:30", "Contracts:OTQ-2026-OPS:Sla:Requests:WorkingHours:0 (Contracts__OTQ-2026-OPS__Sla__Requests__WorkingHours__0): A working period is written like 08:30-12:00")]
    [TestCase("Contracts:OTQ-2026-OPS:Sla:Requests:Grades:urgent:Completion", "00:00:00", "Contracts:OTQ-2026-OPS:Sla:Requests:Grades:urgent:Completion (Contracts__OTQ-2026-OPS__Sla__Requests__Grades__urgent__Completion) must be more than 00:00:00")]
    [TestCase("Contracts:OTQ-2026-OPS:Sla:RepairGeneral", "a day", "'Contracts:OTQ-2026-OPS:Sla:RepairGeneral'")]
    [TestCase("Contracts:OTQ-2026-OPS:Escalation:Levels:0:Channel", "Pigeon", "'Contracts:OTQ-2026-OPS:Escalation:Levels:0:Channel'")]
    [TestCase("Contracts:OTQ-2026-OPS:Escalation:Levels:0:Url", "robot.example", "Contracts:OTQ-2026-OPS:Escalation:Levels:0:Url (Contracts__OTQ-2026-OPS__Escalation__Levels__0__Url) must be an absolute http(s) URL")]
    [TestCase("Contracts:OTQ-2026-OPS:Escalation:Levels:0:From", "0", "Contracts:OTQ-2026-OPS:Escalation:Levels:0:From (Contracts__OTQ-2026-OPS__Escalation__Levels__0__From) must be from 1 to 100")]
    [TestCase("Contracts:OTQ-2026-OPS:Sla:WarnAt:1", "eighty", "Contracts:OTQ-2026-OPS:Sla:WarnAt:1 (Contracts__OTQ-2026-OPS__Sla__WarnAt__1) must be a whole number of percent")]
    [TestCase("Contracts:OTQ-2026-OPS:Sla:Requests:Grades:urgent:Calendar", "Lunar", "'Contracts:OTQ-2026-OPS:Sla:Requests:Grades:urgent:Calendar'")]
    [TestCase("Calendars:Directory", "/nowhere/calendars", "Calendars:Directory (Calendars__Directory) names no folder")]
    [TestCase("Contracts:OTQ-2026-OPS:Escalation:Levels:0:Target", "oncall:night", "Contracts:OTQ-2026-OPS:Escalation:Levels:0:Target (Contracts__OTQ-2026-OPS__Escalation__Levels__0__Target) must be oncall:primary or oncall:secondary")]
    [TestCase("Console:PublicUrl", "ops.example.gov.cn", "Console:PublicUrl (Console__PublicUrl) must be the console's absolute http or https address")]
    [TestCase("Console:PublicUrl", "ftp://ops.example.gov.cn", "Console:PublicUrl (Console__PublicUrl) must be the console's absolute http or https address")]
    public async Task AContractsTargetOrCalendarThatCannotWork_StopsTheServiceAtStart(string key, string value, string message)
    {
        var failures = await RefusedAsync((key, value));

        Assert.That(failures, Has.Some.Contains(message));
    }

    [Test]
    public async Task TheShippedSettings_Start()
    {
        await using var service = new ServiceFactory<Program>();

        var live = await service.CreateClient().GetAsync("/health/live");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
