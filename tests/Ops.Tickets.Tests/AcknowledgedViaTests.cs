using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Contracts.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Ops.Hosting.Security;
using Ops.Tickets.Access;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Where an acknowledgement was made: the console's button, a WeCom card (over the bus, in the engineer's name), or the API itself.</summary>
public class AcknowledgedViaTests : ServiceTests<Program>
{
    private async Task<JsonElement> ReportAsync() =>
        await (await Client.PostAsJsonAsync("/api/tickets", Reports.Valid())).Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement> TicketAsync(Guid id) => await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");

    private static JsonElement Acknowledged(JsonElement ticket) =>
        ticket.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "acknowledged");

    private static AcknowledgeTicket Press(JsonElement ticket, string? username, DateTimeOffset at) =>
        new(ticket.GetProperty("id").GetGuid(), ticket.GetProperty("number").GetString()!, "王工", "wang", username, "wecom", at, "e1");

    [Test]
    public async Task AnAcknowledgementFromTheConsole_ShowsItOnTheTimeline()
    {
        var id = (await ReportAsync()).GetProperty("id").GetGuid();

        var response = await Client.PostAsJsonAsync($"/api/tickets/{id}/acknowledge", new { via = "console" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Acknowledged(await TicketAsync(id)).GetProperty("detail").GetString(), Is.EqualTo("经控制台"));
    }

    [Test]
    public async Task AnAcknowledgementWithoutBody_IsTheApi_WithNothingOnTheTimeline()
    {
        var id = (await ReportAsync()).GetProperty("id").GetGuid();

        var response = await Client.PostAsync($"/api/tickets/{id}/acknowledge", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Acknowledged(await TicketAsync(id)).GetProperty("detail").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [TestCase("sms")]
    [TestCase("wecom")]
    public async Task AViaOtherThanTheConsole_IsAProblemNamingIt_AndChangesNothing(string via)
    {
        var id = (await ReportAsync()).GetProperty("id").GetGuid();

        var response = await Client.PostAsJsonAsync($"/api/tickets/{id}/acknowledge", new { via });

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "via");
        Assert.That((await TicketAsync(id)).GetProperty("status").GetString(), Is.EqualTo("open"));
    }

    [Test]
    public async Task AWeComPress_AcknowledgesInTheEngineersLocalName_AtThePressTime_Once()
    {
        var ticket = await ReportAsync();
        await Service.Services.GetRequiredService<UserStore>().CreateAsync("wanggong", "王工", Roles.Engineer, "a-long-enough-password-1");
        var pressedAt = Service.Time.GetUtcNow().AddMinutes(3);
        Service.Time.Advance(TimeSpan.FromMinutes(4));

        await Service.Harness.Bus.Publish(Press(ticket, "wanggong", pressedAt));
        await EventuallyAsync(async () => (await Database.MessagesAsync<TicketAcknowledged>()).Count == 1);
        await Service.Harness.Bus.Publish(Press(ticket, "wanggong", pressedAt));
        await EventuallyAsync(() => Task.FromResult(Service.Consumed<AcknowledgeTicket>().Count == 2));

        var stored = await TicketAsync(ticket.GetProperty("id").GetGuid());
        Assert.That(stored.GetProperty("acknowledgedBy").GetString(), Is.EqualTo("王工"));
        Assert.That(stored.GetProperty("acknowledgedById").GetString(), Is.EqualTo("user:wanggong"));
        Assert.That(DateTimeOffset.Parse(stored.GetProperty("acknowledgedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(pressedAt));
        Assert.That(Acknowledged(stored).GetProperty("detail").GetString(), Is.EqualTo("经企业微信"));
        Assert.That(stored.GetProperty("version").GetInt64(), Is.EqualTo(2));
        Assert.That((await Database.MessagesAsync<TicketAcknowledged>()).Single().By, Is.EqualTo("王工"));
    }

    [Test]
    public async Task AWeComPressOfAnEngineerWithoutLocalUser_IsRecordedAsTheRotaEngineer()
    {
        var ticket = await ReportAsync();

        await Service.Harness.Bus.Publish(Press(ticket, null, Service.Time.GetUtcNow()));
        await EventuallyAsync(async () => (await Database.MessagesAsync<TicketAcknowledged>()).Count == 1);

        var stored = await TicketAsync(ticket.GetProperty("id").GetGuid());
        Assert.That((stored.GetProperty("acknowledgedBy").GetString(), stored.GetProperty("acknowledgedById").GetString()), Is.EqualTo(("王工", "oncall:wang")));
    }

    [TestCase("nobody", null)]
    [TestCase("boss", Roles.Admin)]
    [TestCase("gone", Roles.Engineer)]
    public async Task AWeComPressNamingAUserWhoCannotAcknowledge_IsRecordedAsTheRotaEngineer(string username, string? role)
    {
        var ticket = await ReportAsync();
        var users = Service.Services.GetRequiredService<UserStore>();
        if (role is not null)
        {
            await users.CreateAsync(username, "另一个人", role, "a-long-enough-password-1");
        }

        if (username == "gone")
        {
            await users.DisableAsync(username);
        }

        await Service.Harness.Bus.Publish(Press(ticket, username, Service.Time.GetUtcNow()));
        await EventuallyAsync(async () => (await Database.MessagesAsync<TicketAcknowledged>()).Count == 1);

        var stored = await TicketAsync(ticket.GetProperty("id").GetGuid());
        Assert.That((stored.GetProperty("acknowledgedBy").GetString(), stored.GetProperty("acknowledgedById").GetString()), Is.EqualTo(("王工", "oncall:wang")));
    }

    [Test]
    public async Task AWeComPressForATicketAcknowledgedMeanwhile_ChangesNothing()
    {
        var ticket = await ReportAsync();
        using var liu = Service.ClientAs(Roles.Engineer, "刘工");
        await liu.PostAsJsonAsync($"/api/tickets/{ticket.GetProperty("id").GetGuid()}/acknowledge", new { via = "console" });

        await Service.Harness.Bus.Publish(Press(ticket, "wanggong", Service.Time.GetUtcNow()));
        await EventuallyAsync(() => Task.FromResult(Service.Consumed<AcknowledgeTicket>().Count == 1));

        var stored = await TicketAsync(ticket.GetProperty("id").GetGuid());
        Assert.That(stored.GetProperty("acknowledgedBy").GetString(), Is.EqualTo("刘工"));
        Assert.That(stored.GetProperty("version").GetInt64(), Is.EqualTo(2));
        Assert.That(Service.Consumed<AcknowledgeTicket>().Single().Exception, Is.Null);
    }
}
