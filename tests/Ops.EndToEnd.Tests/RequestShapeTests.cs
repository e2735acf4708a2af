using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Testing;
using static Ops.EndToEnd.Tests.Pipeline;

namespace Ops.EndToEnd.Tests;

/// <summary>Over real Kestrel (not the test server): a missing body names the required fields, a bad query value names itself.</summary>
public class RequestShapeTests
{
    [Test]
    public async Task OverKestrel_AMissingBody_NamesTheRequiredField_AndABadQueryValueIsA400()
    {
        var (id, _) = await ReportAsync("general", null);

        var resolve = await SystemUnderTest.Tickets.Http.PostAsync($"api/tickets/{id}/resolve", null);
        var dueWithin = await SystemUnderTest.SlaTimer.Http.GetAsync("api/clocks?dueWithin=P99999999D");
        var from = await SystemUnderTest.Scoring.Http.GetAsync("api/dashboard/sla?from=0001-01-01T00:00:00%2B00:00");

        await Problems.AssertAsync(resolve, HttpStatusCode.BadRequest, "resolution");
        Assert.That(await Problems.MessageAsync(resolve, "resolution"), Is.EqualTo("“resolution”为必填项。"));
        await Problems.AssertAsync(dueWithin, HttpStatusCode.BadRequest, "dueWithin");
        await Problems.AssertAsync(from, HttpStatusCode.BadRequest, "from");
        var ticket = await SystemUnderTest.Tickets.Http.GetFromJsonAsync<JsonElement>($"api/tickets/{id}");
        Assert.That(ticket.GetProperty("status").GetString(), Is.EqualTo("open"));
    }
}
