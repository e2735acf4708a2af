using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// The local credentials <c>./deploy/up.sh</c> writes (<c>write_local_credentials</c> in <c>deploy/services.sh</c>): kept
/// from one start to the next, and made again when the data folder was cleared, so the hotline's key and the console's
/// passwords in <c>.local/credentials.env</c> always work.
/// </summary>
public class LocalCredentialsTests
{
    private static readonly string[] Roles = ["operator", "engineer", "manager", "auditor", "admin"];

    [Test]
    public async Task TheCredentials_AreKeptWhileTheStoreHoldsThem_AndMadeAgainWithThePasswordsKeptAfterTheDataWasCleared()
    {
        await using var service = new ServiceFactory<Program>();
        service.Time.SetUtcNow(DateTimeOffset.UtcNow); // token lifetimes are checked against the real clock
        var folder = TestFolder.Create();
        var credentials = Path.Combine(folder, "credentials.env");

        var (first, _) = await WriteAsync(service.DataDirectory, folder, credentials);
        var (kept, keptOutput) = await WriteAsync(service.DataDirectory, folder, credentials);
        // The data folder cleared (up.sh makes it again), the credentials file left.
        Directory.Delete(service.DataDirectory, recursive: true);
        Directory.CreateDirectory(service.DataDirectory);
        var (remade, remadeOutput) = await WriteAsync(service.DataDirectory, folder, credentials);

        Assert.That(first["OPS_INTAKE_KEY"], Does.StartWith("ops_"));
        Assert.That(Roles.Select(r => first[$"OPS_{r.ToUpperInvariant()}_PASSWORD"]), Has.All.Length.GreaterThanOrEqualTo(12));
        Assert.That(Roles.Select(r => first[$"OPS_{r.ToUpperInvariant()}_TOKEN"]), Has.All.StartWith("ey"));
        Assert.That(kept["OPS_INTAKE_KEY"], Is.EqualTo(first["OPS_INTAKE_KEY"]), keptOutput);
        Assert.That(keptOutput, Does.Not.Contain("making a new key"));
        Assert.That(remadeOutput, Does.Contain("The tickets store does not hold the intake key"));
        Assert.That(remade["OPS_INTAKE_KEY"], Is.Not.EqualTo(first["OPS_INTAKE_KEY"]).And.StartWith("ops_"));
        foreach (var role in Roles)
        {
            var variable = $"OPS_{role.ToUpperInvariant()}_PASSWORD";
            Assert.That((kept[variable], remade[variable]), Is.EqualTo((first[variable], first[variable])), variable);
        }

        // The store made since holds the new key and every local user with the password kept.
        using var anonymous = service.ClientAs(null);
        foreach (var role in Roles)
        {
            var signIn = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = role, password = remade[$"OPS_{role.ToUpperInvariant()}_PASSWORD"] });
            Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{role}: {await signIn.Content.ReadAsStringAsync()}");
        }

        using var hotline = service.ClientAs(null);
        hotline.DefaultRequestHeaders.Add("X-Api-Key", remade["OPS_INTAKE_KEY"]);
        var report = await hotline.PostAsJsonAsync("/api/tickets", Reports.Valid());
        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.Created), await report.Content.ReadAsStringAsync());
    }

    /// <summary>Runs <c>write_local_credentials</c> as up.sh does; returns the file's variables and what the script printed.</summary>
    private static async Task<(Dictionary<string, string> Variables, string Output)> WriteAsync(string data, string run, string credentials)
    {
        var start = new ProcessStartInfo("bash", ["-c", """. deploy/services.sh && write_local_credentials "$CONFIGURATION" "$DATA" "$RUN" "$CREDENTIALS" """])
        {
            WorkingDirectory = TestRepository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CONFIGURATION"] = TestRepository.Configuration;
        start.Environment["DATA"] = data;
        start.Environment["RUN"] = run;
        start.Environment["CREDENTIALS"] = credentials;
        start.Environment["Auth__SigningKey"] = TestSecrets.SigningKey;
        start.Environment["Audit__ChainKey"] = TestSecrets.ChainKey;
        start.Environment["PersonalData__Key"] = TestSecrets.PersonalDataKey;

        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.That(bash.ExitCode, Is.Zero, error);

        var variables = (await File.ReadAllLinesAsync(credentials))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return (variables, await output + error);
    }
}
