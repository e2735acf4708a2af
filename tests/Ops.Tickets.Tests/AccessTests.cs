using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Testing;
using Ops.Tickets.Access;

namespace Ops.Tickets.Tests;

/// <summary>Who may do what at the tickets service: the role matrix, API keys, local users, rate limits, whole and masked phones.</summary>
public class AccessTests
{
    private ServiceFactory<Program> service = null!;

    [SetUp]
    public void StartService() => service = new ServiceFactory<Program>();

    [TearDown]
    public async Task StopService() => await service.DisposeAsync();

    private Database Database => (Database)service.Services.GetService(typeof(Database))!;

    private static string ReportBody => JsonSerializer.Serialize(Reports.Valid(), JsonSerializerOptions.Web);

    private async Task<Guid> ReportAsync()
    {
        var response = await service.CreateClient().PostAsJsonAsync("/api/tickets", Reports.Valid());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private IReadOnlyList<EndpointAccess> Matrix(Guid ticket)
    {
        string[] report = [Roles.Intake, Roles.Operator, Roles.Engineer, Roles.Manager];
        string[] read = [Roles.Operator, Roles.Engineer, Roles.Manager, Roles.Auditor];
        string[] work = [Roles.Engineer, Roles.Manager];
        string[] admin = [Roles.Admin];
        return
        [
            new("POST", "/api/tickets", "/api/tickets", report, ReportBody),
            new("GET", "/api/tickets", "/api/tickets", read),
            new("GET", "/api/tickets/export", "/api/tickets/export", read),
            new("GET", "/api/tickets/{id}", $"/api/tickets/{ticket}", read),
            new("POST", "/api/tickets/{id}/acknowledge", $"/api/tickets/{ticket}/acknowledge", work),
            new("POST", "/api/tickets/{id}/resolve", $"/api/tickets/{ticket}/resolve", work, """{"resolution":"已处理"}"""),
            new("POST", "/api/tickets/{id}/severity", $"/api/tickets/{ticket}/severity", work, """{"severity":"severe","reason":"影响面扩大"}"""),
            new("POST", "/api/tickets/{id}/reopen", $"/api/tickets/{ticket}/reopen", work, """{"reason":"仍无法出件"}"""),
            new("POST", "/api/tickets/{id}/pause", $"/api/tickets/{ticket}/pause", work, """{"reason":"等待用户提供材料"}"""),
            new("POST", "/api/tickets/{id}/pause/approve", $"/api/tickets/{ticket}/pause/approve", [Roles.Manager]),
            new("POST", "/api/tickets/{id}/pause/decline", $"/api/tickets/{ticket}/pause/decline", [Roles.Manager], """{"reason":"材料已齐全"}"""),
            new("POST", "/api/tickets/{id}/resume", $"/api/tickets/{ticket}/resume", work),
            new("GET", "/api/contracts", "/api/contracts", [Roles.Intake, Roles.Operator, Roles.Engineer, Roles.Manager, Roles.Auditor]),
            new("GET", "/api/audit/chains", "/api/audit/chains", [Roles.Manager, Roles.Auditor]),
            new("GET", "/api/admin/keys", "/api/admin/keys", admin),
            new("POST", "/api/admin/keys", "/api/admin/keys", admin, """{"name":"matrix","role":"intake"}"""),
            new("GET", "/api/admin/keys/{id:guid}", $"/api/admin/keys/{Guid.NewGuid()}", admin),
            new("DELETE", "/api/admin/keys/{id:guid}", $"/api/admin/keys/{Guid.NewGuid()}", admin),
            new("GET", "/api/archive/part", "/api/archive/part?contract=OTQ-2026-OPS&year=2026", [Roles.Manager, Roles.Auditor]),
            new("GET", "/api/archive/part/file", "/api/archive/part/file?contract=OTQ-2026-OPS&year=2026&name=tickets/tickets.csv", [Roles.Manager, Roles.Auditor]),
            new("GET", "/api/admin/users", "/api/admin/users", admin),
            new("POST", "/api/admin/users", "/api/admin/users", admin, """{"username":"bad name!","displayName":"x","role":"engineer","password":"short"}"""),
            new("GET", "/api/admin/users/{username}", "/api/admin/users/nobody", admin),
            new("DELETE", "/api/admin/users/{username}", "/api/admin/users/nobody", admin),
        ];
    }

    [Test]
    public async Task EveryEndpoint_AnswersEachRoleAsTheMatrixSays_AndNobodyWith401()
    {
        var ticket = await ReportAsync();

        var violations = await AccessMatrix.ViolationsAsync(role => service.ClientAs(role), Matrix(ticket));

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void TheMatrix_CoversEveryEndpointTheServiceMaps()
    {
        var guarded = AccessMatrix.GuardedEndpoints(service.Services, "POST /api/auth/token");

        Assert.That(guarded, Is.EquivalentTo(Matrix(Guid.Empty).Select(e => e.Endpoint)));
    }

    [Test]
    public async Task HealthAndSignIn_NeedNoCredentials_ButATokenFromAnotherKey_IsRefused()
    {
        using var nobody = service.ClientAs(null);
        var forged = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "ops-sla",
            Audience = "ops-sla",
            Claims = new Dictionary<string, object> { ["sub"] = "x", ["name"] = "x", ["role"] = Roles.Manager },
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]), "HS256"),
        });
        using var forger = service.ClientAs(null);
        forger.DefaultRequestHeaders.Authorization = new("Bearer", forged);

        Assert.That((await nobody.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await nobody.PostAsJsonAsync("/api/auth/token", new { username = "nobody", password = "wrong password" })).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await forger.GetAsync("/api/tickets")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AnApiKey_IsStoredOnlyAsItsHash_ReportsAsItsName_AndOnceRevokedIsRefused()
    {
        using var admin = service.ClientAs(Roles.Admin);
        var issued = await (await admin.PostAsJsonAsync("/api/admin/keys", new { name = "hotline gateway", role = "intake" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = issued.GetProperty("key").GetString()!;
        using var hotline = service.CreateClient().WithApiKey(key);

        var reported = await hotline.PostAsJsonAsync("/api/tickets", Reports.Valid());
        var reads = await hotline.GetAsync("/api/tickets");
        var revoked = await admin.DeleteAsync($"/api/admin/keys/{issued.GetProperty("keyId").GetGuid()}");
        var afterRevocation = await hotline.PostAsJsonAsync("/api/tickets", Reports.Valid());

        Assert.That(reported.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var ticket = await reported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(ticket.GetProperty("timeline")[0].GetProperty("actor").GetString(), Is.EqualTo("hotline gateway (API key)"));
        Assert.That(reads.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "intake reports, and reads nothing");
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(afterRevocation.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var stored = await Database.ReadAsync(c => c.QueryAsync<string>("SELECT key_id || name || role || key_hash FROM api_keys"));
        Assert.That(stored.Single(), Does.Not.Contain(key).And.Contain(ApiKeyStore.Hash(key)));
    }

    [Test]
    public async Task ALocalUser_SignsIn_WithTheRoleAnAdminGave_AndNoLongerOnceDisabled()
    {
        service.Time.SetUtcNow(DateTimeOffset.UtcNow); // the token's lifetime is checked against the real clock
        using var admin = service.ClientAs(Roles.Admin);
        using var nobody = service.ClientAs(null);
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { username = "wang.wei", displayName = "王伟", role = "engineer", password = "correct horse battery" });

        var wrong = await nobody.PostAsJsonAsync("/api/auth/token", new { username = "wang.wei", password = "incorrect horse battery" });
        var signIn = await (await nobody.PostAsJsonAsync("/api/auth/token", new { username = "wang.wei", password = "correct horse battery" })).Content.ReadFromJsonAsync<JsonElement>();
        using var wang = service.CreateClient().Anonymous();
        Assert.That(signIn.GetProperty("displayName").GetString(), Is.EqualTo("王伟"), "the name the user was created with");
        wang.DefaultRequestHeaders.Authorization = new("Bearer", signIn.GetProperty("accessToken").GetString());
        var ticket = await ReportAsync();
        var acknowledged = await wang.PostAsync($"/api/tickets/{ticket}/acknowledge", null);
        var assessment = await wang.GetAsync("/api/audit/chains");
        await admin.DeleteAsync("/api/admin/users/wang.wei");
        var afterDisabling = await nobody.PostAsJsonAsync("/api/auth/token", new { username = "wang.wei", password = "correct horse battery" });

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(signIn.GetProperty("role").GetString(), Is.EqualTo("engineer"));
        Assert.That((await acknowledged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("acknowledgedBy").GetString(), Is.EqualTo("王伟"));
        Assert.That(assessment.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(afterDisabling.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var hash = await Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT password_hash FROM users"));
        Assert.That(hash, Does.Not.Contain("correct horse"));
    }

    [TestCase(Roles.Engineer, "13812345678")]
    [TestCase(Roles.Manager, "13812345678")]
    [TestCase(Roles.Auditor, "138****5678")]
    [TestCase(Roles.Operator, "138****5678")]
    public async Task TheDetail_ShowsThePhoneWhole_OnlyToThoseWhoCallBack(string role, string expected)
    {
        var ticket = await ReportAsync();

        var detail = await service.ClientAs(role).GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}");

        Assert.That(detail.GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task TheGatewaysAnswer_AndTheEvent_CarryTheMaskedPhone()
    {
        using var gateway = service.ClientAs(Roles.Intake);

        var created = await (await gateway.PostAsJsonAsync("/api/tickets", Reports.Valid())).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(created.GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo("138****5678"));
        var published = (await service.PublishedAsync<Ops.Contracts.Tickets.TicketReported>()).Single();
        Assert.That(JsonSerializer.Serialize(published), Does.Not.Contain("12345678").And.Not.Contain("1234 5678"));
    }

    [Test]
    public async Task Intake_IsLimitedPerCaller_With429AndRetryAfter_AndStoresNothingOverTheLimit()
    {
        service.Settings["Intake:RateLimit:PermitsPerSecond"] = "1";
        service.Settings["Intake:RateLimit:Burst"] = "3";
        using var gateway = service.ClientAs(Roles.Intake, "hotline");
        using var other = service.ClientAs(Roles.Engineer, "another caller");

        // Until the first refusal: a machine that takes a second for the first reports earns a new permit meanwhile.
        var answers = new List<HttpResponseMessage>();
        do
        {
            answers.Add(await gateway.PostAsJsonAsync("/api/tickets", Reports.Valid()));
        }
        while (answers[^1].StatusCode == HttpStatusCode.Created && answers.Count < 20);

        var fromAnotherCaller = await other.PostAsJsonAsync("/api/tickets", Reports.Valid());

        var (refused, created) = (answers[^1], answers.Count - 1);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "twenty reports in a row, none refused");
        Assert.That(created, Is.GreaterThanOrEqualTo(3), "the burst of three is answered before any refusal");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(fromAnotherCaller.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var stored = await Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tickets"));
        Assert.That(stored, Is.EqualTo(created + 1), "exactly the reports answered 201 are stored (the hotline's and the other caller's), the refused one not");
    }

    [TestCase("Auth:SigningKey", "Auth:SigningKey is not configured")]
    [TestCase("Audit:ChainKey", "Audit:ChainKey is not configured")]
    [TestCase("PersonalData:Key", "PersonalData:Key is not configured")]
    public void WithoutItsSecret_TheServiceRefusesToStart_SayingWhichOne(string setting, string message)
    {
        service.Settings[setting] = "";

        Assert.That(service.RefusedSettings(), Has.One.StartsWith(message));
    }

    [Test]
    public async Task NoLogLine_CarriesAReportersPhone_EvenAtTraceLevel_AndEvenWhenTheReportIsRefused()
    {
        service.Settings["Logging:LogLevel:Default"] = "Trace";
        service.Settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        using var client = service.CreateClient();

        await client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        await client.PostAsJsonAsync("/api/tickets", Reports.Valid() with { Reporter = new() { Name = "李女士", Phone = "1381234567" } });
        await client.PostAsync("/api/tickets", new StringContent("{\"reporter\":{\"phone\":13812345678", System.Text.Encoding.UTF8, "application/json"));
        await client.GetAsync("/api/tickets");

        Assert.That(service.Logs.Lines, Is.Not.Empty);
        Assert.That(service.Logs.Lines, Has.None.Contains("12345678").And.None.Contains("1234 5678").And.None.Contains("1234567"));
    }

    [Test]
    public async Task TheCommandLine_TakesTheDisplayNameAsTheApiNamesIt()
    {
        using var admin = service.ClientAs(Roles.Admin);
        Environment.SetEnvironmentVariable("OPS_TEST_NEW_PASSWORD", "a long enough password");
        Dictionary<string, string> Options(string username, string nameOption) =>
            new() { ["username"] = username, [nameOption] = "王伟", ["role"] = "engineer", ["password-env"] = "OPS_TEST_NEW_PASSWORD" };

        try
        {
            Assert.That(await UserCommands.CreateUser(service.Services, Options("wang.wei", "display-name"), TextWriter.Null), Is.Zero);
            await Assert.ThatAsync(() => UserCommands.CreateUser(service.Services, Options("li.na", "name"), TextWriter.Null),
                Throws.ArgumentException.With.Message.Contains("--display-name"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("OPS_TEST_NEW_PASSWORD", null);
        }

        var user = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users/wang.wei");
        Assert.That(user.GetProperty("displayName").GetString(), Is.EqualTo("王伟"));
        Assert.That((await admin.GetAsync("/api/admin/users/li.na")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
