using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// On PostgreSQL, a report whose COMMIT the server made but whose answer was lost (the connection broke under it)
/// answers a 503 that says the report may have been stored, and its resend with the same Idempotency-Key answers
/// with the ticket that was stored, filing no second one.
/// </summary>
public class LostCommitTests
{
    private (string Name, string ConnectionString) database;
    private LostCommitAnswer proxy = null!;
    private ServiceFactory<Program> service = null!;

    [SetUp]
    public async Task StartServiceBehindTheProxy()
    {
        database = await TempDatabase.MigratedPostgresAsync(typeof(Database).Assembly, typeof(Program).Assembly);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        proxy = new LostCommitAnswer(new IPEndPoint(IPAddress.Loopback, direct.Port), "INSERT INTO idempotency_keys");
        service = new ServiceFactory<Program>();
        service.Settings["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ToString();
    }

    [TearDown]
    public async Task Stop()
    {
        await service.DisposeAsync();
        await proxy.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await PostgresServer.DropDatabaseAsync(database.Name);
    }

    [Test]
    public async Task AReportWhoseCommitAnswerIsLost_Is503OutcomeUnknown_AndItsResendWithTheSameKey_AnswersTheStoredTicket()
    {
        var client = service.CreateClient();
        proxy.Arm();

        var lost = await ReportAsync(client, "call-20261124-0001");

        await proxy.Lost.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Problems.AssertAsync(lost, HttpStatusCode.ServiceUnavailable);
        var problem = JsonDocument.Parse(await lost.Content.ReadAsStringAsync()).RootElement;
        Assert.That(problem.GetProperty("outcome").GetString(), Is.EqualTo("unknown"));
        Assert.That(problem.GetProperty("storeFault").GetString(), Is.EqualTo("unavailable"));
        var (title, detail) = await Problems.TextAsync(lost);
        Assert.That(title, Does.Contain("无法确认本次请求是否已保存"));
        Assert.That(detail, Does.Contain("可能已经保存，也可能没有").And.Contain("相同的 Idempotency-Key").And.Not.Contain("没有保存任何内容"));
        var stored = await StoredNumbersAsync();
        Assert.That(stored, Has.Count.EqualTo(1), "the server committed the report whose answer was lost");

        var resent = await ReportAsync(client, "call-20261124-0001");

        Assert.That(resent.StatusCode, Is.EqualTo(HttpStatusCode.Created), await resent.Content.ReadAsStringAsync());
        Assert.That(resent.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        var ticket = JsonDocument.Parse(await resent.Content.ReadAsStringAsync()).RootElement;
        Assert.That(ticket.GetProperty("number").GetString(), Is.EqualTo(stored.Single()));
        Assert.That(await StoredNumbersAsync(), Is.EqualTo(stored), "the resend filed no second ticket");
    }

    [Test]
    public async Task TheUnknownOutcome_SpeaksEnglish_ToACallerWhoReadsIt()
    {
        var client = service.CreateClient();
        proxy.Arm();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(Reports.Valid()) };
        request.Headers.Add("Idempotency-Key", "call-20261124-0002");
        request.Headers.AcceptLanguage.ParseAdd("en");

        var lost = await client.SendAsync(request);

        Assert.That(lost.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var (title, detail) = await Problems.TextAsync(lost);
        Assert.That(title, Does.Contain("whether this request was stored is not known"));
        Assert.That(detail, Does.Contain("may or may not have been stored").And.Contain("same Idempotency-Key"));
    }

    private static async Task<HttpResponseMessage> ReportAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(Reports.Valid()) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>The tickets stored, read past the proxy.</summary>
    private async Task<List<string>> StoredNumbersAsync()
    {
        await using var direct = new Database(SqlProvider.Postgres, database.ConnectionString);
        return (await direct.ReadAsync(c => c.QueryAsync<string>("SELECT number FROM tickets ORDER BY number"))).AsList();
    }
}
