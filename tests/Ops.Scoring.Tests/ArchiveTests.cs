using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ops.Hosting.Archive;
using Ops.Hosting.Contracts;
using Ops.Hosting.Security;
using Ops.Scoring.Archive;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>
/// The yearly archive assembled by scoring: its own files, the tickets' and the sla-timer's parts (here answered by a
/// stand-in for each service, which records the credentials it was sent), the signed manifest, and the offline check.
/// </summary>
public class ArchiveTests : ServiceTests<Program>
{
    private static readonly (string PrivateKey, string PublicKeyPem) Keys = ArchiveSignature.NewKeyPair();

    private const string OtherContract = "WSQ-2026-OPS";

    private static readonly string RobotToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private ArchivePartStandIn tickets = null!;
    private ArchivePartStandIn clocks = null!;

    protected override void Configure(ServiceFactory<Program> service)
    {
        // NUnit keeps one instance of the class for every test: each test gets its own stand-ins.
        tickets = new("tickets", "ticket-timeline", new()
        {
            ["tickets/tickets.jsonl"] = "{\"number\":\"F20261124-0001\",\"reporter\":{\"phone\":\"138****5678\"}}\n",
            ["tickets/tickets.csv"] = "\uFEFF工单号\r\nF20261124-0001\r\n",
        });
        clocks = new("sla-timer", "clock-outcomes", new()
        {
            ["clocks/clocks.jsonl"] = "{\"ticketNumber\":\"F20261124-0001\",\"state\":\"breached\"}\n",
        });
        service.Settings["Archive:SigningKey"] = Keys.PrivateKey;
        // A second contract, a robot with its key and secret and an engineer's mobile: none may reach an archive as is.
        SeedContract.CopyTo(service.Settings, OtherContract);
        service.Settings[$"Contracts:{OtherContract}:Sites:WSQ"] = "乌审旗";
        var level = $"Contracts:{Seed.Contract}:Escalation:Levels:0";
        service.Settings[$"{level}:Name"] = "值班工程师";
        service.Settings[$"{level}:Channel"] = "DingTalk";
        service.Settings[$"{level}:From"] = "50";
        service.Settings[$"{level}:Url"] = $"https://oapi.dingtalk.com/robot/send?access_token={RobotToken}";
        service.Settings[$"{level}:Secret"] = $"SEC{RobotToken}";
        var engineer = $"Contracts:{Seed.Contract}:OnCall:Engineers:0";
        service.Settings[$"{engineer}:Id"] = "zhangsan";
        service.Settings[$"{engineer}:Name"] = "张三";
        service.Settings[$"{engineer}:Mobile"] = "13812345678";
        service.TestServices.Add(s =>
        {
            s.AddHttpClient(ArchiveAssembler.TicketsClient).ConfigurePrimaryHttpMessageHandler(() => tickets);
            s.AddHttpClient(ArchiveAssembler.SlaTimerClient).ConfigurePrimaryHttpMessageHandler(() => clocks);
        });
    }

    /// <summary>How long a test waits for what must happen at once; only a broken archive ever waits this long.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly Action<HttpRequestMessage> NoCredentials = _ => { };

    private TimeSpan PartTimeout => Service.Services.GetRequiredService<IOptions<ArchiveOptions>>().Value.PartTimeout;

    private ServiceYear Year2026() => ServiceYear.Of(Seed.Contract, Service.Services.GetRequiredService<ContractsFile>().Contracts[Seed.Contract]).Single(y => y.Year == 2026);

    private static ECDsa PublicKey() => ArchiveSignature.ImportPublic(Keys.PublicKeyPem);

    private async Task<byte[]> ArchiveAsync(HttpClient? client = null)
    {
        var response = await (client ?? Client).GetAsync($"/api/archive?contract={Seed.Contract}&year=2026");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/zip"));
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<Guid> DeductAndWaiveAsync()
    {
        var deducted = await Client.PostAsJsonAsync("/api/assessment/deductions", new { contract = Seed.Contract, item = 13, points = 2, reason = "档案缺少三月的巡检记录" });
        Assert.That(deducted.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var id = (await deducted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var waived = await Client.PostAsJsonAsync("/api/assessment/waivers", new { deduction = id, reason = "记录已补齐" });
        Assert.That(waived.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        return id;
    }

    private static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        });
    }

    private static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }

