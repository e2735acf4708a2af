using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Testing;
using Ops.Tickets.Intake;

namespace Ops.Tickets.Tests;

/// <summary>The tickets HTTP API in memory: its own SQLite file, the in-memory bus, a fake clock.</summary>
public class TicketsApiTests : ServiceTests<Program>
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
    public async Task Report_AnswersCreated_WithNumberStatusAndLocation_AndPublishesTicketReported()
    {
        var response = await Report(Reports.Valid());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var ticket = await Json(response);
        var id = ticket.GetProperty("id").GetGuid();
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/tickets/{id}"));
        Assert.That(ticket.GetProperty("number").GetString(), Is.EqualTo("F20261124-0001"));
        Assert.That(ticket.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(ticket.GetProperty("reportedAt").GetString(), Is.EqualTo("2026-11-24T10:00:00+08:00"), "people read Asia/Shanghai time");
        var stored = await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        static string WithoutReporter(JsonElement t) => string.Join(",", t.EnumerateObject().Where(p => p.Name != "reporter").Select(p => p.ToString()));
        Assert.That(WithoutReporter(ticket), Is.EqualTo(WithoutReporter(stored)), "the answer is the ticket as stored (the phone is shown by role)");

        Assert.That(await Service.Harness.Published.Any<TicketReported>(m => m.Context.Message.Ticket.TicketId == id), Is.True);
        var published = Service.Harness.Published.Select<TicketReported>().Single().Context.Message;
        Assert.That(published.ReporterPhoneMasked, Is.EqualTo("138****5678"), "the bus never carries a whole phone number");
        Assert.That(published.Ticket.Version, Is.EqualTo(1));
        Assert.That(published.Ticket.ReportedAt, Is.EqualTo(Service.Time.GetUtcNow()));
    }

    [Test]
    public async Task EveryAnswer_TellsBrowsersNotToSniffItsType()
    {
        using var created = await Report(Reports.Valid());
        using var refused = await Report(new { });
        using var anonymous = await Service.ClientAs(null).GetAsync("/api/tickets");

        Assert.That(new[] { created, refused, anonymous }.Select(r => string.Join(",", r.Headers.GetValues("X-Content-Type-Options"))),
            Is.All.EqualTo("nosniff"));
    }

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
    public async Task BadIdempotencyKey_IsRefused_NamingTheHeader()
    {
        var response = await Report(Reports.Valid(), key: new string('k', 201));

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [TestCase("{\"channel\":", "body", TestName = "MalformedJson_IsABadRequest_NamingTheBody")]
    [TestCase("{\"channel\":\"phone\",\"title\":42}", "title", TestName = "WrongType_IsABadRequest_NamingTheField")]
    [TestCase("{\"channel\":\"phone\",\"reportedAt\":\"yesterday\"}", "reportedAt", TestName = "BadTime_IsABadRequest_NamingTheField")]
    [TestCase("{\"channel\":\"phone\",\"reportedAt\":\"2026-11-24T09:00:00\"}", "reportedAt", TestName = "TimeWithoutOffset_IsABadRequest_NamingTheField")]
    [TestCase("{\"reporter\":{\"phone\":13812345678}}", "reporter.phone", TestName = "NestedWrongType_IsABadRequest_NamingTheNestedField")]
    public async Task UnreadableBody_IsAProblem_NamingTheField_AndStoresNothing(string json, string field)
    {
        var response = await Client.PostAsync("/api/tickets", new StringContent(json, Encoding.UTF8, "application/json"));

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.That(await TicketCount(), Is.Zero);
        Assert.That(await Database.OutboxCountAsync(), Is.Zero);
    }

    [Test]
    public async Task InvalidReport_IsAProblem_NamingEachField_AndStoresNothing()
    {
        var response = await Report(Reports.Valid() with { Channel = "fax", Severity = "critical" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await Json(response)).GetProperty("errors");
        Assert.That(errors.TryGetProperty("channel", out _) && errors.TryGetProperty("severity", out _), Is.True);
        Assert.That(await TicketCount(), Is.Zero);
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
    public async Task UnknownTicket_IsNotFound()
    {
        var acknowledge = await Client.PostAsJsonAsync($"/api/tickets/{Guid.NewGuid()}/acknowledge", new { engineer = "王工" });
        var get = await Client.GetAsync("/api/tickets/F19990101-0001");

        Assert.That(acknowledge.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(get.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Timeline_RecordsTheSignedInCaller_NotANameInTheBody()
    {
        var id = (await Json(await Report(Reports.Valid()))).GetProperty("id").GetGuid();
        using var wang = Service.ClientAs(Ops.Hosting.Security.Roles.Engineer, "王工");

        var acknowledged = await wang.PostAsJsonAsync($"/api/tickets/{id}/acknowledge", new { engineer = "冒名者" });
        var resolved = await wang.PostAsJsonAsync($"/api/tickets/{id}/resolve", new { engineer = "冒名者", resolution = "已处理" });

        Assert.That(acknowledged.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var ticket = await Json(resolved);
        Assert.That(ticket.GetProperty("acknowledgedBy").GetString(), Is.EqualTo("王工"));
        Assert.That(ticket.GetProperty("resolvedBy").GetString(), Is.EqualTo("王工"));
        var actors = ticket.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("actor").GetString()).ToList();
        Assert.That(actors, Is.EqualTo(new[] { "test manager", "王工", "王工" }));
    }

    [Test]
    public async Task Resolve_WithoutResolution_IsABadRequest_NamingTheField()
    {
        var id = (await Json(await Report(Reports.Valid()))).GetProperty("id").GetGuid();

        var response = await Client.PostAsJsonAsync($"/api/tickets/{id}/resolve", new { resolution = " " });

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "resolution");
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

    [TestCase("status=closed", "status")]
    [TestCase("severity=high", "severity")]
    [TestCase("limit=100000", "limit")]
    [TestCase("limit=-1", "limit")]
    [TestCase("offset=abc", "offset")]
    [TestCase("from=yesterday", "from")]
    [TestCase("from=2026-11-24T00:00:00%2B08:00&to=2026-11-23T00:00:00%2B08:00", "to")]
    [TestCase("siteCode=' OR 1=1 --' OR 'x'='x'abcdefghijklmnop", "siteCode")]
    [TestCase("acknowledgedBy=user:engineer", "acknowledgedBy")]
    public async Task BadListQuery_IsAProblem_NamingTheField(string query, string field)
    {
        var response = await Client.GetAsync($"/api/tickets?{query}");

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Test]
    public async Task InjectionInAFilter_IsRefused_NamingTheFilter_AndChangesNothing()
    {
        await Report(Reports.Valid());

        var response = await Client.GetAsync("/api/tickets?siteCode=" + Uri.EscapeDataString("' OR '1'='1"));

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "siteCode");
        Assert.That(await TicketCount(), Is.EqualTo(1));
    }

    [Test]
    public async Task AnAnswer_CarriesChineseAsUtf8_NotAsEscapes()
    {
        var response = await Report(Reports.Valid() with { Title = "综窗无法出件 <紧急> & 'A+B'" });

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(Encoding.UTF8.GetString(bytes), Does.Not.Contain("\\u"));
        Assert.That(Contains(bytes, Encoding.UTF8.GetBytes("\"title\":\"综窗无法出件 <紧急> & 'A+B'\"")), Is.True, Encoding.UTF8.GetString(bytes));
        Assert.That(Contains(bytes, Encoding.UTF8.GetBytes("+08:00\"")), Is.True, "times keep their offset as written");
    }

    [Test]
    public async Task ASystemNotOfTheContract_IsAProblem_NamingSystem_AndListingTheContractsSystemsInUtf8()
    {
        var response = await Report(Reports.Valid() with { System = "财务报销系统" });

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "system");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.That(Encoding.UTF8.GetString(bytes), Does.Not.Contain("\\u"));
        Assert.That(Contains(bytes, Encoding.UTF8.GetBytes("综合一窗受理平台")) && Contains(bytes, Encoding.UTF8.GetBytes("其他")), Is.True, Encoding.UTF8.GetString(bytes));
        Assert.That(await TicketCount(), Is.Zero);
        Assert.That(await Database.OutboxCountAsync(), Is.Zero);
    }

    [Test]
    public async Task TheCatchAllSystem_IsAccepted()
    {
        var response = await Report(Reports.Valid() with { System = "其他" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await Json(response)).GetProperty("system").GetString(), Is.EqualTo("其他"));
    }

    [Test]
    public async Task AnEventInTheOutbox_CarriesChineseAsUtf8_NotAsEscapes()
    {
        await Report(Reports.Valid() with { Title = "综窗无法出件" });

        var body = (await Database.ReadAsync(c => c.QueryAsync<string>("SELECT body FROM outbox_messages WHERE message_type LIKE 'Ops.Contracts.Tickets.TicketReported,%'"))).Single();
        Assert.That(body, Does.Contain("\"title\":\"综窗无法出件\"").And.Contain("\"system\":\"综合一窗受理平台\"").And.Not.Contain("\\u"));
    }

    private static bool Contains(byte[] bytes, byte[] part) => bytes.AsSpan().IndexOf(part) >= 0;

    [Test]
    public async Task Health_IsAnsweredWithoutTheBroker()
    {
        var live = await Client.GetAsync("/health/live");
        var ready = await Client.GetAsync("/health/ready");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Json(ready)).GetProperty("checks").TryGetProperty("database", out _), Is.True);
    }

    [Test]
    public async Task OpenApiDocument_DescribesTheIntakeEndpoint()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

        var post = document.GetProperty("paths").GetProperty("/api/tickets").GetProperty("post");
        Assert.That(post.GetProperty("summary").GetString(), Is.EqualTo("Report a fault or a service request"));
        Assert.That(post.GetProperty("responses").TryGetProperty("201", out _), Is.True);
    }
}
