using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// What the tickets API keeps and finds again, on every store: numbers, idempotency keys, the lifecycle, the
/// list's filters and paging. (The rest of the API, which the store does not change, is in <see cref="TicketsApiTests"/>.)
/// </summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class TicketsApiStoreTests(TestStore store) : ServiceTests<Program>(store)
{
    private Task<HttpResponseMessage> Report(object body, string? key = null) => Report(Client, body, key);

    private static Task<HttpResponseMessage> Report(HttpClient caller, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return caller.SendAsync(request);
    }

    /// <summary>A client that reports with a new intake API key named <paramref name="name"/>.</summary>
    private async Task<HttpClient> GatewayAsync(string name)
    {
        using var admin = Service.ClientAs(Roles.Admin);
        var issued = await (await admin.PostAsJsonAsync("/api/admin/keys", new { name, role = Roles.Intake })).Content.ReadFromJsonAsync<JsonElement>();
        return Service.CreateClient().WithApiKey(issued.GetProperty("key").GetString()!);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<long> TicketCount() =>
        (await Client.GetFromJsonAsync<JsonElement>("/api/tickets")).GetProperty("total").GetInt64();

    [Test]
    public async Task Report_NumbersTicketsOfADayInOrder()
    {
        await Report(Reports.Valid());
        var second = await Json(await Report(Reports.Valid()));

        Assert.That(second.GetProperty("number").GetString(), Is.EqualTo("F20261124-0002"));
    }

    [Test]
    public async Task SameIdempotencyKey_SameBody_ReturnsTheSameTicket_AndStoresOne()
    {
        var first = await Report(Reports.Valid(), key: "call-42");
        var retry = await Report(Reports.Valid(), key: "call-42");

        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That((await Json(retry)).GetProperty("id").GetGuid(), Is.EqualTo((await Json(first)).GetProperty("id").GetGuid()));
        Assert.That(await TicketCount(), Is.EqualTo(1));
        Assert.That((await Database.MessagesAsync<TicketReported>()).Count, Is.EqualTo(1), "one ticket, one event");
    }

    [Test]
    public async Task SameIdempotencyKey_DifferentBody_IsRefusedWith422_AndStoresNothing()
    {
        await Report(Reports.Valid(), key: "call-43");

        var other = await Report(Reports.Valid() with { Title = "另一个故障" }, key: "call-43");

        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(other.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await TicketCount(), Is.EqualTo(1));
    }

    [Test]
    public async Task AnotherCallersIdempotencyKey_IsANewKey_AndRevealsNothingOfTheFirstTicket()
    {
        using var hotline = await GatewayAsync("hotline gateway");
        using var wechat = await GatewayAsync("wechat gateway");
        var first = await Json(await Report(hotline, Reports.Valid(), key: "call-45"));

        var replay = await Report(hotline, Reports.Valid(), key: "call-45");
        var sameBody = await Report(wechat, Reports.Valid(), key: "call-45");
        var otherBody = await Report(Client, Reports.Valid() with { Title = "另一个故障" }, key: "call-45");
        var wechatReplay = await Report(wechat, Reports.Valid(), key: "call-45");

        Assert.That((await Json(replay)).GetProperty("id").GetGuid(), Is.EqualTo(first.GetProperty("id").GetGuid()), "the same caller's retry");
        Assert.That(replay.Headers.Contains("Idempotent-Replayed"), Is.True);
        foreach (var other in new[] { sameBody, otherBody })
        {
            var body = await other.Content.ReadAsStringAsync();
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
            Assert.That(other.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(body, Does.Not.Contain(first.GetProperty("id").GetString()).And.Not.Contain(first.GetProperty("number").GetString()));
        }

        Assert.That((await Json(wechatReplay)).GetProperty("id").GetGuid(), Is.EqualTo((await Json(sameBody)).GetProperty("id").GetGuid()), "the second caller's own retry");
        Assert.That(await TicketCount(), Is.EqualTo(3));
    }

    [Test]
    public async Task AnotherCallersExternalRef_IsANewReport()
    {
        using var hotline = await GatewayAsync("hotline gateway");
        using var county = await GatewayAsync("county hotline gateway");
        var body = Reports.Valid() with { ExternalRef = "CALL-2026-11-24-0008" };
        var first = await Json(await Report(hotline, body));

        var other = await Report(county, body with { Title = "另一个故障" });

        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Json(other)).GetProperty("id").GetGuid(), Is.Not.EqualTo(first.GetProperty("id").GetGuid()));
        Assert.That(await TicketCount(), Is.EqualTo(2));
    }

    [Test]
    public async Task ConcurrentRetries_WithOneIdempotencyKey_CreateOneTicket()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Report(Reports.Valid(), key: "call-44")));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));
        var ids = await Task.WhenAll(responses.Select(async r => (await Json(r)).GetProperty("id").GetGuid()));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(1));
        Assert.That(await TicketCount(), Is.EqualTo(1));
    }

    [Test]
    public async Task ExternalRef_WithoutIdempotencyKey_AlsoPreventsASecondTicket()
    {
        var body = Reports.Valid() with { ExternalRef = "CALL-2026-11-24-0007" };
        var first = await Json(await Report(body));
        var retry = await Json(await Report(body));

        Assert.That(retry.GetProperty("id").GetGuid(), Is.EqualTo(first.GetProperty("id").GetGuid()));
        Assert.That(await TicketCount(), Is.EqualTo(1));
    }

    [Test]
    public async Task Acknowledge_ThenResolve_RecordsServerTimes_TheTimeline_AndTheirEvents()
    {
        var id = (await Json(await Report(Reports.Valid()))).GetProperty("id").GetGuid();
        Service.Time.Advance(TimeSpan.FromMinutes(10));
        var acknowledged = await Client.PostAsJsonAsync($"/api/tickets/{id}/acknowledge", new { engineer = "王工" });
        Service.Time.Advance(TimeSpan.FromMinutes(50));
        var resolved = await Client.PostAsJsonAsync($"/api/tickets/{id}/resolve", new { engineer = "王工", resolution = "重启出件服务" });

        Assert.That(acknowledged.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var ticket = await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        Assert.That(ticket.GetProperty("status").GetString(), Is.EqualTo("resolved"));
        Assert.That(ticket.GetProperty("acknowledgedAt").GetString(), Is.EqualTo("2026-11-24T10:10:00+08:00"));
        Assert.That(ticket.GetProperty("resolvedAt").GetString(), Is.EqualTo("2026-11-24T11:00:00+08:00"));
        Assert.That(ticket.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()),
            Is.EqualTo(new[] { "reported", "acknowledged", "resolved" }));

        var acknowledgedEvent = (await Database.MessagesAsync<TicketAcknowledged>()).Single();
        var resolvedEvent = (await Database.MessagesAsync<TicketResolved>()).Single();
        Assert.That(acknowledgedEvent.Ticket.Version, Is.EqualTo(2));
        Assert.That(resolvedEvent.Ticket.Version, Is.EqualTo(3));
        Assert.That(resolvedEvent.Ticket.AcknowledgedAt, Is.EqualTo(acknowledgedEvent.At));
    }

    [Test]
    public async Task Lifecycle_AcceptsTheTicketNumberAsWellAsItsId()
    {
        await Report(Reports.Valid());

        var response = await Client.PostAsJsonAsync("/api/tickets/F20261124-0001/acknowledge", new { engineer = "王工" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task IllegalTransition_IsAConflict_AndChangesNothing()
    {
        var id = (await Json(await Report(Reports.Valid()))).GetProperty("id").GetGuid();
        using var wang = Service.ClientAs(Ops.Hosting.Security.Roles.Engineer, "王工");
        await wang.PostAsJsonAsync($"/api/tickets/{id}/resolve", new { resolution = "已处理" });

        var acknowledge = await Client.PostAsJsonAsync($"/api/tickets/{id}/acknowledge", new { engineer = "刘工" });
        var resolveAgain = await Client.PostAsJsonAsync($"/api/tickets/{id}/resolve", new { engineer = "刘工", resolution = "再次处理" });

        Assert.That(acknowledge.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(resolveAgain.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await Json(acknowledge)).GetProperty("ticketStatus").GetString(), Is.EqualTo("resolved"));
        var ticket = await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        Assert.That(ticket.GetProperty("version").GetInt64(), Is.EqualTo(2));
        Assert.That(ticket.GetProperty("resolvedBy").GetString(), Is.EqualTo("王工"));
    }

    [Test]
    public async Task Detail_ShowsThePhoneWhole_ButTheListMasksIt()
    {
        var id = (await Json(await Report(Reports.Valid()))).GetProperty("id").GetGuid();

        var detail = await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/tickets");

        Assert.That(detail.GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo("13812345678"));
        Assert.That(list.GetProperty("items")[0].GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo("138****5678"));
    }

    [Test]
    public async Task List_FiltersByStatusSiteSeverityAndReportTime_AndPages()
    {
        var now = Service.Time.GetUtcNow();
        await Report(Reports.Valid("severe", now.AddHours(-3)));
        await Report(Reports.Valid("general", now.AddHours(-2)) with { SiteCode = "SHM" });
        var third = (await Json(await Report(Reports.Valid("general", now.AddHours(-1))))).GetProperty("id").GetGuid();
        await Client.PostAsJsonAsync($"/api/tickets/{third}/acknowledge", new { engineer = "王工" });

        async Task<JsonElement> List(string query) => await Client.GetFromJsonAsync<JsonElement>($"/api/tickets?{query}");

        Assert.That((await List("status=acknowledged")).GetProperty("total").GetInt64(), Is.EqualTo(1));
        Assert.That((await List("siteCode=SHM")).GetProperty("total").GetInt64(), Is.EqualTo(1));
        Assert.That((await List("severity=general")).GetProperty("total").GetInt64(), Is.EqualTo(2));
        var from = Uri.EscapeDataString(now.AddHours(-2.5).ToString("O"));
        Assert.That((await List($"from={from}")).GetProperty("total").GetInt64(), Is.EqualTo(2));
        var page = await List("limit=2&offset=0");
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
        Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(3));
        Assert.That(page.GetProperty("items")[0].GetProperty("id").GetGuid(), Is.EqualTo(third), "newest report first");
        Assert.That((await List("limit=2&offset=2")).GetProperty("items").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task List_AcknowledgedByMe_HasOnlyTheTicketsTheCallerAcknowledged()
    {
        var now = Service.Time.GetUtcNow();
        var mine = (await Json(await Report(Reports.Valid("general", now.AddHours(-3))))).GetProperty("id").GetGuid();
        var theirs = (await Json(await Report(Reports.Valid("general", now.AddHours(-2))))).GetProperty("id").GetGuid();
        await Report(Reports.Valid("general", now.AddHours(-1)));
        using var engineer = Service.ClientAs(Roles.Engineer, "李工");
        Assert.That((await engineer.PostAsync($"/api/tickets/{mine}/acknowledge", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.PostAsync($"/api/tickets/{theirs}/acknowledge", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        static async Task<IReadOnlyList<Guid>> Ids(HttpClient caller, string query) =>
            [.. (await caller.GetFromJsonAsync<JsonElement>($"/api/tickets?{query}")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];

        Assert.That(await Ids(engineer, "acknowledgedBy=me"), Is.EqualTo(new[] { mine }));
        Assert.That(await Ids(Client, "acknowledgedBy=ME&status=acknowledged"), Is.EqualTo(new[] { theirs }));
        Assert.That(await Ids(engineer, "acknowledgedBy=me&status=open"), Is.Empty, "a ticket nobody acknowledged is nobody's");
        Assert.That(await Ids(engineer, ""), Has.Count.EqualTo(3), "without the filter, everyone's");
    }

    [Test]
    public async Task List_TakesTicketsReportedFromIncluded_ToExcluded()
    {
        var now = Service.Time.GetUtcNow();
        var at = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-3);
        var first = (await Json(await Report(Reports.Valid("general", at)))).GetProperty("id").GetGuid();
        var second = (await Json(await Report(Reports.Valid("general", at.AddHours(1))))).GetProperty("id").GetGuid();

        async Task<IReadOnlyList<Guid>> Ids(DateTimeOffset? from, DateTimeOffset? to)
        {
            var query = string.Join('&', new[] { ("from", from), ("to", to) }
                .Where(p => p.Item2 is not null)
                .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!.Value.ToOffset(TimeSpan.FromHours(8)).ToString("O"))}"));
            var page = await Client.GetFromJsonAsync<JsonElement>($"/api/tickets?{query}");
            return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];
        }

        Assert.That(await Ids(at, at.AddHours(1)), Is.EqualTo(new[] { first }), "[from, to): a report at 'from' is in, one at 'to' is not");
        Assert.That(await Ids(at.AddHours(1), null), Is.EqualTo(new[] { second }));
        Assert.That(await Ids(null, at), Is.Empty);
        Assert.That(await Ids(at, at), Is.Empty, "an empty range");
    }
}
