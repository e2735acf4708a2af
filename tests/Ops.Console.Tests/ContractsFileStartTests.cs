using Ops.Testing;

// Outside Ops.Console.Tests: the console refuses to start here, so no broker, service or browser is started for it.
namespace Ops.Console.StartTests;

/// <summary>The console reads contracts.json too, and checks it at start as the services do: a contract that cannot work stops it, each error named once.</summary>
public class ContractsFileStartTests
{
    [Test]
    public async Task TheConsole_WithABadContract_ExitsWithCode1_NamingTheFieldOnce()
    {
        var (exitCode, output) = await RefusedStart.RunAsync("Console", new Dictionary<string, string>
        {
            ["Contracts__OTQ-2026-OPS__Assessment__Items__5__MaxPoints"] = "0",
        });

        var line = "Ops.Console does not start: contracts.json: OTQ-2026-OPS: assessment.items[5].maxPoints: must be > 0\n";
        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output.Split(line).Length - 1, Is.EqualTo(1), output);
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
    }
}
