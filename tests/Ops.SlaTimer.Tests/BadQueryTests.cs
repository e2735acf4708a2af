using System.Net;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>Every query parameter and route value of the sla-timer, attacked: a 400 problem naming it, never a 5xx, nothing changed.</summary>
public class BadQueryTests : ServiceTests<Program>
{
    [Test]
    public async Task EveryQueryParameterAndRouteValue_RefusesBadValues_WithAProblemNamingIt_AndChangesNothing()
    {
        var before = await StoredState.FingerprintAsync(Database);

        var violations = await BadQueries.ViolationsAsync(Service.Services, _ => Client);

        Assert.That(violations, Is.Empty, string.Join("\n", violations.Take(20)));
        var targets = BadQueries.Targets(Service.Services);
        Assert.That(targets.Select(t => t.Parameter.ToLowerInvariant()).Distinct(), Is.SupersetOf(new[] { "id", "state", "duewithin", "status", "limit", "offset" }));
        Assert.That(BadQueries.DescribedEndpoints(Service.Services),
            Is.SupersetOf(AccessMatrix.MappedEndpoints(Service.Services).Where(e => e.Contains(" /api/", StringComparison.Ordinal))), "every endpoint is described, so none escapes");
        Assert.That(await StoredState.FingerprintAsync(Database), Is.EqualTo(before));
    }

    [TestCase("/api/clocks?dueWithin=P99999999D", "dueWithin")]
    [TestCase("/api/clocks?dueWithin=PT99999999999H", "dueWithin")]
    [TestCase("/api/clocks?dueWithin=P367D", "dueWithin")]
    [TestCase("/api/clocks?dueWithin=-PT1M", "dueWithin")]
    [TestCase("/api/clocks?state=running&state=met", "state")]
    [TestCase("/api/clocks?offset=-1", "offset")]
    [TestCase("/api/notifications?limit=2147483648", "limit")]
    [TestCase("/api/tickets/'%20OR%201=1%20--/clocks", "id")]
    public async Task AQueryValueOutOfRange_Is400_NamingIt(string path, string field)
    {
        await Problems.AssertAsync(await Client.GetAsync(path), HttpStatusCode.BadRequest, field);
    }

    [Test]
    public async Task AProblem_IsInChinese_AndInEnglishForACallerWhoAsks_WithTheSameFieldNames()
    {
        var chinese = await Client.GetAsync("/api/clocks?dueWithin=P367D");
        var english = await Problems.GetInEnglishAsync(Client, "/api/clocks?dueWithin=P367D");

        await Problems.AssertAsync(chinese, HttpStatusCode.BadRequest, "dueWithin");
        await Problems.AssertAsync(english, HttpStatusCode.BadRequest, "dueWithin");
        Assert.That(await Problems.MessageAsync(chinese, "dueWithin"), Is.EqualTo("“dueWithin”须在 PT0S 至 P366D（366天）之间。"));
        Assert.That(await Problems.MessageAsync(english, "dueWithin"), Is.EqualTo("'dueWithin' must be from PT0S to P366D (366 days)."));
    }
}
