using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>Every query parameter of the scoring service, attacked: a 400 problem naming it, never a 5xx, nothing changed.</summary>
public class BadQueryTests : ServiceTests<Program>
{
    [Test]
    public async Task EveryQueryParameterAndRouteValue_RefusesBadValues_WithAProblemNamingIt_AndChangesNothing()
    {
        var before = await StoredState.FingerprintAsync(Database);

        var violations = await BadQueries.ViolationsAsync(Service.Services, _ => Client);

        Assert.That(violations, Is.Empty, string.Join("\n", violations.Take(20)));
        Assert.That(BadQueries.Targets(Service.Services).Select(t => t.Parameter.ToLowerInvariant()).Distinct(),
            Is.SupersetOf(new[] { "contract", "evidence", "from", "to", "sitecode", "system", "severity" }));
        Assert.That(BadQueries.DescribedEndpoints(Service.Services),
            Is.SupersetOf(AccessMatrix.MappedEndpoints(Service.Services).Where(e => e.Contains(" /api/", StringComparison.Ordinal))), "every endpoint is described, so none escapes");
        Assert.That(await StoredState.FingerprintAsync(Database), Is.EqualTo(before));
    }

    [TestCase("/api/dashboard/sla?from=0001-01-01T00:00:00%2B00:00", "from")]
    [TestCase("/api/dashboard/sla?from=1900-01-01T00:00:00%2B08:00", "from")]
    [TestCase("/api/dashboard/sla?to=9999-12-31T23:59:59.9999999%2B00:00", "to")]
    [TestCase("/api/dashboard/sla?from=2026-03-01T00:00:00%2B08:00&from=2026-04-01T00:00:00%2B08:00", "from")]
    [TestCase("/api/dashboard/sla?siteCode=", "siteCode")]
    [TestCase("/api/dashboard/sla?siteCode=%E4%B8%8A%E6%B5%B7%20OTQ", "siteCode")]
    [TestCase("/api/assessment?evidence=99999999999", "evidence")]
    [TestCase("/api/assessment?contract=OTQ-2026-OPS&contract=OTQ-2026-OPS", "contract")]
    public async Task AQueryValueOutOfRange_Is400_NamingIt(string path, string field)
    {
        await Problems.AssertAsync(await Client.GetAsync(path), HttpStatusCode.BadRequest, field);
    }

    [Test]
    public async Task ADashboardPeriodWithoutTo_EndsWithTheServiceYear_AndSaysSo()
    {
        var dashboard = await Client.GetFromJsonAsync<JsonElement>("/api/dashboard/sla?from=2026-03-01T00:00:00%2B08:00");
        var late = await Client.GetAsync("/api/dashboard/sla?from=2027-06-01T00:00:00%2B08:00");

        Assert.That(dashboard.GetProperty("from").GetString(), Is.EqualTo("2026-03-01T00:00:00+08:00"));
        Assert.That(dashboard.GetProperty("to").GetString(), Is.EqualTo("2027-02-28T00:00:00+08:00"));
        await Problems.AssertAsync(late, HttpStatusCode.BadRequest, "from");
        Assert.That(await Problems.MessageAsync(late, "from"), Does.Contain("服务期的结束时间 2027-02-28T00:00:00+08:00"));
    }

    [Test]
    public async Task AProblem_IsInChinese_AndInEnglishForACallerWhoAsks_WithTheSameFieldNames()
    {
        var chinese = await Client.GetAsync("/api/dashboard/sla?from=2026-03-01");
        var english = await Problems.GetInEnglishAsync(Client, "/api/dashboard/sla?from=2026-03-01");

        await Problems.AssertAsync(chinese, HttpStatusCode.BadRequest, "from");
        await Problems.AssertAsync(english, HttpStatusCode.BadRequest, "from");
        Assert.That(await Problems.MessageAsync(chinese, "from"), Is.EqualTo("“from”须为带时区偏移的 ISO 8601 时间，如 2026-11-24T00:00:00+08:00。"));
        Assert.That(await Problems.MessageAsync(english, "from"), Is.EqualTo("'from' must be an ISO 8601 time with an offset, e.g. 2026-11-24T00:00:00+08:00."));
    }
}