        return memory.ToArray();
    }

    private static async Task<ArchiveCheck> CheckAsync(byte[] zip, ECDsa? key = null)
    {
        using var publicKey = key ?? PublicKey();
        return await ArchiveVerifier.VerifyAsync(new MemoryStream(zip), publicKey);
    }

    [Test]
    public async Task TheArchive_HoldsEveryPart_WithTheManifestsHashes_AndVerifies()
    {
        await DeductAndWaiveAsync();

        var zip = await ArchiveAsync();

        var entries = Entries(zip);
        var manifest = ArchiveManifest.Read(entries[ArchiveManifest.FileName])!;
        Assert.That(manifest.Files.Select(f => f.Name), Is.EquivalentTo(entries.Keys.Except([ArchiveManifest.FileName, ArchiveManifest.SignatureFileName])));
        Assert.That(manifest.Files.Select(f => f.Name), Is.SupersetOf(new[]
        {
            "tickets/tickets.jsonl", "tickets/tickets.csv", "clocks/clocks.jsonl", ScoringArchive.ContractsFile, ScoringArchive.Ledger, ScoringArchive.LedgerCsv,
            ScoringArchive.Assessment, ScoringArchive.AssessmentCsv, ScoringArchive.Reports, ScoringArchive.ReportsCsv,
        }));
        foreach (var file in manifest.Files)
        {
            Assert.That((file.Bytes, file.Sha256), Is.EqualTo(((long)entries[file.Name].Length, Convert.ToHexStringLower(SHA256.HashData(entries[file.Name])))), file.Name);
        }

        Assert.That((manifest.Contract, manifest.Year, manifest.FirstDay, manifest.LastDay), Is.EqualTo((Seed.Contract, 2026, new DateOnly(2026, 2, 28), new DateOnly(2027, 2, 27))));
        Assert.That(manifest.Chains.Select(c => $"{c.Service}/{c.Chain}"), Is.SupersetOf(new[] { "tickets/ticket-timeline", "sla-timer/clock-outcomes", "scoring/deduction-ledger" }));
        Assert.That(manifest.Chains.Single(c => c.Chain == "deduction-ledger").LastSeq, Is.EqualTo(2));

        // The parts arrive as the services wrote them; the caller's own token went to them.
        Assert.That(Encoding.UTF8.GetString(entries["tickets/tickets.jsonl"]), Is.EqualTo(tickets.Files["tickets/tickets.jsonl"]));
        Assert.That(tickets.Authorizations.Distinct().Single(), Is.EqualTo(Client.DefaultRequestHeaders.Authorization!.ToString()));
        Assert.That(tickets.Years.Concat(clocks.Years).Distinct(), Is.EqualTo(new[] { "2026" }));

        // The ledger keeps the deduction and its waiver, times in UTC.
        var ledger = Encoding.UTF8.GetString(entries[ScoringArchive.Ledger]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(ledger.Select(l => l.GetProperty("source").GetString()), Is.EqualTo(new[] { "manual", "waiver" }));
        Assert.That(ledger[0].GetProperty("recordedAt").GetString(), Does.EndWith("Z"));
        var assessment = JsonDocument.Parse(entries[ScoringArchive.Assessment]).RootElement.GetProperty("assessment");
        Assert.That(assessment.GetProperty("totalDeduction").GetDecimal(), Is.EqualTo(0m));

        // The archived contract alone, as the service ran it, with the robot's key and secret and the mobile masked.
        var contracts = JsonDocument.Parse(entries[ScoringArchive.ContractsFile]).RootElement.GetProperty("contracts");
        Assert.That(contracts.EnumerateObject().Select(c => c.Name), Is.EqualTo(new[] { Seed.Contract }));
        Assert.That(contracts.GetProperty(Seed.Contract).GetProperty("serviceStart").GetString(), Is.EqualTo("2026-02-28"));
        var contractsText = Encoding.UTF8.GetString(entries[ScoringArchive.ContractsFile]);
        Assert.That(contractsText, Does.Not.Contain(RobotToken).And.Not.Contain("13812345678").And.Not.Contain(OtherContract));
        Assert.That(contractsText, Does.Contain("oapi.dingtalk.com").And.Contain("138****5678"));

        var check = await CheckAsync(zip);
        Assert.That(check.Intact, Is.True, string.Join("; ", check.Problems.Concat(check.Changed).Concat(check.Added).Concat(check.Removed)));
    }

    [Test]
    public async Task EveryCsv_StartsWithAByteOrderMark_AndSpeaksChinese()
    {
        await DeductAndWaiveAsync();

        var entries = Entries(await ArchiveAsync());

        foreach (var name in new[] { ScoringArchive.LedgerCsv, ScoringArchive.AssessmentCsv, ScoringArchive.ReportsCsv })
        {
            Assert.That(entries[name].Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), name);
        }

        var ledger = Encoding.UTF8.GetString(entries[ScoringArchive.LedgerCsv]);
        Assert.That(ledger, Does.Contain("豁免").And.Contain("人工扣分").And.Contain("档案缺少三月的巡检记录"));
        Assert.That(Encoding.UTF8.GetString(entries[ScoringArchive.AssessmentCsv]), Does.Contain("合计"));
    }

    [Test]
    public async Task VerifyArchive_NamesEveryFileChangedAddedOrRemoved()
    {
        var entries = Entries(await ArchiveAsync());
        var tampered = entries
            .Where(e => e.Key != ScoringArchive.AssessmentCsv)
            .Select(e => (e.Key, e.Key == ScoringArchive.LedgerCsv ? [.. e.Value, .. "\r\n99,伪造的条目\r\n"u8.ToArray()] : e.Value))
            .Append(("tickets/extra.csv", "\uFEFF工单号\r\n"u8.ToArray()));

        var (exitCode, output) = await VerifyArchiveAsync(Zip(tampered), Keys.PublicKeyPem);

        Assert.That(exitCode, Is.EqualTo(ArchiveCommands.NotIntact));
        Assert.That(output, Does.Contain($"changed: {ScoringArchive.LedgerCsv}").And.Contain("added: tickets/extra.csv").And.Contain($"removed: {ScoringArchive.AssessmentCsv}"));
        Assert.That(output, Does.Contain("signature: valid"));
        Assert.That(output, Does.Not.Contain("changed: tickets/").And.Not.Contain($"removed: {ScoringArchive.Ledger}\n"));
    }

    [Test]
    public async Task VerifyArchive_PassesAnArchiveAsMade()
    {
        await DeductAndWaiveAsync();

        var (exitCode, output) = await VerifyArchiveAsync(await ArchiveAsync(), Keys.PublicKeyPem);

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("The archive is intact.").And.Contain("chain scoring/deduction-ledger"));
    }

    [Test]
    public async Task AnotherPublicKey_FailsTheSignature()
    {
        var zip = await ArchiveAsync();

        var (exitCode, output) = await VerifyArchiveAsync(zip, ArchiveSignature.NewKeyPair().PublicKeyPem);

        Assert.That(exitCode, Is.EqualTo(ArchiveCommands.NotIntact));
        Assert.That(output, Does.Contain("signature: NOT VALID"));
        Assert.That((await CheckAsync(zip)).Intact, Is.True, "the right key still passes it");
    }

    [Test]
    public async Task AManifestChangedAfterSigning_FailsTheSignature()
    {
        var entries = Entries(await ArchiveAsync());
        // Someone removes a file and takes it out of the manifest too: the files agree with the manifest, the signature does not.
        var manifest = ArchiveManifest.Read(entries[ArchiveManifest.FileName])!;
        var edited = manifest with { Files = [.. manifest.Files.Where(f => f.Name != ScoringArchive.LedgerCsv)] };
        var tampered = entries.Where(e => e.Key != ScoringArchive.LedgerCsv)
            .Select(e => (e.Key, e.Key == ArchiveManifest.FileName ? edited.ToBytes() : e.Value));

        var check = await CheckAsync(Zip(tampered));

        Assert.That((check.SignatureValid, check.Intact), Is.EqualTo((false, false)));
        Assert.That((check.Changed, check.Added, check.Removed), Is.EqualTo((Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>())));
        Assert.That(check.Problems.Single(), Does.StartWith($"{ArchiveManifest.FileName}: its signature does not match"));
    }

    [Test]
    public async Task Auditors_MayTakeTheArchive_EngineersMayNot()
    {
        using var auditor = Service.ClientAs(Roles.Auditor);
        using var engineer = Service.ClientAs(Roles.Engineer);

        Assert.That(Entries(await ArchiveAsync(auditor)), Does.ContainKey(ArchiveManifest.SignatureFileName));
        Assert.That((await engineer.GetAsync($"/api/archive?contract={Seed.Contract}&year=2026")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(tickets.Authorizations, Has.None.EqualTo(engineer.DefaultRequestHeaders.Authorization!.ToString()));
    }

    [TestCase("2027")]
    [TestCase("2025")]
    [TestCase("二〇二六")]
    [TestCase("")]
    public async Task AYearOutsideTheContract_IsRefused_NamingYear(string year)
    {
        var response = await Client.GetAsync($"/api/archive?contract={Seed.Contract}&year={year}");

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "year");
        Assert.That(tickets.Authorizations, Is.Empty, "nothing was asked of the other services");
    }

    [Test]
    public async Task AYearOutsideTheContract_SaysWhichYearsItHas()
    {
        var response = await Client.GetAsync($"/api/archive?contract={Seed.Contract}&year=2027");

        Assert.That(await Problems.MessageAsync(response, "year"), Does.Contain("2026").And.Contain("2026-02-28 – 2027-02-27"));
    }

    [Test]
    public async Task AServiceThatDoesNotAnswer_IsA503_BeforeAnyByteIsWritten()
    {
        clocks.Down = true;

        var response = await Client.GetAsync($"/api/archive?contract={Seed.Contract}&year=2026");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await Problems.TextAsync(response)).Detail, Does.Contain("sla-timer"));
    }

    [Test]
    public async Task APartThatStallsMidFile_FailsTheArchiveAfterPartTimeout_NamingTheServiceAndTheFile()
    {
        var stalled = clocks.Stall("clocks/clocks.jsonl");
        var assembler = Service.Services.GetRequiredService<ArchiveAssembler>();
        var plan = await assembler.PlanAsync(Year2026(), NoCredentials, CancellationToken.None);

        var writing = assembler.WriteAsync(plan, NoCredentials, new Actor("test", "test"), Stream.Null, CancellationToken.None);
        await stalled.WaitAsync(Bound);
        Service.Time.Advance(PartTimeout);

        var failed = Assert.ThrowsAsync<ArchivePartUnavailableException>(async () => await writing.WaitAsync(Bound));
        Assert.That(failed!.Service, Is.EqualTo("sla-timer"));
        Assert.That(failed.Why, Does.Contain("clocks/clocks.jsonl").And.Contain("Archive:PartTimeout"));
    }

    [Test]
    public async Task AManagersDownload_WhosePartStalls_BreaksOffAfterPartTimeout()
    {
        var stalled = clocks.Stall("clocks/clocks.jsonl");
        using var response = await Client.GetAsync($"/api/archive?contract={Seed.Contract}&year=2026", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var reading = response.Content.ReadAsByteArrayAsync();

        await stalled.WaitAsync(Bound);
        Service.Time.Advance(PartTimeout);

        var ended = Assert.CatchAsync(async () => await reading.WaitAsync(Bound));
        Assert.That(ended, Is.Not.InstanceOf<TimeoutException>(), "the download ends by itself, in an error");
    }

    [Test]
    public async Task TheArchiveCommand_Cancelled_DeletesItsPartialFile_AndSaysSo()
    {
        var stalled = clocks.Stall("clocks/clocks.jsonl");
        var folder = TestFolder.Create();
        try
        {
            var path = Path.Combine(folder, "档案包.zip");
            using var stopping = new CancellationTokenSource();
            using var output = new StringWriter();
            using var error = new StringWriter();
            var options = new Dictionary<string, string> { ["contract"] = Seed.Contract, ["year"] = "2026", ["to"] = path };

            var running = ArchiveCommand.RunAsync(Service.Services, options, output, error, stopping.Token);
            await stalled.WaitAsync(Bound);
            Assert.That(File.Exists(path + ".partial"), Is.True, "the command was writing its file when it was stopped");
            await stopping.CancelAsync();

            Assert.That(await running.WaitAsync(Bound), Is.EqualTo(1));
            Assert.That(error.ToString().Trim(), Is.EqualTo("Not archived: cancelled"));
            Assert.That(Directory.GetFiles(folder), Is.Empty);
            Assert.That(output.ToString(), Is.Empty);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task TheArchiveCommand_MakesTheFile_WhenNotCancelled()
    {
        var folder = TestFolder.Create();
        try
        {
            var path = Path.Combine(folder, "档案包.zip");
            using var output = new StringWriter();
            using var error = new StringWriter();
            var options = new Dictionary<string, string> { ["contract"] = Seed.Contract, ["year"] = "2026", ["to"] = path };

            Assert.That(await ArchiveCommand.RunAsync(Service.Services, options, output, error, CancellationToken.None), Is.EqualTo(0), error.ToString());

            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "档案包.zip" }));
            Assert.That(output.ToString(), Does.StartWith($"Archived {Seed.Contract} service year 2026"));
            Assert.That((await CheckAsync(await File.ReadAllBytesAsync(path))).Intact, Is.True);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void ASigningKeyThatIsNotP256_StopsTheService()
    {
        using var service = new ServiceFactory<Program>();
        using var rsa = RSA.Create(2048);
        service.Settings["Archive:SigningKey"] = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey());

        Assert.That(service.RefusedSettings(), Has.Some.Contains("Archive:SigningKey (Archive__SigningKey)"));
    }

    private static async Task<(int ExitCode, string Output)> VerifyArchiveAsync(byte[] zip, string publicKeyPem)
    {
        var folder = TestFolder.Create();
        try
        {
            var archive = Path.Combine(folder, "档案包.zip");
            var key = Path.Combine(folder, "archive-public.pem");
            await File.WriteAllBytesAsync(archive, zip);
            await File.WriteAllTextAsync(key, publicKeyPem);
            using var output = new StringWriter();
            var exitCode = await ArchiveCommands.Verify(null!, new Dictionary<string, string> { ["archive"] = archive, ["public-key"] = key }, output);
            return (exitCode, output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
