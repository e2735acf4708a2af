using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ops.Contracts.Security;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Who a caller is: disabled users refused at once, evidence that names one identity, usernames without case, failures in the log.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class IdentityTests(TestStore store) : ServiceTests<Program>(store)
{
    private const string Password = "correct horse battery";

    protected override void Configure(ServiceFactory<Program> service) =>
        service.Time.SetUtcNow(DateTimeOffset.UtcNow); // token lifetimes are checked against the real clock

    private HttpClient Admin => Service.ClientAs(Roles.Admin);

    private async Task<HttpResponseMessage> CreateUserAsync(string username, string displayName, string role) =>
        await Admin.PostAsJsonAsync("/api/admin/users", new { username, displayName, role, password = Password });

    private async Task<HttpClient> SignedInAsync(string username)
    {
        var answer = await Service.ClientAs(null).PostAsJsonAsync("/api/auth/token", new { username, password = Password });
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), await answer.Content.ReadAsStringAsync());
        var client = Service.CreateClient().Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return client;
    }

    private async Task<Guid> ReportAsync()
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private IEnumerable<string> Warnings => Service.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal));

    [Test]
    public async Task ADisabledUsersToken_IsRefusedAtOnce_TheRefusalIsLogged_AndEveryServiceIsTold()
    {
        await CreateUserAsync("wang.wei", "王伟", Roles.Engineer);
        using var wang = await SignedInAsync("wang.wei");
        var before = await wang.GetAsync("/api/tickets");
        Service.Time.Advance(TimeSpan.FromSeconds(1));

        var disabled = await Admin.DeleteAsync("/api/admin/users/wang.wei");
        var after = await wang.GetAsync("/api/tickets");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        // The outbox publishes it for the other services.
        Assert.That((await Service.PublishedAsync<UserDisabled>()).Select(m => m.Subject), Has.Some.EqualTo("user:wang.wei"));
        Assert.That(Warnings, Has.Some.Contains("Bearer token refused from").And.Contains("user:wang.wei was disabled"));
        Assert.That(Service.Logs.Lines, Has.None.Contains(wang.DefaultRequestHeaders.Authorization!.Parameter!));
    }

    [Test]
    public async Task AUserDisabledInAnotherService_IsRefusedHere_OnceItsEventArrives()
    {
        using var engineer = Service.ClientAs(Roles.Engineer);
        Assert.That((await engineer.GetAsync("/api/tickets")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await Service.Harness.Bus.Publish(new UserDisabled("test:engineer", DateTimeOffset.UtcNow.AddSeconds(1)));

        await EventuallyAsync(async () => (await engineer.GetAsync("/api/tickets")).StatusCode == HttpStatusCode.Unauthorized);
        Assert.That((await Client.GetAsync("/api/tickets")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the manager was not disabled");
    }

    [Test]
    public async Task ATokenThatExpiredHalfAMinuteAgo_IsRefused()
    {
        var now = DateTime.UtcNow;
        var expired = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "ops-sla",
            Audience = "ops-sla",
            IssuedAt = now.AddHours(-1),
            NotBefore = now.AddHours(-1),
            Expires = now.AddSeconds(-30),
            Claims = new Dictionary<string, object> { ["sub"] = "test:manager", ["name"] = "test manager", ["role"] = Roles.Manager },
            SigningCredentials = new(new SymmetricSecurityKey(Convert.FromBase64String(TestSecrets.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
        using var late = Service.ClientAs(null);
        late.DefaultRequestHeaders.Authorization = new("Bearer", expired);

        var answer = await late.GetAsync("/api/tickets");

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Warnings, Has.Some.Contains("Bearer token refused from").And.Contains("SecurityTokenExpiredException"));
        Assert.That(Service.Logs.Lines, Has.None.Contains(expired));
    }

    [Test]
    public async Task ABadBearerToken_AndAFailedSignIn_AreLoggedWithTheAddressAndReason_ButNeverTheSecret()
    {
        await CreateUserAsync("wang.wei", "王伟", Roles.Engineer);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "ops-sla",
            Audience = "ops-sla",
            Claims = new Dictionary<string, object> { ["sub"] = "x", ["name"] = "x", ["role"] = Roles.Manager },
            SigningCredentials = new(new SymmetricSecurityKey(new byte[32]), SecurityAlgorithms.HmacSha256),
        });
        using var forger = Service.ClientAs(null);
        forger.DefaultRequestHeaders.Authorization = new("Bearer", forged);
        using var garbler = Service.ClientAs(null);
        garbler.DefaultRequestHeaders.Authorization = new("Bearer", "garbled-secret-token");

        var forgedAnswer = await forger.GetAsync("/api/tickets");
        var garbledAnswer = await garbler.GetAsync("/api/tickets");
        var signIn = await Service.ClientAs(null).PostAsJsonAsync("/api/auth/token", new { username = "wang.wei", password = "incorrect horse battery" });
        var unknown = await Service.ClientAs(null).PostAsJsonAsync("/api/auth/token", new { username = "nobody.here", password = "any old password" });

        Assert.That(new[] { forgedAnswer.StatusCode, garbledAnswer.StatusCode, signIn.StatusCode, unknown.StatusCode }, Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Warnings.Count(l => l.Contains("Bearer token refused from", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(Warnings, Has.Some.Contains("Sign-in of wang.wei refused from").And.Contains("wrong password"));
        Assert.That(Warnings, Has.Some.Contains("Sign-in of nobody.here refused from").And.Contains("unknown user"));
        Assert.That(Service.Logs.Lines, Has.None.Contains(forged).And.None.Contains("garbled-secret").And.None.Contains("horse battery").And.None.Contains("old password"));
    }

    [Test]
    public async Task TwoPeopleWithTheSameDisplayName_AreRecordedAsTwoIdentities()
    {
        await CreateUserAsync("impostor", "test manager", Roles.Manager);
        using var impostor = await SignedInAsync("impostor");
        var first = await ReportAsync();
        var second = await ReportAsync();

        var byImpostor = await (await impostor.PostAsync($"/api/tickets/{first}/acknowledge", null)).Content.ReadFromJsonAsync<JsonElement>();
        var byManager = await (await Client.PostAsync($"/api/tickets/{second}/acknowledge", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(byImpostor.GetProperty("acknowledgedBy").GetString(), Is.EqualTo(byManager.GetProperty("acknowledgedBy").GetString()), "the same display name");
        Assert.That(byImpostor.GetProperty("acknowledgedById").GetString(), Is.EqualTo("user:impostor"));
        Assert.That(byManager.GetProperty("acknowledgedById").GetString(), Is.EqualTo("test:manager"));
        var timeline = byImpostor.GetProperty("timeline");
        Assert.That(timeline[1].GetProperty("actorId").GetString(), Is.EqualTo("user:impostor"));
        Assert.That(byManager.GetProperty("timeline")[1].GetProperty("actorId").GetString(), Is.EqualTo("test:manager"));
        Assert.That(timeline[0].GetProperty("actorId").GetString(), Is.EqualTo("test:manager"), "who reported it");
    }

    [Test]
    public async Task Usernames_AreUniqueRegardlessOfCase_AndSignInIgnoresCase()
    {
        var zhang = await CreateUserAsync("zhang", "张科长", Roles.Manager);
        var upper = await CreateUserAsync("ZHANG", "另一个张", Roles.Admin);

        using var signedIn = await SignedInAsync("Zhang");
        var found = await Admin.GetFromJsonAsync<JsonElement>("/api/admin/users/ZHANG");
        var ticket = await ReportAsync();
        var acknowledged = await (await signedIn.PostAsync($"/api/tickets/{ticket}/acknowledge", null)).Content.ReadFromJsonAsync<JsonElement>();
        var disabled = await Admin.DeleteAsync("/api/admin/users/ZHANG");

        Assert.That(zhang.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(upper.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(found.GetProperty("username").GetString(), Is.EqualTo("zhang"));
        Assert.That(acknowledged.GetProperty("acknowledgedById").GetString(), Is.EqualTo("user:zhang"));
        Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await signedIn.GetAsync("/api/tickets")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task TheLocationOfANewKeyAndUser_LeadsToThem_WithoutTheSecret()
    {
        using var admin = Admin;
        var keyCreated = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "hotline gateway", role = Roles.Intake });
        var userCreated = await CreateUserAsync("li.na", "李娜", Roles.Auditor);
        var issued = await keyCreated.Content.ReadFromJsonAsync<JsonElement>();

        var key = await admin.GetAsync(keyCreated.Headers.Location);
        var user = await admin.GetAsync(userCreated.Headers.Location);
        var unknownKey = await admin.GetAsync($"/api/admin/keys/{Guid.NewGuid()}");
        var unknownUser = await admin.GetAsync("/api/admin/users/nobody");

        Assert.That(key.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var keyView = await key.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(keyView.GetProperty("keyId").GetGuid(), Is.EqualTo(issued.GetProperty("keyId").GetGuid()));
        Assert.That(keyView.GetProperty("name").GetString(), Is.EqualTo("hotline gateway"));
        Assert.That(await key.Content.ReadAsStringAsync(), Does.Not.Contain(issued.GetProperty("key").GetString()!).And.Not.Contain("keyHash"));
        Assert.That(user.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await user.Content.ReadAsStringAsync(), Is.EqualTo(await userCreated.Content.ReadAsStringAsync()));
        Assert.That(await user.Content.ReadAsStringAsync(), Does.Not.Contain("password").IgnoreCase);
        Assert.That(new[] { unknownKey.StatusCode, unknownUser.StatusCode }, Is.All.EqualTo(HttpStatusCode.NotFound));
    }
}
