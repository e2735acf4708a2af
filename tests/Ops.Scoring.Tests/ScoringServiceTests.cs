using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>The scoring service in memory: SLA events in over the bus, the assessment, manual deductions, the dashboard, its guards.</summary>
public class ScoringServiceTests : ServiceTests<Program>
{
    private static readonly string ValidDeduction = """{"item":8,"points":1,"reason":"10月月报逾期5天提交"}""";

    private async Task<JsonElement> AssessmentAsync() => await Client.GetFromJsonAsync<JsonElement>("/api/assessment");

    private static JsonElement Item(JsonElement assessment, int item) =>
        assessment.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetInt32() == item);

    [Test]
    public async Task ABreachHeardTwiceOverTheBus_DeductsOnce_AndShowsInTheAssessmentWithItsEvidence()
    {
        var breached = Clocks.Running(ClockKind.Repair, Severity.Severe).Breached();

        await Service.Harness.Bus.Publish(new SlaBreached(breached));
        await EventuallyAsync(async () => Item(await AssessmentAsync(), 6).GetProperty("deducted").GetDecimal() == 2m);
        await Service.Harness.Bus.Publish(new SlaBreached(breached));
        await Service.Harness.Bus.Publish(new SlaClockStarted(Clocks.Running() with { ClockId = breached.ClockId }));
        await EventuallyAsync(() => Task.FromResult(
            Service.Consumed<SlaBreached>().Count == 2 && Service.Consumed<SlaClockStarted>().Count == 1));

        var assessment = await AssessmentAsync();
        var item6 = Item(assessment, 6);
        Assert.That(item6.GetProperty("entries").GetInt64(), Is.EqualTo(1));
        Assert.That(item6.GetProperty("evidence")[0].GetProperty("ticketNumber").GetString(), Is.EqualTo(breached.TicketNumber));
        Assert.That(item6.GetProperty("evidence")[0].GetProperty("deadline").GetString(), Does.EndWith("+08:00"));
        Assert.That(assessment.GetProperty("score").GetDecimal(), Is.EqualTo(98m));
        Assert.That(assessment.GetProperty("tier").GetString(), Is.EqualTo("良好"));
        Assert.That(assessment.GetProperty("feeReduction").GetDecimal(), Is.EqualTo(0m));
    }

    [Test]
    public async Task AManagersDeduction_IsRecordedInTheirName_AndPastTwentyPointsCostsMoney()
    {
        using var manager = Service.ClientAs(Roles.Manager, "李娜");
        foreach (var (item, points) in new[] { (4, 10m), (5, 10m), (14, 5m) })
        {
            var created = await manager.PostAsJsonAsync("/api/assessment/deductions", new { item, points, reason = "季度考核扣分" });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recordedBy").GetString(), Is.EqualTo("李娜"));
        }

        var assessment = await AssessmentAsync();

        Assert.That(assessment.GetProperty("totalDeduction").GetDecimal(), Is.EqualTo(25m));
        Assert.That(assessment.GetProperty("feeReduction").GetDecimal(), Is.EqualTo(25756.80m));
        Assert.That(assessment.GetProperty("tier").GetString(), Is.EqualTo("合格"));
        Assert.That(assessment.GetProperty("rectificationRequired").GetBoolean(), Is.False);
        Assert.That(Item(assessment, 14).GetProperty("evidence")[0].GetProperty("source").GetString(), Is.EqualTo("manual"));
    }

    [TestCase("""{"item":16,"points":1,"reason":"x"}""", "item")]
    [TestCase("""{"points":1,"reason":"x"}""", "item")]
    [TestCase("""{"item":8,"points":0,"reason":"x"}""", "points")]
    [TestCase("""{"item":8,"points":6,"reason":"x"}""", "points")]
    [TestCase("""{"item":8,"points":1.005,"reason":"x"}""", "points")]
    [TestCase("""{"item":8,"points":1,"reason":"  "}""", "reason")]
    [TestCase("""{"item":8,"points":1,"reason":"x","occurredAt":"2026-01-01T00:00:00+08:00"}""", "occurredAt")]
    [TestCase("""{"item":8,"points":1,"reason":"x","occurredAt":"2026-12-24T00:00:00+08:00"}""", "occurredAt")]
    [TestCase("""{"contract":"NOPE","item":8,"points":1,"reason":"x"}""", "contract")]
    public async Task ABadManualDeduction_IsAProblemNamingTheField_AndRecordsNothing(string body, string field)
    {
        var response = await Client.PostAsync("/api/assessment/deductions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.That((await AssessmentAsync()).GetProperty("totalDeduction").GetDecimal(), Is.EqualTo(0m));
    }

    [Test]
    public async Task TheDashboard_CountsWhatTheBusDelivered_ForTheFilterAsked()
    {
        await Service.Harness.Bus.Publish(new SlaClockStopped(Clocks.Running(ClockKind.Response).StoppedAfter(TimeSpan.FromMinutes(12)), TimeSpan.Zero));
        await Service.Harness.Bus.Publish(new SlaBreached(Clocks.Running(ClockKind.Response, siteCode: "SHM").Breached()));
        await EventuallyAsync(async () => (await Client.GetFromJsonAsync<JsonElement>("/api/dashboard/sla")).GetProperty("faults").GetInt64() == 2);

        var all = await Client.GetFromJsonAsync<JsonElement>("/api/dashboard/sla");
        var shm = await Client.GetFromJsonAsync<JsonElement>("/api/dashboard/sla?siteCode=shm&severity=severe");
        var day = await Client.GetFromJsonAsync<JsonElement>(
            $"/api/dashboard/sla?from={Uri.EscapeDataString("2026-11-25T00:00:00+08:00")}&to={Uri.EscapeDataString("2026-11-26T00:00:00+08:00")}");

        Assert.That(all.GetProperty("responseRate").GetDecimal(), Is.EqualTo(50m));
        Assert.That(all.GetProperty("meanAcknowledgeMinutes").GetDecimal(), Is.EqualTo(12m));
        Assert.That((shm.GetProperty("faults").GetInt64(), shm.GetProperty("openBreaches").GetInt64()), Is.EqualTo((1L, 1L)));
        Assert.That(day.GetProperty("faults").GetInt64(), Is.EqualTo(0), "reported 2026-11-24 09:00 Shanghai time");
    }

    [Test]
    public async Task AManagerWaivesABreach_TheAssessmentShowsBothEntries_AndASecondWaiverIs409()
    {
        await Service.Harness.Bus.Publish(new SlaBreached(Clocks.Running(ClockKind.Repair, Severity.Severe).Breached()));
        await EventuallyAsync(async () => Item(await AssessmentAsync(), 6).GetProperty("deducted").GetDecimal() == 2m);
        var breach = Item(await AssessmentAsync(), 6).GetProperty("evidence")[0].GetProperty("id").GetGuid();
        using var manager = Service.ClientAs(Roles.Manager, "李娜");

        var waived = await manager.PostAsJsonAsync("/api/assessment/waivers", new { deduction = breach, reason = "盟级统一平台故障，非乙方责任" });
        var again = await manager.PostAsJsonAsync("/api/assessment/waivers", new { deduction = breach, reason = "again" });
        var unknown = await manager.PostAsJsonAsync("/api/assessment/waivers", new { deduction = Guid.NewGuid(), reason = "x" });

        Assert.That(waived.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var waiver = await waived.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(waiver.GetProperty("recordedBy").GetString(), Is.EqualTo("李娜"));
        Assert.That((again.StatusCode, unknown.StatusCode), Is.EqualTo((HttpStatusCode.Conflict, HttpStatusCode.NotFound)));
        Assert.That((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(),
            Is.EqualTo($"台账条目 {breach} 已被条目 {waiver.GetProperty("id").GetGuid()}（豁免）冲销。"), "the ids the assessment shows");
        var item6 = Item(await AssessmentAsync(), 6);
        Assert.That((item6.GetProperty("deducted").GetDecimal(), item6.GetProperty("entries").GetInt64()), Is.EqualTo((0m, 2L)));
        Assert.That(item6.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("source").GetString()), Is.EqualTo(new[] { "breach", "waiver" }));
    }

    [Test]
    public async Task TheLedger_RecordsWhoActedAsOneIdentity_BesideTheName_AndStaysIntact()
    {
        await Service.Harness.Bus.Publish(new SlaBreached(Clocks.Running(ClockKind.Repair, Severity.Severe).Breached()));
        await EventuallyAsync(async () => Item(await AssessmentAsync(), 6).GetProperty("deducted").GetDecimal() == 2m);
        using var impostor = Service.ClientAs(null);
        impostor.DefaultRequestHeaders.Authorization = new("Bearer", new TokenIssuer(Microsoft.Extensions.Options.Options.Create(TestSecrets.Auth), TimeProvider.System)
            .Issue("user:impostor", "test manager", Roles.Manager, TimeSpan.FromHours(1)));

        var byManager = await (await Client.PostAsync("/api/assessment/deductions", new StringContent(ValidDeduction, System.Text.Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();
        var byImpostor = await (await impostor.PostAsync("/api/assessment/deductions", new StringContent(ValidDeduction, System.Text.Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(byImpostor.GetProperty("recordedBy").GetString(), Is.EqualTo(byManager.GetProperty("recordedBy").GetString()), "the same display name");
        Assert.That(byManager.GetProperty("recordedById").GetString(), Is.EqualTo("test:manager"));
        Assert.That(byImpostor.GetProperty("recordedById").GetString(), Is.EqualTo("user:impostor"));
        Assert.That(Item(await AssessmentAsync(), 6).GetProperty("evidence")[0].GetProperty("recordedById").GetString(), Is.EqualTo("service:sla-timer"));
        var chains = await Client.GetFromJsonAsync<JsonElement>("/api/audit/chains");
        Assert.That(chains.GetProperty("intact").GetBoolean(), Is.True, chains.ToString());
    }

    [TestCase("""{"reason":"x"}""", "deduction")]
    [TestCase("""{"deduction":"00000000-0000-0000-0000-000000000000","reason":"x"}""", "deduction")]
    [TestCase("""{"deduction":"0190a1b2-0000-7000-8000-000000000001"}""", "reason")]
    public async Task ABadWaiver_IsAProblemNamingTheField(string body, string field)
    {
        var response = await Client.PostAsync("/api/assessment/waivers", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, field);
    }

    [TestCase("from=yesterday", "from")]
    [TestCase("from=2026-11-24T10:00:00", "from")]
    [TestCase("from=2026-11-25T00:00:00%2B08:00&to=2026-11-24T00:00:00%2B08:00", "to")]
    [TestCase("severity=critical", "severity")]
    [TestCase("siteCode=OTQ'%20--", "siteCode")]
    [TestCase("contract=NOPE", "contract")]
    public async Task ABadDashboardQuery_IsAProblemNamingIt(string query, string field)
    {
        var response = await Client.GetAsync($"/api/dashboard/sla?{query}");

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Test]
    public async Task ALedgerEntryChangedBehindTheServicesBack_IsNamedByTheAuditEndpoint()
    {
        await Client.PostAsync("/api/assessment/deductions", new StringContent(ValidDeduction, System.Text.Encoding.UTF8, "application/json"));
        await Client.PostAsync("/api/assessment/deductions", new StringContent(ValidDeduction, System.Text.Encoding.UTF8, "application/json"));
        var intact = await Client.GetFromJsonAsync<JsonElement>("/api/audit/chains");

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Service.DataDirectory, "scoring.db")}"))
        {
            await connection.ExecuteAsync("DROP TRIGGER deductions_no_update; UPDATE deductions SET points_hundredths = 1 WHERE chain_seq = 2");
        }

        var report = await Client.GetFromJsonAsync<JsonElement>("/api/audit/chains");

        Assert.That(intact.GetProperty("intact").GetBoolean(), Is.True);
        Assert.That(report.GetProperty("intact").GetBoolean(), Is.False);
        var broken = report.GetProperty("chains").EnumerateArray().Single(c => c.GetProperty("chain").GetString() == "deduction-ledger").GetProperty("firstBroken");
        Assert.That(broken.GetProperty("seq").GetInt64(), Is.EqualTo(2));
        Assert.That(broken.GetProperty("entry").GetString(), Does.Contain("（人工扣分，第 8 项）"));
    }

    private static readonly EndpointAccess[] Matrix =
    [
        new("GET", "/api/assessment", "/api/assessment", [Roles.Manager, Roles.Auditor]),
        new("POST", "/api/assessment/deductions", "/api/assessment/deductions", [Roles.Manager], ValidDeduction),
        new("POST", "/api/assessment/waivers", "/api/assessment/waivers", [Roles.Manager], $$"""{"deduction":"{{Guid.NewGuid()}}","reason":"非乙方责任"}"""),
        new("GET", "/api/dashboard/sla", "/api/dashboard/sla", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/dashboard/sla/breakdown", "/api/dashboard/sla/breakdown?by=month", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/audit/chains", "/api/audit/chains", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/ledger", "/api/ledger", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/archive", "/api/archive", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/ledger/export", "/api/ledger/export", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/reports", "/api/reports", [Roles.Manager, Roles.Auditor]),
        new("POST", "/api/reports", "/api/reports", [Roles.Manager], """{"kind":"month","period":"2026-10"}"""),
        new("GET", "/api/reports/{id:guid}", $"/api/reports/{Guid.NewGuid()}", [Roles.Manager, Roles.Auditor]),
        new("GET", "/api/reports/{id:guid}/xlsx", $"/api/reports/{Guid.NewGuid()}/xlsx", [Roles.Manager, Roles.Auditor]),
        new("POST", "/api/reports/verify", "/api/reports/verify", [Roles.Manager, Roles.Auditor]),
    ];

    [Test]
    public async Task EveryEndpoint_AnswersEachRoleAsTheMatrixSays_AndTheMatrixCoversThemAll()
    {
        var violations = await AccessMatrix.ViolationsAsync(role => Service.ClientAs(role), Matrix);

        Assert.That(violations, Is.Empty);
        Assert.That(AccessMatrix.GuardedEndpoints(Service.Services), Is.EquivalentTo(Matrix.Select(e => e.Endpoint)));
        Assert.That((await AssessmentAsync()).GetProperty("totalDeduction").GetDecimal(), Is.EqualTo(1m), "only the manager's deduction was recorded");
    }

    [Test]
    public async Task ThreeThousandBadRequests_AreEachRefusedWithAProblem_AndChangeNothing()
    {
        await Service.Harness.Bus.Publish(new SlaBreached(Clocks.Running().Breached()));
        await EventuallyAsync(async () => (await AssessmentAsync()).GetProperty("totalDeduction").GetDecimal() == 2m);
        var before = await StoredState.FingerprintAsync(Database);
        var injections = BadRequests.Injections.Where(i => i != "../../etc/passwd").ToList();
        var escaped = injections.Select(Uri.EscapeDataString).ToList();
        BadInputTarget[] targets =
        [
            new("POST", "/api/assessment/deductions", ValidDeduction, new Dictionary<string, JsonNode?[]>
            {
                ["item"] = [0, 16, -1, null, 8.5],
                ["points"] = [0, -1, 5.01, 6, 1.001, null, 79228162514264337593543950335m],
                ["reason"] = ["", "   ", null, new string('因', 1001)],
                ["occurredAt"] = ["yesterday", "2026-11-24T10:00:00", "2020-01-01T00:00:00+08:00", "2099-01-01T00:00:00+08:00", "2026-02-30T10:00:00+08:00"],
                ["contract"] = ["NOPE", .. injections.Select(i => JsonValue.Create(i))],
            }),
            new("POST", "/api/assessment/waivers", $$"""{"deduction":"{{Guid.NewGuid()}}","reason":"非乙方责任"}""", new Dictionary<string, JsonNode?[]>
            {
                ["deduction"] = [null, "", "not-a-guid", "00000000-0000-0000-0000-000000000000", .. injections.Select(i => JsonValue.Create(i))],
                ["reason"] = ["", "  ", null, new string('因', 1001)],
            }),
            new("GET", "/api/assessment", WrongQueries:
            [
                "evidence=-1", "evidence=1001", "evidence=ten", "evidence=99999999999", .. escaped.Select(i => $"contract={i}"), .. escaped.Select(i => $"evidence={i}"),
            ]),
            new("GET", "/api/dashboard/sla", WrongQueries:
            [
                "from=yesterday", "to=2026-13-01T00:00:00Z", "from=2026-11-24T10:00:00", "from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z",
                "severity=critical", $"siteCode={new string('S', 33)}", $"system={new string('系', 101)}", .. escaped.Select(i => $"siteCode={i}"),
                .. escaped.Select(i => $"system={i}"), .. escaped.Select(i => $"severity={i}"), .. escaped.Select(i => $"contract={i}"),
            ]),
            new("GET", "/api/dashboard/sla/breakdown", WrongQueries:
            [
                "by=week", "by=month&by=site", "by=site&from=yesterday", "by=system&from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", "by=month&severity=critical",
                .. escaped.Select(i => $"by={i}"), .. escaped.Select(i => $"by=site&siteCode={i}"), .. escaped.Select(i => $"by=month&contract={i}"),
            ]),
        ];

        var failures = new List<string>();
        foreach (var request in BadRequests.Generate(targets, 3000, seed: 5103))
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync();
            using var response = await Client.SendAsync(request);
            if ((int)response.StatusCode is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{request.Method} {request.RequestUri} {(body.Length > 300 ? body[..300] + "…" : body)} → {(int)response.StatusCode}");
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
        Assert.That(await StoredState.FingerprintAsync(Database), Is.EqualTo(before));
    }

    [Test]
    public async Task EveryTextFieldOfEveryBody_RefusesControlAndInvisibleCharacters_NamingTheField_AndChangesNothing()
    {
        var before = await StoredState.FingerprintAsync(Database);
        BadInputTarget[] targets =
        [
            new("POST", "/api/assessment/deductions", """{"contract":"OTQ-2026-OPS","item":8,"points":1,"reason":"10月月报逾期5天提交"}"""),
            new("POST", "/api/assessment/waivers", $$"""{"deduction":"{{Guid.NewGuid()}}","reason":"非乙方责任"}"""),
        ];

        var failures = new List<string>();
        var count = 0;
        foreach (var (request, field) in BadRequests.WithHiddenCharacters(targets))
        {
            var body = await request.Content!.ReadAsStringAsync();
            using var response = await Client.SendAsync(request);
            count++;
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            if (response.StatusCode != HttpStatusCode.BadRequest || problem.ValueKind != JsonValueKind.Object
                || !problem.TryGetProperty("errors", out var errors) || !errors.TryGetProperty(field, out _))
            {
                failures.Add($"{request.RequestUri} {field}: {body} → {(int)response.StatusCode} {(problem.ValueKind == JsonValueKind.Object ? problem.ToString() : "")}");
            }
        }

        Assert.That(count, Is.EqualTo(BadRequests.HiddenCharacters.Length * 4), "contract and reason of a deduction, deduction and reason of a waiver");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
        Assert.That(await StoredState.FingerprintAsync(Database), Is.EqualTo(before));
    }
}
