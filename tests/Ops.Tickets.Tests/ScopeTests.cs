using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// Users, keys and tokens limited to contracts and sites: two contracts side by side (the seed's OTQ-2026-OPS with
/// its sites OTQ and SHM, and HQ-2027-OPS with its site HQ); what lies outside a caller's scope is not there for it.
/// </summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class ScopeTests(TestStore store) : ServiceTests<Program>(store)
{
    private const string Otq = "OTQ-2026-OPS";
    private const string Hq = "HQ-2027-OPS";

    protected override void Configure(ServiceFactory<Program> service)
    {
        SecondContract.AddTo(service);
    }

    private async Task<JsonElement> ReportAsync(string siteCode, HttpClient? client = null)
    {
        var report = siteCode == "HQ" ? Reports.Valid() with { SiteCode = "HQ", System = "机房动环监控" } : Reports.Valid() with { SiteCode = siteCode };
        var response = await (client ?? Client).PostAsJsonAsync("/api/tickets", report);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string[]> ListedNumbersAsync(HttpClient client)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/tickets");
        var numbers = page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetString()!).ToArray();
        Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(numbers.Length), "the total counts only what the caller sees");
        return numbers;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Test]
    public async Task AnEngineerOfOneContract_NeitherSeesNorActsOnTheOthersTickets_404LikeAnUnknownTicket()
    {
        var otq = await ReportAsync("OTQ");
        var hq = await ReportAsync("HQ");
        using var engineer = Service.ClientAs(Roles.Engineer, Scope.Of([Hq]));
        var otqNumber = otq.GetProperty("number").GetString()!;

        var read = await engineer.GetAsync($"/api/tickets/{otq.GetProperty("id")}");
        var readByNumber = await engineer.GetAsync($"/api/tickets/{otqNumber}");
        var acknowledge = await engineer.PostAsync($"/api/tickets/{otqNumber}/acknowledge", null);
        var resolve = await engineer.PostAsJsonAsync($"/api/tickets/{otqNumber}/resolve", new { resolution = "已处理" });
        var pause = await engineer.PostAsJsonAsync($"/api/tickets/{otqNumber}/pause", new { reason = "等待用户提供材料" });
        var unknown = await engineer.GetAsync("/api/tickets/F20990101-0001");

        var expected = (await ProblemAsync(unknown)).GetProperty("title").GetString();
        foreach (var response in new[] { read, readByNumber, acknowledge, resolve, pause })
        {
            Assert.That((await ProblemAsync(response)).GetProperty("title").GetString(), Is.EqualTo(expected));
        }

        Assert.That(await ListedNumbersAsync(engineer), Is.EqualTo(new[] { hq.GetProperty("number").GetString() }));
        Assert.That((await engineer.PostAsync($"/api/tickets/{hq.GetProperty("number")}/acknowledge", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var stored = await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{otqNumber}");
        Assert.That(stored.GetProperty("status").GetString(), Is.EqualTo("open"), "the other contract's ticket is unchanged");
    }

    [Test]
    public async Task AnEngineerOfOneSite_SeesOnlyThatSitesTickets()
    {
        var otq = await ReportAsync("OTQ");
        var shm = await ReportAsync("SHM");
        await ReportAsync("HQ");
        using var engineer = Service.ClientAs(Roles.Engineer, Scope.Of([Otq], ["SHM"]));

        Assert.That(await ListedNumbersAsync(engineer), Is.EqualTo(new[] { shm.GetProperty("number").GetString() }));
        Assert.That((await engineer.GetAsync($"/api/tickets/{otq.GetProperty("id")}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await engineer.GetAsync("/api/tickets?siteCode=OTQ")).Content.ReadFromJsonAsync<JsonElement>().Result.GetProperty("total").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task AnAdminLimitedToOneContract_AdministersNothing_SinceUsersAndKeysBelongToTheWholeDeployment()
    {
        using var admin = Service.ClientAs(Roles.Admin, Scope.Of([Hq]));

        var key = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "HQ hotline", role = "intake" });
        var user = await admin.PostAsJsonAsync("/api/admin/users", new { username = "wang.all", displayName = "王工", role = "manager", password = "correct horse battery" });
        var users = await admin.GetAsync("/api/admin/users");

        Assert.That((key.StatusCode, user.StatusCode, users.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)));
        using var whole = Service.ClientAs(Roles.Admin);
        Assert.That((await whole.GetFromJsonAsync<JsonElement>("/api/admin/keys")).EnumerateArray().Count(), Is.Zero, "no key was issued");
    }

    [Test]
    public async Task AGatewayKeyOfOneSite_CannotFileForAnother_AndLearnsNothingOfIt()
    {
        using var admin = Service.ClientAs(Roles.Admin);
        var issued = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "OTQ hotline", role = "intake", sites = new[] { "otq" } });
        Assert.That(issued.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var key = await issued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(key.GetProperty("contracts").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { Otq }), "the contract of the site");
        Assert.That(key.GetProperty("sites").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "OTQ" }), "written as contracts.json spells it");
        using var gateway = Service.CreateClient().WithApiKey(key.GetProperty("key").GetString()!);

        await ReportAsync("OTQ", gateway);
        var shm = await gateway.PostAsJsonAsync("/api/tickets", Reports.Valid() with { SiteCode = "SHM" });
        var hq = await gateway.PostAsJsonAsync("/api/tickets", Reports.Valid() with { SiteCode = "HQ", System = "机房动环监控" });
        var nowhere = await gateway.PostAsJsonAsync("/api/tickets", Reports.Valid() with { SiteCode = "XYZ" });

        await Problems.AssertAsync(hq, HttpStatusCode.BadRequest, "siteCode");
        Assert.That(shm.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var shmError = JsonDocument.Parse(await shm.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("siteCode")[0].GetString();
        var nowhereError = JsonDocument.Parse(await nowhere.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("siteCode")[0].GetString();
        Assert.That(shmError, Is.EqualTo(nowhereError), "a site outside the scope is answered as an unknown one");
        Assert.That(shmError, Does.Not.Contain("SHM").And.Not.Contain("HQ"));
        Assert.That((await Client.GetFromJsonAsync<JsonElement>("/api/tickets")).GetProperty("total").GetInt64(), Is.EqualTo(1), "nothing was filed outside");
    }

    [Test]
    public async Task AUserCreatedWithAScope_SignsInToATokenOfThatScope_AndAnUnlimitedUserSeesBoth()
    {
        await ReportAsync("OTQ");
        var hq = await ReportAsync("HQ");
        using var admin = Service.ClientAs(Roles.Admin);
        var scoped = await admin.PostAsJsonAsync("/api/admin/users", new { username = "li.hq", displayName = "李工", role = "engineer", password = "correct horse battery", contracts = new[] { Hq } });
        var whole = await admin.PostAsJsonAsync("/api/admin/users", new { username = "zhao.all", displayName = "赵经理", role = "manager", password = "correct horse battery" });
        Assert.That(scoped.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await scoped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contracts")[0].GetString(), Is.EqualTo(Hq));
        Assert.That((await whole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contracts").ValueKind, Is.EqualTo(JsonValueKind.Null), "every contract");

        using var li = await SignedInAsync("li.hq");
        using var zhao = await SignedInAsync("zhao.all");

        Assert.That(await ListedNumbersAsync(li), Is.EqualTo(new[] { hq.GetProperty("number").GetString() }));
        Assert.That(await ListedNumbersAsync(zhao), Has.Length.EqualTo(2));
    }

    private async Task<HttpClient> SignedInAsync(string username)
    {
        // The service issues the token at its own (fake) time; its lifetime is checked against the real clock.
        Service.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var signIn = await Service.ClientAs(null).PostAsJsonAsync("/api/auth/token", new { username, password = "correct horse battery" });
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var client = Service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return client;
    }

    [Test]
    public async Task AScopeOfUnknownContractsOrSites_Is400NamingTheField_AndCreatesNothing()
    {
        using var admin = Service.ClientAs(Roles.Admin);

        var contract = await admin.PostAsJsonAsync("/api/admin/users", new { username = "x.one", displayName = "x", role = "engineer", password = "correct horse battery", contracts = new[] { "NOPE-2026" } });
        var site = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "gateway", role = "intake", sites = new[] { "XYZ" } });
        var siteOfAnother = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "gateway", role = "intake", contracts = new[] { Hq }, sites = new[] { "OTQ" } });
        var contractWithoutSite = await admin.PostAsJsonAsync("/api/admin/keys", new { name = "gateway", role = "intake", contracts = new[] { Hq, Otq }, sites = new[] { "OTQ" } });

        await Problems.AssertAsync(contract, HttpStatusCode.BadRequest, "contracts");
        await Problems.AssertAsync(site, HttpStatusCode.BadRequest, "sites");
        await Problems.AssertAsync(siteOfAnother, HttpStatusCode.BadRequest, "sites");
        await Problems.AssertAsync(contractWithoutSite, HttpStatusCode.BadRequest, "sites");
        Assert.That((await admin.GetFromJsonAsync<JsonElement>("/api/admin/users")).GetArrayLength(), Is.Zero);
        Assert.That((await admin.GetFromJsonAsync<JsonElement>("/api/admin/keys")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task ATokenWithoutTheContractClaim_IsRefused()
    {
        using var unscoped = Service.CreateClient();
        unscoped.DefaultRequestHeaders.Authorization = new("Bearer", SsoToken(new Dictionary<string, object>()));

        Assert.That((await unscoped.GetAsync("/api/tickets")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ATokenCannotBringTheServicesOwnScopeClaim()
    {
        await ReportAsync("OTQ");
        using var forged = Service.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", SsoToken(new Dictionary<string, object> { ["ops_contracts"] = Hq, [Scope.ContractClaim] = "*" }));

        Assert.That(await ListedNumbersAsync(forged), Is.Empty);
    }

    /// <summary>A token as a single sign-on would issue it: signed with the test key, with the claims given.</summary>
    internal static string SsoToken(Dictionary<string, object> claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "ops-sla",
        Audience = "ops-sla",
        Expires = DateTime.UtcNow.AddHours(1),
        Subject = new ClaimsIdentity([new Claim("sub", "sso:li"), new Claim("name", "李工"), new Claim("role", Roles.Engineer)]),
        Claims = claims,
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(TestSecrets.SigningKey)), SecurityAlgorithms.HmacSha256),
    });
}

/// <summary>A single sign-on that carries the scope in claims of its own naming.</summary>
public class SsoScopeClaimTests : ServiceTests<Program>
{
    protected override void Configure(ServiceFactory<Program> service)
    {
        SecondContract.AddTo(service);
        service.Settings["Auth:ContractClaim"] = "tenants";
        service.Settings["Auth:SiteClaim"] = "offices";
    }

    [Test]
    public async Task TheScope_IsReadFromTheConfiguredClaims()
    {
        using var everything = Service.CreateClient();
        everything.DefaultRequestHeaders.Authorization = new("Bearer", ScopeTests.SsoToken(new() { ["tenants"] = "*" }));
        foreach (var report in new[] { Reports.Valid() with { SiteCode = "SHM" }, Reports.Valid(), Reports.Valid() with { SiteCode = "HQ", System = "机房动环监控" } })
        {
            Assert.That((await everything.PostAsJsonAsync("/api/tickets", report)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using var shm = Service.CreateClient();
        shm.DefaultRequestHeaders.Authorization = new("Bearer", ScopeTests.SsoToken(new() { ["tenants"] = "OTQ-2026-OPS", ["offices"] = "SHM" }));
        using var both = Service.CreateClient();
        both.DefaultRequestHeaders.Authorization = new("Bearer", ScopeTests.SsoToken(new() { ["tenants"] = new[] { "OTQ-2026-OPS", "HQ-2027-OPS" } }));
        using var defaultName = Service.CreateClient();
        defaultName.DefaultRequestHeaders.Authorization = new("Bearer", ScopeTests.SsoToken(new() { ["ops_contracts"] = "*" }));

        var shmPage = await shm.GetFromJsonAsync<JsonElement>("/api/tickets");
        var bothPage = await both.GetFromJsonAsync<JsonElement>("/api/tickets");

        Assert.That(shmPage.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("siteCode").GetString()), Is.EqualTo(new[] { "SHM" }));
        Assert.That(bothPage.GetProperty("total").GetInt64(), Is.EqualTo(3));
        Assert.That((await defaultName.GetAsync("/api/tickets")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the default claim's name means nothing here");
    }
}

/// <summary>A single sign-on that sends no scope at all, where the deployment allows it.</summary>
public class UnscopedTokensTests : ServiceTests<Program>
{
    protected override void Configure(ServiceFactory<Program> service) => service.Settings["Auth:UnscopedTokensAreUnlimited"] = "true";

    [Test]
    public async Task ATokenWithoutTheContractClaim_SeesEveryContract_WhenConfiguredSo()
    {
        await Client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        using var unscoped = Service.CreateClient();
        unscoped.DefaultRequestHeaders.Authorization = new("Bearer", ScopeTests.SsoToken([]));

        Assert.That((await unscoped.GetFromJsonAsync<JsonElement>("/api/tickets")).GetProperty("total").GetInt64(), Is.EqualTo(1));
    }
}

/// <summary>The scope claims' settings are checked at start.</summary>
public class ScopeClaimSettingsTests
{
    [TestCase("ops_sites")]
    [TestCase("role")]
    [TestCase("sub")]
    public async Task AContractClaimThatIsAnotherClaim_StopsTheServiceAtStart(string claim)
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings["Auth:ContractClaim"] = claim;

        Assert.That(service.RefusedSettings(), Has.One.Contains("Auth:ContractClaim"));
    }
}
