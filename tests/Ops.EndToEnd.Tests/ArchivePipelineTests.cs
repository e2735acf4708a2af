using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ops.Hosting.Archive;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// The yearly archive across the real services: scoring fetches the tickets' and the sla-timer's parts over HTTP with
/// the caller's token, and the zip it streams verifies offline with the public key; <c>admin archive</c> and
/// <c>admin verify-archive</c> do the same from the command line.
/// </summary>
public class ArchivePipelineTests
{
    private static async Task<(string Number, Guid Id)> ReportAsync()
    {
        var report = await SystemUnderTest.Hotline.PostAsJsonAsync("api/tickets", new
        {
            channel = "phone", kind = "fault", severity = "general", siteCode = "OTQ", system = Pipeline.NewSystem(), title = "档案包端到端测试",
            reporter = new { name = "测试员", phone = "13800001111" },
        });
        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.Created), await report.Content.ReadAsStringAsync());
        var ticket = await report.Content.ReadFromJsonAsync<JsonElement>();
        var id = ticket.GetProperty("id").GetGuid();
        await Eventually.HoldsAsync(async () => (await SystemUnderTest.SlaTimer.Http.GetAsync($"api/tickets/{id}/clocks")).IsSuccessStatusCode, TimeSpan.FromSeconds(30));
        return (ticket.GetProperty("number").GetString()!, id);
    }

    private static string Text(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Test]
    public async Task AnAuditorsArchive_HoldsTheTicketAndItsClocks_AndVerifiesWithThePublicKey()
    {
        var (number, _) = await ReportAsync();
        using var auditor = SystemUnderTest.Scoring.Anonymous().As(Roles.Auditor, "e2e auditor");

        var response = await auditor.GetAsync("api/archive?contract=OTQ-2026-OPS&year=2026");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using (var key = ArchiveSignature.ImportPublic(SystemUnderTest.ArchiveKeys.PublicKeyPem))
        {
            var check = await ArchiveVerifier.VerifyAsync(new MemoryStream(bytes), key);
            Assert.That(check.Intact, Is.True, string.Join("; ", check.Problems.Concat(check.Changed).Concat(check.Added).Concat(check.Removed)));
            // A chain is in the manifest once it has an entry: the timeline has; no clock of this run need have stopped yet.
            Assert.That(check.Manifest!.Chains.Select(c => $"{c.Service}/{c.Chain}"), Has.Member("tickets/ticket-timeline"));
            Assert.That(check.Manifest.Files.Select(f => f.Name), Is.SupersetOf(new[] { "tickets/tickets.csv", "clocks/clocks.csv", "ledger/ledger.csv" }));
        }

        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var ticket = Text(zip, "tickets/tickets.jsonl").Split('\n').Single(l => l.Contains(number, StringComparison.Ordinal));
        Assert.That(ticket, Does.Contain("138****1111").And.Not.Contain("13800001111"));
        Assert.That(Text(zip, "clocks/clocks.jsonl").Split('\n').Count(l => l.Contains(number, StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(Text(zip, "tickets/timeline.csv"), Does.Contain(number));
    }

    [Test]
    public async Task AdminArchive_WritesTheFile_ThatVerifyArchiveChecks_AndACopyChangedIsNamed()
    {
        await ReportAsync();
        var folder = TestFolder.Create();
        var file = Path.Combine(folder, "档案包.zip");
        var key = Path.Combine(folder, "archive-public.pem");
        await File.WriteAllTextAsync(key, SystemUnderTest.ArchiveKeys.PublicKeyPem);

        var made = await SystemUnderTest.Scoring.AdminAsync("archive", "--contract", "OTQ-2026-OPS", "--year", "2026", "--to", file);
        Assert.That(made.ExitCode, Is.EqualTo(0), made.Output);
        var copy = Path.Combine(folder, "档案包-改动.zip");
        File.Copy(file, copy);
        using (var zip = ZipFile.Open(copy, ZipArchiveMode.Update))
        {
            await using var stream = zip.GetEntry("tickets/tickets.csv")!.Open();
            stream.Seek(0, SeekOrigin.End);
            await stream.WriteAsync("伪造,的,行\r\n"u8.ToArray());
        }

        // The file as written and a copy with one file changed, checked side by side (each check is a process of its own).
        var checks = await Task.WhenAll(
            SystemUnderTest.Scoring.AdminAsync("verify-archive", "--archive", file, "--public-key", key),
            SystemUnderTest.Tickets.AdminAsync("verify-archive", "--archive", copy, "--public-key", key));
        var (verified, tampered) = (checks[0], checks[1]);
        Assert.That(verified.ExitCode, Is.EqualTo(0), verified.Output);
        Assert.That(verified.Output, Does.Contain("The archive is intact."));
        Assert.That(tampered.ExitCode, Is.EqualTo(ArchiveCommands.NotIntact), tampered.Output);
        Assert.That(tampered.Output, Does.Contain("changed: tickets/tickets.csv"));
    }
}
