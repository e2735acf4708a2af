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

        var published = (await Service.PublishedAsync<TicketReported>()).Single();
        Assert.That(published.Ticket.TicketId, Is.EqualTo(id));
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
