using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Every query parameter and route value of the tickets service, attacked: a 400 problem naming it, never a 5xx, nothing changed.</summary>
public class BadQueryTests : ServiceTests<Program>
{
    [Test]
    public async Task EveryQueryParameterAndRouteValue_RefusesBadValues_WithAProblemNamingIt_AndChangesNothing()
    {
        var created = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        var ticket = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var before = await StoredState.FingerprintAsync(Database);
        using var admin = Service.ClientAs(Roles.Admin);

        var violations = await BadQueries.ViolationsAsync(Service.Services, path => path.StartsWith("/api/admin", StringComparison.Ordinal) ? admin : Client, ticket);

        Assert.That(violations, Is.Empty, string.Join("\n", violations.Take(20)));
        var targets = BadQueries.Targets(Service.Services);
        Assert.That(targets.Where(t => !t.InPath).Select(t => t.Parameter.ToLowerInvariant()).Distinct(),
            Is.SupersetOf(new[] { "status", "sitecode", "severity", "kind", "from", "to", "limit", "offset" }));
        Assert.That(targets.Count(t => t.InPath), Is.GreaterThanOrEqualTo(10));
        Assert.That(BadQueries.DescribedEndpoints(Service.Services), Is.SupersetOf(MappedApiEndpoints()), "every endpoint is described, so none escapes");
        Assert.That(await StoredState.FingerprintAsync(Database), Is.EqualTo(before));
    }

    [Test]
    public async Task AQueryParameterGivenTwice_Is400_SayingSo_EvenWhenEachValueIsValid()
    {
        var twice = await Client.GetAsync("/api/tickets?siteCode=OTQ&siteCode=OTQ");

        await Problems.AssertAsync(twice, HttpStatusCode.BadRequest, "siteCode");
        Assert.That(await Problems.MessageAsync(twice, "siteCode"), Is.EqualTo("“siteCode”给了 2 次，只能给一次。"));
    }

    [Test]
    public async Task AProblem_IsInChinese_AndInEnglishForACallerWhoAsks_WithTheSameFieldNames()
    {
        var chinese = await Client.GetAsync("/api/tickets?limit=0");
        var english = await Problems.GetInEnglishAsync(Client, "/api/tickets?limit=0");

        await Problems.AssertAsync(chinese, HttpStatusCode.BadRequest, "limit");
        await Problems.AssertAsync(english, HttpStatusCode.BadRequest, "limit");
        Assert.That(await Problems.MessageAsync(chinese, "limit"), Is.EqualTo("“limit”须为 1 至 200 之间的整数。"));
        Assert.That(await Problems.MessageAsync(english, "limit"), Is.EqualTo("'limit' must be a whole number from 1 to 200."));
        Assert.That((await Problems.TextAsync(chinese)).Title, Is.EqualTo("请求有误，请按各字段的说明更正。"));
        Assert.That((await Problems.TextAsync(english)).Title, Is.EqualTo("One or more validation errors occurred."));
    }

    [Test]
    public async Task TheFrameworksOwnProblems_AreInChinese_AndInEnglishForACallerWhoAsks()
    {
        using var anonymous = Service.ClientAs(null);

        var chinese = await anonymous.GetAsync("/api/tickets");
        var english = await Problems.GetInEnglishAsync(anonymous, "/api/tickets");

        await Problems.AssertAsync(chinese, HttpStatusCode.Unauthorized);
        Assert.That((await Problems.TextAsync(chinese)).Title, Is.EqualTo("未登录：请提供有效的令牌或 API 密钥。"));
        Assert.That((await Problems.TextAsync(english)).Title, Is.EqualTo("Unauthorized"));
    }

    [TestCase("/api/tickets?from=1900-01-01T00:00:00%2B08:00", "from")]
    [TestCase("/api/tickets?to=0001-01-01T00:00:00%2B00:00", "to")]
    [TestCase("/api/tickets?from=2100-01-02T00:00:00%2B08:00", "from")]
    [TestCase("/api/tickets?status=open&status=resolved", "status")]
    [TestCase("/api/tickets?limit=10&limit=20", "limit")]
    [TestCase("/api/tickets?limit=", "limit")]
    [TestCase("/api/tickets/F2026'%20OR%201=1%20--", "id")]
    public async Task AQueryValueOrRouteValueOutOfRange_Is400_NamingIt(string path, string field)
    {
        await Problems.AssertAsync(await Client.GetAsync(path), HttpStatusCode.BadRequest, field);
    }

    private IEnumerable<string> MappedApiEndpoints() =>
        AccessMatrix.MappedEndpoints(Service.Services).Where(e => e.Contains(" /api/", StringComparison.Ordinal));
}
