using Microsoft.Extensions.Configuration;
using Ops.Hosting.Contracts;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// contracts.json is one typed model checked at start: each error names the file, the contract and the field, and
/// every error is given at once. A service with a contract that cannot work does not start.
/// </summary>
public class ContractsFileTests
{
    private const string Seed = SeedContract.Code;

    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] changes)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(SeedContract.File)
            .AddInMemoryCollection(changes.Select(c => new KeyValuePair<string, string?>($"Contracts:{Seed}:{c.Key}", c.Value)))
            .Build();
        return ContractsFile.Read(configuration).Errors();
    }

    [Test]
    public void TheShippedFile_HasNoErrors() => Assert.That(Errors(), Is.Empty);

    [TestCase("Amount", "0", "amount: must be > 0")]
    [TestCase("ServiceEnd", "2026-02-28", "serviceEnd: must be after serviceStart (2026-02-28)")]
    [TestCase("Assessment:Items:5:MaxPoints", "0", "assessment.items[5].maxPoints: must be > 0")]
    [TestCase("Assessment:Items:5:Number", "16", "assessment.items[5].number: must be from 1 to 15; it is 16")]
    [TestCase("Assessment:Items:5:Number", "5", "assessment.items[5].number: 5 is given twice")]
    [TestCase("Assessment:Items:0:MaxPoints", "6", "assessment.items: the items' maxPoints must sum to 100; they sum to 101")]
    [TestCase("Assessment:DeductionRules:0:Item", "16", "assessment.deductionRules[0].item: must be the number of one of the assessment items; it is 16")]
    [TestCase("Assessment:DeductionRules:3:Clock", "Repair", "assessment.deductionRules[3].clock: must be one of Response, Completion; it is 'Repair'")]
    [TestCase("Sla:Response", "00:00:00", "sla.response: must be > 00:00:00 and at most 365.00:00:00; it is 00:00:00")]
    [TestCase("Sla:RepairSevere", "-04:00:00", "sla.repairSevere: must be > 00:00:00 and at most 365.00:00:00; it is -04:00:00")]
    [TestCase("Sla:Requests:Grades:normal:Completion", "00:00:00", "sla.requests.grades.normal.completion: must be > 00:00:00 and at most 365.00:00:00; it is 00:00:00")]
    [TestCase("Sla:Requests:Grades:extra:Name", "加急", "sla.requests.grades.extra.response: is required")]
    [TestCase("Sla:Requests:Grades:urgent:Calendar", "Lunar", "sla.requests.grades.urgent.calendar: must be one of Continuous, Working; it is 'Lunar'")]
    [TestCase("Sla:Requests:WorkingHours:0", "18:00-08:30", "sla.requests.workingHours[0]: must be a period of one day written like 08:30-12:00; it is '18:00-08:30'")]
    [TestCase("Sla:Pauses:Reasons:1", "等待用户提供材料", "sla.pauses.reasons[1]: '等待用户提供材料' is given twice")]
    [TestCase("Sla:Pauses:Reasons:1", " ", "sla.pauses.reasons[1]: must be one line of 1–50 characters without leading or trailing spaces")]
    [TestCase("Escalation:Levels:0:Channel", "Pigeon", "escalation.levels[0].channel: must be one of WeCom, DingTalk, Webhook; it is 'Pigeon'")]
    [TestCase("Escalation:Levels:0:From", "70", "escalation.levels[0].from: must be a stage of the contract: 50, 80, 100 (100 is the breach); it is 70")]
    [TestCase("Escalation:Levels:0:Target", "oncall:night", "escalation.levels[0].target: must be oncall:primary or oncall:secondary or left out; it is 'oncall:night'")]
    public void ABadTerm_IsNamedByFileContractAndField(string key, string value, string message)
    {
        var changes = key.StartsWith("Escalation", StringComparison.Ordinal)
            ? new[] { (key, value), ("Escalation:Levels:0:Name", "值班工程师") }
            : [(key, value)];

        var errors = Errors(changes);

        // The exact message, and nothing about the contract's other fields (a bad term may also break a term that depends on it).
        Assert.That(errors, Has.Member($"contracts.json: {Seed}: {message}"));
        Assert.That(errors, Has.All.StartsWith($"contracts.json: {Seed}: "));
    }

    [Test]
    public void EveryError_IsGiven_NotTheFirstOnly()
    {
        var errors = Errors(("Amount", "-1"), ("Sla:Response", "00:00:00"), ("Assessment:Items:5:MaxPoints", "0"));

        Assert.That(errors, Is.EquivalentTo(new[]
        {
            $"contracts.json: {Seed}: amount: must be > 0",
            $"contracts.json: {Seed}: sla.response: must be > 00:00:00 and at most 365.00:00:00; it is 00:00:00",
            $"contracts.json: {Seed}: assessment.items[5].maxPoints: must be > 0",
            $"contracts.json: {Seed}: assessment.items: the items' maxPoints must sum to 100; they sum to 90",
        }));
    }

    [Test]
    public void ASiteCode_NamesOnePlace()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(SeedContract.File)
            .AddInMemoryCollection(SeedContract.Terms().Select(t => new KeyValuePair<string, string?>($"Contracts:HQ-2027-OPS:{t.Key}", t.Value))
                .Append(new("Contracts:HQ-2027-OPS:Sites:SHM", "上海庙")))
            .Build();

        Assert.That(ContractsFile.Read(configuration).Errors(), Is.EqualTo(new[] { $"contracts.json: OTQ-2026-OPS: sites.SHM: is already a site of HQ-2027-OPS: a site code names one place" }));
    }

    [Test]
    public void AValueThatDoesNotParse_NamesTheContractAndTheKey()
    {
        var errors = Errors(("Amount", "a lot"));

        Assert.That(errors, Has.One.StartsWith($"contracts.json: {Seed}: ").And.Contains($"'Contracts:{Seed}:Amount'"));
    }

    [Test]
    public async Task TheService_WithABadContract_DoesNotStart_NamingTheField()
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings[$"Contracts:{Seed}:Assessment:Items:5:MaxPoints"] = "0";

        var failures = service.RefusedSettings();

        Assert.That(failures, Has.Member($"contracts.json: {Seed}: assessment.items[5].maxPoints: must be > 0"));
    }
}
