using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Pauses: for the reasons the contract lists, where it allows them, in force only once a manager approves.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class PauseTests(TestStore store) : ServiceTests<Program>(store)
{
    private async Task<Guid> RequestAsync() =>
        (await (await Client.PostAsJsonAsync("/api/tickets", Reports.Request())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

    private static async Task<JsonElement> TicketOf(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<List<TicketFacts>> PublishedAsync<T>(Func<T, TicketFacts> facts)
        where T : class => [.. (await Service.PublishedAsync<T>()).Select(facts)];

    [Test]
    public async Task AnEngineersPause_WaitsForAManager_ThenHoldsTheClock_UntilTheTicketResumes()
    {
        var id = await RequestAsync();
        using var engineer = Service.ClientAs(Roles.Engineer, "王工");
        using var manager = Service.ClientAs(Roles.Manager, "李娜");

        var asked = await TicketOf(await engineer.PostAsJsonAsync($"/api/tickets/{id}/pause", new { reason = "等待用户提供材料" }));
        Service.Time.Advance(TimeSpan.FromMinutes(10));
        var approved = await TicketOf(await manager.PostAsync($"/api/tickets/{id}/pause/approve", null));
        Service.Time.Advance(TimeSpan.FromHours(3));
        var resumed = await TicketOf(await engineer.PostAsync($"/api/tickets/{id}/resume", null));

        Assert.That(asked.GetProperty("pause").GetProperty("pausedAt").ValueKind, Is.EqualTo(JsonValueKind.Null), "not in force before approval");
        Assert.That(asked.GetProperty("pause").GetProperty("requestedBy").GetString(), Is.EqualTo("王工"));
        Assert.That(approved.GetProperty("pause").GetProperty("pausedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(resumed.GetProperty("pause").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(resumed.GetProperty("timeline").EnumerateArray().Skip(1).Select(e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString())),
            Is.EqualTo(new[] { ("pause requested", "王工"), ("pause approved", "李娜"), ("resumed", "王工") }));
        Assert.That(approved.GetProperty("timeline").EnumerateArray().Last().GetProperty("detail").GetString(), Is.EqualTo("等待用户提供材料（王工 申请）"));
        var pause = (await PublishedAsync<TicketResumed>(m => m.Ticket)).Single().Pauses.Single();
        Assert.That(pause.To - pause.From, Is.EqualTo(TimeSpan.FromHours(3)), "from the approval to the resumption");
        Assert.That((await PublishedAsync<TicketPaused>(m => m.Ticket)).Select(t => t.PausedAt is not null), Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public async Task AnApprovedPause_StillNamesWhoAskedForIt_AndWhen()
    {
        var id = await RequestAsync();
        using var engineer = Service.ClientAs(Roles.Engineer, "王工");
        using var manager = Service.ClientAs(Roles.Manager, "李娜");
        var askedAt = Service.Time.GetUtcNow();

        await TicketOf(await engineer.PostAsJsonAsync($"/api/tickets/{id}/pause", new { reason = "等待用户提供材料" }));
        Service.Time.Advance(TimeSpan.FromMinutes(10));
        var approved = (await TicketOf(await manager.PostAsync($"/api/tickets/{id}/pause/approve", null))).GetProperty("pause");
        var again = await manager.PostAsync($"/api/tickets/{id}/pause/approve", null);
        var read = (await TicketOf(await manager.GetAsync($"/api/tickets/{id}"))).GetProperty("pause");

        foreach (var pause in new[] { approved, read })
        {
            Assert.That(pause.GetProperty("requestedBy").GetString(), Is.EqualTo("王工"));
            Assert.That(pause.GetProperty("requestedAt").GetDateTimeOffset(), Is.EqualTo(askedAt).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(pause.GetProperty("pausedAt").GetDateTimeOffset(), Is.EqualTo(askedAt.AddMinutes(10)).Within(TimeSpan.FromMilliseconds(1)));
        }

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "an approved pause waits for nobody");
    }

    [Test]
    public async Task AManagersPause_IsInForceAtOnce_AndAResolutionEndsIt()
    {
        var id = await RequestAsync();

        var paused = await TicketOf(await Client.PostAsJsonAsync($"/api/tickets/{id}/pause", new { reason = "等待第三方厂商" }));
        Service.Time.Advance(TimeSpan.FromHours(1));
        var resolved = await TicketOf(await Client.PostAsJsonAsync($"/api/tickets/{id}/resolve", new { resolution = "厂商已开通" }));

        Assert.That(paused.GetProperty("pause").GetProperty("pausedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(resolved.GetProperty("pause").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var facts = (await PublishedAsync<TicketResolved>(m => m.Ticket)).Single();
        Assert.That((facts.PausedAt, facts.Pauses.Single().To - facts.Pauses.Single().From), Is.EqualTo(((DateTimeOffset?)null, TimeSpan.FromHours(1))));
    }

    [Test]
    public async Task ADeclinedPause_NeverHeldTheClock()
    {
        var id = await RequestAsync();
        using var engineer = Service.ClientAs(Roles.Engineer, "王工");
        await engineer.PostAsJsonAsync($"/api/tickets/{id}/pause", new { reason = "用户要求暂缓办理" });

        var declined = await TicketOf(await Client.PostAsJsonAsync($"/api/tickets/{id}/pause/decline", new { reason = "材料已齐全，应继续办理" }));

        Assert.That(declined.GetProperty("pause").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(declined.GetProperty("timeline").EnumerateArray().Last().GetProperty("detail").GetString(), Is.EqualTo("材料已齐全，应继续办理"));
        Assert.That((await PublishedAsync<TicketResumed>(m => m.Ticket)).Single().Pauses, Is.Empty);
    }

    [Test]
    public async Task AFaultUnderTheSeedContract_CannotBePaused_ItRuns7x24()
    {
        var fault = (await (await Client.PostAsJsonAsync("/api/tickets", Reports.Valid())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await Problems.AssertAsync(await Client.PostAsJsonAsync($"/api/tickets/{fault}/pause", new { reason = "等待用户提供材料" }), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task AReasonTheContractDoesNotList_IsRefused_NamingIt_AndNothingIsAskedFor()
    {
        var id = await RequestAsync();

        await Problems.AssertAsync(await Client.PostAsJsonAsync($"/api/tickets/{id}/pause", new { reason = "工程师休假" }), HttpStatusCode.BadRequest, "reason");
        await Problems.AssertAsync(await Client.PostAsJsonAsync($"/api/tickets/{id}/pause", new { reason = " " }), HttpStatusCode.BadRequest, "reason");
        Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("version").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task NothingToApproveOrResume_Is409_AndAnEngineerMayNotApprove()
    {
        var id = await RequestAsync();
        using var engineer = Service.ClientAs(Roles.Engineer, "王工");

        await Problems.AssertAsync(await Client.PostAsync($"/api/tickets/{id}/pause/approve", null), HttpStatusCode.Conflict);
        await Problems.AssertAsync(await Client.PostAsync($"/api/tickets/{id}/resume", null), HttpStatusCode.Conflict);
        await engineer.PostAsJsonAsync($"/api/tickets/{id}/pause", new { reason = "等待用户提供材料" });
        await Problems.AssertAsync(await engineer.PostAsync($"/api/tickets/{id}/pause/approve", null), HttpStatusCode.Forbidden);
        await Problems.AssertAsync(await engineer.PostAsJsonAsync($"/api/tickets/{id}/pause", new { reason = "等待用户提供材料" }), HttpStatusCode.Conflict);
    }
}
