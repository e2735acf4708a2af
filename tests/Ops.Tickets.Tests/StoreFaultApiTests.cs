using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// A store that refuses for a while (here: locked) answers 503 problem+json with Retry-After, keeps nothing of
/// the request, says why in readiness, and takes the next write without a restart.
/// </summary>
public class StoreFaultApiTests : ServiceTests<Program>
{
    /// <summary>A write waits a second for a lock before it gives up: the test's lock outlasts it.</summary>
    protected override void Configure(ServiceFactory<Program> service) => service.Settings["Database:CommandTimeoutSeconds"] = "1";

    [Test]
    public async Task AReport_WhileTheStoreIsLocked_Is503WithRetryAfter_StoresNothing_AndReadinessSaysWhy_UntilReleased()
    {
        var before = await TicketCountAsync();
        await using (var lockHolder = await LockAsync())
        {
            var refused = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid());

            await Problems.AssertAsync(refused, HttpStatusCode.ServiceUnavailable);
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            var (title, detail) = await Problems.TextAsync(refused);
            Assert.That(title, Is.EqualTo("数据库暂时无法保存，请稍后重试。"));
            Assert.That(detail, Does.Contain("锁定").And.Contain("没有保存任何内容"));
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.That((problem.GetProperty("storeFault").GetString(), problem.GetProperty("outcome").GetString()), Is.EqualTo(("locked", "notStored")), "SQLite's commit is atomic: a refusal stored nothing");
            Assert.That((await ReadyAsync()).Status, Is.EqualTo("Degraded"));
            Assert.That((await ReadyAsync()).Description, Does.Contain("refuses writes").And.Contain("locked").And.Contain("SQLITE_BUSY"));
        }

        Assert.That(await TicketCountAsync(), Is.EqualTo(before), "nothing of the refused report was kept");
        var accepted = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await accepted.Content.ReadAsStringAsync());
        Assert.That(await TicketCountAsync(), Is.EqualTo(before + 1));
        Assert.That((await ReadyAsync()).Status, Is.EqualTo("Healthy"), "a committed write clears the failure");
    }

    [Test]
    public async Task TheRefusal_SpeaksEnglish_ToACallerWhoReadsIt()
    {
        await using var lockHolder = await LockAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(Reports.Valid()) };
        request.Headers.AcceptLanguage.ParseAdd("en");

        var refused = await Client.SendAsync(request);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await Problems.TextAsync(refused)).Detail, Does.Contain("locked by another operation"));
    }

    /// <summary>Another connection holds the service's SQLite file with <c>BEGIN EXCLUSIVE</c> until disposed.</summary>
    private async Task<SqliteConnection> LockAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(Service.DataDirectory, "tickets.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        await connection.ExecuteAsync("BEGIN EXCLUSIVE");
        return connection;
    }

    private Task<long> TicketCountAsync() => Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tickets"));

    private async Task<(string? Status, string? Description)> ReadyAsync()
    {
        var ready = JsonDocument.Parse(await Client.GetStringAsync("/health/ready")).RootElement.GetProperty("checks").GetProperty("database");
        return (ready.GetProperty("status").GetString(), ready.GetProperty("description").GetString());
    }
}
