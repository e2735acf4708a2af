using System.Diagnostics;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// What <c>deploy/services.sh</c> (used by <c>up.sh</c>) does with a service that refuses its settings: it tells
/// why at once, and each start is appended to the service's log, which only its owner may read.
/// </summary>
public class DeployScriptTests
{
    private string folder = null!;

    [SetUp]
    public void NewFolder() => folder = TestFolder.Create();

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task AServiceThatRefusesItsSettings_IsReportedAtOnce_AndEachStartIsAppendedToItsLog()
    {
        var script = $"""
            . deploy/services.sh
            for start in 1 2; do
              start_service sla-timer SlaTimer 1 {TestRepository.Configuration} "$RUN" "$DATA"
              wait_ready sla-timer 1 "$RUN" && echo "ready?"
            done
            stat -c '%a %n' "$RUN" "$RUN/sla-timer.log" "$DATA"
            """;
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = TestRepository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["RUN"] = Path.Combine(folder, "run");
        start.Environment["DATA"] = Path.Combine(folder, "data");
        start.Environment["OPS_RABBITMQ_PORT"] = "1";
        start.Environment["OPS_RABBITMQ_USER"] = "unused";
        start.Environment["OPS_RABBITMQ_PASSWORD"] = "unused";
        start.Environment["Auth__SigningKey"] = TestSecrets.SigningKey;
        start.Environment["Audit__ChainKey"] = TestSecrets.ChainKey;
        start.Environment["Scanner__BatchSize"] = "0";

        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();

        const string refusal = "Ops.SlaTimer does not start: Scanner:BatchSize (Scanner__BatchSize) must be from 1 to 10000; it is 0.";
        var reports = error.Split("sla-timer exited at start; its log:\n").Skip(1).ToList();
        Assert.That(reports, Has.Count.EqualTo(2), error);
        Assert.That(reports, Has.All.Contains(refusal));
        Assert.That(reports[1].Split(refusal).Length - 1, Is.EqualTo(1), "the second report shows the last start only");
        var log = await File.ReadAllLinesAsync(Path.Combine(folder, "run", "sla-timer.log"));
        Assert.That(log.Count(l => l.StartsWith("===== ", StringComparison.Ordinal) && l.EndsWith(" sla-timer starting", StringComparison.Ordinal)), Is.EqualTo(2), "each start appended");
        Assert.That(log.Count(l => l.Contains(refusal, StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That((await output).Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            $"700 {Path.Combine(folder, "run")}",
            $"600 {Path.Combine(folder, "run", "sla-timer.log")}",
            $"700 {Path.Combine(folder, "data")}",
        }));
    }
}
