using System.Text.Json;

namespace Ops.SlaTimer.Tests;

/// <summary>The build prints no warning: NuGet's restore keeps what it warned of in each project's assets file, which this reads.</summary>
public class RestoreWarningsTests
{
    [Test]
    public void NoProjectOfTheSolution_GetsARestoreWarning()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "ops.sln")))
        {
            repository = repository.Parent!;
        }

        // The projects restored so far: this one and everything it builds on at least.
        var assets = Directory.GetFiles(repository.FullName, "project.assets.json", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var warnings = assets.SelectMany(file =>
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            return json.RootElement.TryGetProperty("logs", out var logs)
                ? logs.EnumerateArray().Select(l => $"{Path.GetRelativePath(repository.FullName, file)}: {l.GetProperty("code").GetString()} {l.GetProperty("message").GetString()}").ToList()
                : [];
        }).ToList();

        Assert.That(assets, Has.Some.Contains("Ops.SlaTimer.Tests"));
        Assert.That(warnings, Is.Empty);
    }
}
