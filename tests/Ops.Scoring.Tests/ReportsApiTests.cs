using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Scoring.Reports;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>
/// The reports API: who may do what, what it refuses, versions, and checking a file. The service's clock stands at
/// 2026-12-01 00:30 Shanghai time: November has ended, and the schedule leaves it until 01:00.
/// </summary>
public class ReportsApiTests : ServiceTests<Program>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 30, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset InNovember = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));

    protected override void Configure(ServiceFactory<Program> service)
    {
        service.Time.SetUtcNow(Now);
        service.Settings["Reports:Schedule"] = "true";
    }

    /// <summary>Waits for the schedule's run at start-up, so that what it stores is not taken for what a test did.</summary>
    internal static Task ScheduleRanAsync(IServiceProvider services) =>
        Eventually.HoldsAsync(() => Task.FromResult(services.GetRequiredService<ReportSchedule>().Runs >= 1), TimeSpan.FromSeconds(30));

    private Task ScheduleRanAsync() => ScheduleRanAsync(Service.Services);

    private static Task<HttpResponseMessage> GenerateAsync(HttpClient client, string period = "2026-11", string? site = null, string kind = "month") =>
        client.PostAsJsonAsync("/api/reports", new { contract = Seed.Contract, kind, period, site });

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<HttpResponseMessage> VerifyAsync(HttpClient client, byte[] file)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "报表.xlsx" } };
        return await client.PostAsync("/api/reports/verify", form);
    }

    private async Task<Guid> BreachInNovemberAsync()
    {
        await Service.Harness.Bus.Publish(new SlaBreached(Clocks.Running(ClockKind.Repair, Severity.Severe, reportedAt: InNovember).Breached()));
        JsonElement evidence = default;
        await EventuallyAsync(async () =>
        {
            var item6 = (await Client.GetFromJsonAsync<JsonElement>("/api/assessment")).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetInt32() == 6);
            evidence = item6.GetProperty("evidence");
            return evidence.GetArrayLength() == 1;
        });
        return evidence[0].GetProperty("id").GetGuid();
    }

    [Test]
    public async Task AClosedPeriodGeneratedTwice_IsTheSameReport_WithTheSameBytes()
    {
        await ScheduleRanAsync();
        await BreachInNovemberAsync();

        var first = await GenerateAsync(Client, site: "shm");
        var second = await GenerateAsync(Client, site: "SHM");

        Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.OK)));
        var (a, b) = (await ReadAsync(first), await ReadAsync(second));
        Assert.That(b.GetProperty("id").GetGuid(), Is.EqualTo(a.GetProperty("id").GetGuid()));
        Assert.That((a.GetProperty("version").GetInt32(), a.GetProperty("siteCode").GetString(), a.GetProperty("inProgress").GetBoolean()), Is.EqualTo((1, "SHM", false)));
        Assert.That(first.Headers.Location?.ToString(), Is.EqualTo($"/api/reports/{a.GetProperty("id").GetGuid()}"));
        var id = a.GetProperty("id").GetGuid();
        var bytes = await Client.GetByteArrayAsync($"/api/reports/{id}/xlsx");
        Assert.That(await Client.GetByteArrayAsync($"/api/reports/{id}/xlsx"), Is.EqualTo(bytes));
        Assert.That(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), Is.EqualTo(a.GetProperty("sha256").GetString()));
        Assert.That(a.GetProperty("bytes").GetInt64(), Is.EqualTo(bytes.LongLength));

        // The whole contract's report, made now, is byte for byte the same as one made again an hour later.
        var whole = await ReadAsync(await GenerateAsync(Client));
        Service.Time.Advance(TimeSpan.FromHours(1));
        await EventuallyAsync(() => Task.FromResult(Service.Services.GetRequiredService<ReportSchedule>().Runs >= 2));
        var again = await GenerateAsync(Client);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the schedule found it made already, and so does the manager");
        Assert.That((await ReadAsync(again)).GetProperty("id").GetGuid(), Is.EqualTo(whole.GetProperty("id").GetGuid()));
    }

    [Test]
    public async Task TheSameFigures_AreTheSameReport_EvenWhenTheWorkbooksBytesWouldDiffer()
    {
        await ScheduleRanAsync();
        await BreachInNovemberAsync();
        var first = await ReadAsync(await GenerateAsync(Client));
        var id = first.GetProperty("id").GetGuid();

        // As if version 1 had been written by another zip or spreadsheet library: other bytes, the same figures.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Service.DataDirectory, "scoring.db")}"))
        {
            var workbook = await connection.QuerySingleAsync<byte[]>("SELECT workbook FROM reports WHERE id = @Id", new { Id = id.ToString() });
            workbook[^10] ^= 0x01;
            await connection.ExecuteAsync(
                "DROP TRIGGER reports_no_update; UPDATE reports SET workbook = @Workbook, sha256 = @Sha256 WHERE id = @Id",
                new { Workbook = workbook, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(workbook)), Id = id.ToString() });
        }

        var again = await GenerateAsync(Client);

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "no new version");
        Assert.That((await ReadAsync(again)).GetProperty("id").GetGuid(), Is.EqualTo(id));
        var figures = (await Client.GetFromJsonAsync<JsonElement>($"/api/reports/{id}")).GetProperty("figures");
        Assert.That(figures.GetProperty("ticketsSha256").GetString(), Has.Length.EqualTo(64), "the figures stand for the ticket list too");
    }

    [Test]
    public async Task AWaiverAfterThePeriodEnded_MakesVersion2_AndBothAreListed()
    {
        await ScheduleRanAsync();
        var breach = await BreachInNovemberAsync();
        var v1 = await ReadAsync(await GenerateAsync(Client));

        var waived = await Client.PostAsJsonAsync("/api/assessment/waivers", new { deduction = breach, reason = "盟级统一平台故障，非乙方责任" });
        Assert.That(waived.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var generated = await GenerateAsync(Client);
        var again = await GenerateAsync(Client);

        Assert.That((generated.StatusCode, again.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.OK)));
        var v2 = await ReadAsync(generated);
        Assert.That(v2.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That(v2.GetProperty("sha256").GetString(), Is.Not.EqualTo(v1.GetProperty("sha256").GetString()));
        var listed = (await Client.GetFromJsonAsync<JsonElement>($"/api/reports?contract={Seed.Contract}&kind=month")).GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("period").GetString() == "2026-11").ToList();
        Assert.That(listed.Select(r => r.GetProperty("version").GetInt32()), Is.EqualTo(new[] { 2, 1 }), "newest version first");
        Assert.That(listed.Select(r => r.GetProperty("periodName").GetString()).Distinct(), Is.EqualTo(new[] { "2026年11月" }));
        var detail = await Client.GetFromJsonAsync<JsonElement>($"/api/reports/{v1.GetProperty("id").GetGuid()}");
        Assert.That(detail.GetProperty("report").GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(detail.GetProperty("figures").GetProperty("breaches").GetArrayLength(), Is.EqualTo(1), "version 1 keeps the figures it was made with");
    }

    [Test]
    public async Task AWorkbook_VerifiesToItsReportAndVersion_AndOneChangedByteMatchesNone()
    {
        await ScheduleRanAsync();
        await BreachInNovemberAsync();
        var report = await ReadAsync(await GenerateAsync(Client));
        var id = report.GetProperty("id").GetGuid();
        var download = await Client.GetAsync($"/api/reports/{id}/xlsx");
        var bytes = await download.Content.ReadAsByteArrayAsync();
        using var auditor = Service.ClientAs(Roles.Auditor, "赵审计");

        var verified = await ReadAsync(await VerifyAsync(auditor, bytes));
        bytes[bytes.Length / 2] ^= 0x01;
        var tampered = await VerifyAsync(auditor, bytes);

        Assert.That(download.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        Assert.That(download.Content.Headers.ContentDisposition?.FileNameStar, Is.EqualTo($"{Seed.Contract}-月报-2026-11-v1.xlsx"));
        Assert.That(verified.GetProperty("matches").GetBoolean(), Is.True);
        Assert.That(verified.GetProperty("report").GetProperty("id").GetGuid(), Is.EqualTo(id));
        Assert.That(verified.GetProperty("report").GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(tampered.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var verdict = await ReadAsync(tampered);
        Assert.That(verdict.GetProperty("matches").GetBoolean(), Is.False);
        Assert.That(verdict.GetProperty("report").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(verdict.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));
    }

    [Test]
    public async Task TheReportsChain_IsIntact_AndAWorkbookSwappedBehindTheServicesBack_IsNamed()
    {
        await ScheduleRanAsync();
        var report = await ReadAsync(await GenerateAsync(Client));
        var intact = await Client.GetFromJsonAsync<JsonElement>("/api/audit/chains");

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Service.DataDirectory, "scoring.db")}"))
        {
            var workbook = await connection.QuerySingleAsync<byte[]>("SELECT workbook FROM reports WHERE id = @Id", new { Id = report.GetProperty("id").GetGuid().ToString() });
            workbook[^10] ^= 0x01;
            await connection.ExecuteAsync("DROP TRIGGER reports_no_update; UPDATE reports SET workbook = @Workbook WHERE id = @Id", new { Workbook = workbook, Id = report.GetProperty("id").GetGuid().ToString() });
        }

        var broken = await Client.GetFromJsonAsync<JsonElement>("/api/audit/chains");

        var before = intact.GetProperty("chains").EnumerateArray().Single(c => c.GetProperty("chain").GetString() == ReportStore.Chain);
        Assert.That(intact.GetProperty("intact").GetBoolean(), Is.True, intact.ToString());
        Assert.That(before.GetProperty("entries").GetInt64(), Is.GreaterThan(1), "the schedule's reports and this one");
        var after = broken.GetProperty("chains").EnumerateArray().Single(c => c.GetProperty("chain").GetString() == ReportStore.Chain);
        Assert.That(broken.GetProperty("intact").GetBoolean(), Is.False);
        Assert.That(after.GetProperty("firstBroken").GetProperty("entry").GetString(), Is.EqualTo($"报表 {Seed.Contract} 月报 2026-11 第 1 版"));
        Assert.That(after.GetProperty("firstBroken").GetProperty("problem").GetString(), Does.Contain("写入后被改动"));
    }

    [Test]
    public async Task AnAuditor_MayListReadDownloadAndVerify_ButNotGenerate()
    {
        await ScheduleRanAsync();
        var report = await ReadAsync(await GenerateAsync(Client, site: "OTQ"));
        var id = report.GetProperty("id").GetGuid();
        using var auditor = Service.ClientAs(Roles.Auditor, "赵审计");

        var list = await auditor.GetAsync($"/api/reports?contract={Seed.Contract}&site=OTQ");
        var detail = await auditor.GetAsync($"/api/reports/{id}");
        var workbook = await auditor.GetAsync($"/api/reports/{id}/xlsx");
        var verify = await VerifyAsync(auditor, await workbook.Content.ReadAsByteArrayAsync());
        var generate = await GenerateAsync(auditor, period: "2026-09");

        Assert.That((list.StatusCode, detail.StatusCode, workbook.StatusCode, verify.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That((await ReadAsync(list)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()), Is.EqualTo(new[] { id }));
        Assert.That((await ReadAsync(verify)).GetProperty("matches").GetBoolean(), Is.True);
        await Problems.AssertAsync(generate, HttpStatusCode.Forbidden);
        Assert.That((await ReadAsync(await Client.GetAsync($"/api/reports?contract={Seed.Contract}&kind=month&site=OTQ"))).GetProperty("items").GetArrayLength(), Is.EqualTo(1), "the auditor stored nothing");
    }

    [TestCase(Roles.Engineer)]
    [TestCase(Roles.Operator)]
    public async Task AnEngineerOrOperator_Gets403_FromEveryReportEndpoint(string role)
    {
        await ScheduleRanAsync();
        using var caller = Service.ClientAs(role);
        var id = Guid.NewGuid();

        HttpResponseMessage[] answers =
        [
            await caller.GetAsync($"/api/reports?contract={Seed.Contract}"),
            await GenerateAsync(caller),
            await caller.GetAsync($"/api/reports/{id}"),
            await caller.GetAsync($"/api/reports/{id}/xlsx"),
            await VerifyAsync(caller, [1, 2, 3]),
        ];

        foreach (var answer in answers)
        {
            await Problems.AssertAsync(answer, HttpStatusCode.Forbidden);
        }

        Assert.That((await ReadAsync(await Client.GetAsync($"/api/reports?contract={Seed.Contract}&kind=month")))
            .GetProperty("items").EnumerateArray().Any(r => r.GetProperty("period").GetString() == "2026-11"), Is.False, "nothing was generated");
    }

    [TestCase("""{"kind":"week","period":"2026-11"}""", "kind")]
    [TestCase("""{"period":"2026-11"}""", "kind")]
    [TestCase("""{"kind":"month"}""", "period")]
    [TestCase("""{"kind":"month","period":"2026-13"}""", "period")]
    [TestCase("""{"kind":"month","period":"2027-03"}""", "period")]
    [TestCase("""{"kind":"month","period":"2027-01"}""", "period")]
    [TestCase("""{"kind":"quarter","period":"Q5"}""", "period")]
    [TestCase("""{"kind":"quarter","period":"2026-11"}""", "period")]
    [TestCase("""{"kind":"month","period":"2026-11","site":"HQ"}""", "site")]
    [TestCase("""{"kind":"month","period":"2026-11","site":"OTQ' --"}""", "site")]
    [TestCase("""{"contract":"NOPE-2026","kind":"month","period":"2026-11"}""", "contract")]
    public async Task ABadReportRequest_Is400NamingTheField_AndStoresNothing(string body, string field)
    {
        await ScheduleRanAsync();
        var before = await StoredState.FingerprintAsync(Database);

        var response = await Client.PostAsync("/api/reports", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.That(await StoredState.FingerprintAsync(Database), Is.EqualTo(before));
    }

    [TestCase("kind=week", "kind")]
    [TestCase("site=HQ", "site")]
    [TestCase("contract=NOPE-2026", "contract")]
    public async Task ABadListQuery_Is400NamingIt(string query, string field)
    {
        await Problems.AssertAsync(await Client.GetAsync($"/api/reports?{query}"), HttpStatusCode.BadRequest, field);
    }

    [Test]
    public async Task VerifyWithoutAFile_Is400NamingFile_AndAnOversizeBody413()
    {
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var withoutFile = await Client.PostAsync("/api/reports/verify", empty);
        var notAForm = await Client.PostAsJsonAsync("/api/reports/verify", new { file = "x" });
        using var huge = new ByteArrayContent(new byte[1]);
        huge.Headers.ContentLength = ReportsApi.MaxFileBytes + 1;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports/verify") { Content = huge };
        request.Content.Headers.ContentType = new("multipart/form-data") { Parameters = { new("boundary", "x") } };
        var tooLarge = await Client.SendAsync(request);
        using var large = new MultipartFormDataContent { { new ByteArrayContent(new byte[1024 * 1024]), "file", "大.xlsx" } };
        var oneMegabyte = await Client.PostAsync("/api/reports/verify", large);

        await Problems.AssertAsync(withoutFile, HttpStatusCode.BadRequest, "file");
        await Problems.AssertAsync(notAForm, HttpStatusCode.BadRequest, "file");
        await Problems.AssertAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(oneMegabyte.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a workbook larger than a JSON body may be");
        Assert.That((await ReadAsync(oneMegabyte)).GetProperty("matches").GetBoolean(), Is.False);
    }

    [Test]
    public async Task AReportOutsideTheCallersScope_IsUnknown()
    {
        await ScheduleRanAsync();
        var otq = await ReadAsync(await GenerateAsync(Client, site: "OTQ"));
        var bytes = await Client.GetByteArrayAsync($"/api/reports/{otq.GetProperty("id").GetGuid()}/xlsx");
        using var ofShm = Service.ClientAs(Roles.Manager, Scope.Of([Seed.Contract], ["SHM"]));

        var detail = await ofShm.GetAsync($"/api/reports/{otq.GetProperty("id").GetGuid()}");
        var verify = await ReadAsync(await VerifyAsync(ofShm, bytes));
        var list = await ReadAsync(await ofShm.GetAsync($"/api/reports?contract={Seed.Contract}"));
        var whole = await GenerateAsync(ofShm);
        var otherSite = await GenerateAsync(ofShm, site: "OTQ");
        var ownSite = await GenerateAsync(ofShm, site: "SHM");

        await Problems.AssertAsync(detail, HttpStatusCode.NotFound);
        Assert.That(verify.GetProperty("matches").GetBoolean(), Is.False);
        Assert.That(list.GetProperty("items").GetArrayLength(), Is.EqualTo(0), "neither OTQ's nor the whole contract's reports");
        await Problems.AssertAsync(whole, HttpStatusCode.BadRequest, "site");
        await Problems.AssertAsync(otherSite, HttpStatusCode.BadRequest, "site");
        Assert.That(ownSite.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }
}
