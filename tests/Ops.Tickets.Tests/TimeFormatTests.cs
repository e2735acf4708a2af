using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Hosting;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Times are written one way everywhere: +08:00, no fraction for a whole second, else three digits; none from before the contract era gets in.</summary>
public class TimeFormatTests : ServiceTests<Program>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new ShanghaiTimeConverter() } };

    [TestCase("2026-11-24T02:00:00.0000000+00:00", "2026-11-24T10:00:00+08:00")]
    [TestCase("2026-11-24T02:00:00.1234567+00:00", "2026-11-24T10:00:00.123+08:00")]
    [TestCase("2026-11-24T02:00:00.1200000+00:00", "2026-11-24T10:00:00.120+08:00")]
    [TestCase("2026-11-24T02:00:00.0009999+00:00", "2026-11-24T10:00:00+08:00")]
    [TestCase("2000-01-01T00:00:00.5+08:00", "2000-01-01T00:00:00.500+08:00")]
    public void ATime_IsWrittenInShanghai_WithAtMostMilliseconds(string time, string written)
    {
        var value = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(ShanghaiTimeConverter.Format(value), Is.EqualTo(written));
        Assert.That(JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(value, Json)), Is.EqualTo(written));
    }

    [TestCase("1900-01-01T00:00:00+08:00")]
    [TestCase("1999-12-31T23:59:59+08:00")]
    [TestCase("0001-01-01T00:00:00+00:00")]
    [TestCase("2100-01-01T00:00:01+08:00")]
    public void ATimeOutsideTheContractEra_IsNotRead(string time)
    {
        var refused = Assert.Catch<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>($"\"{time}\"", Json));

        Assert.That(refused!.Message, Does.Contain("2000-01-01"));
    }

    [Test]
    public async Task AReportedAtBeforeTheContractEra_Is400_NamingIt()
    {
        var report = JsonSerializer.SerializeToNode(Reports.Valid(), JsonSerializerOptions.Web)!.AsObject();
        report["reportedAt"] = "1900-01-01T00:00:00+08:00";

        var refused = await Client.PostAsync("/api/tickets", new StringContent(report.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        await Problems.AssertAsync(refused, HttpStatusCode.BadRequest, "reportedAt");
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("2000-01-01"));
    }

    [Test]
    public async Task ATicketsTimes_ComeWithAtMostMilliseconds_At0800()
    {
        Service.Time.Advance(TimeSpan.FromTicks(1_234_567));
        var created = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Client.PostAsync($"/api/tickets/{id}/acknowledge", null);

        var text = await Client.GetStringAsync($"/api/tickets/{id}");

        var ticket = JsonDocument.Parse(text).RootElement;
        Assert.That(ticket.GetProperty("reportedAt").GetString(), Is.EqualTo("2026-11-24T10:00:00.123+08:00"));
        Assert.That(ticket.GetProperty("acknowledgedAt").GetString(), Is.EqualTo("2026-11-24T10:00:00.123+08:00"));
        Assert.That(ticket.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("at").GetString()), Is.All.EqualTo("2026-11-24T10:00:00.123+08:00"));
    }

    [Test]
    public void ListKeys_PrintsTimesInShanghai()
    {
        var key = new ApiKey
        {
            KeyId = Guid.NewGuid(),
            Name = "hotline",
            Role = Roles.Intake,
            KeyHash = "x",
            CreatedAt = new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero).AddTicks(1_234_567),
            RevokedAt = new DateTimeOffset(2026, 11, 24, 18, 30, 0, TimeSpan.Zero),
        };

        var line = AdminCommand.KeyLine(key);

        Assert.That(line, Does.Contain("created 2026-11-24T10:00:00.123+08:00").And.Contain("revoked 2026-11-25T02:30:00+08:00"));
    }
}
