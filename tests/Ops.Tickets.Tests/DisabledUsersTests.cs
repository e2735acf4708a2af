using Ops.Contracts.Security;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Every service keeps the latest moment each user was disabled, whatever order the events arrive in.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class DisabledUsersTests(TestStore store)
{
    [Test]
    public async Task ADisablingHeardAgainOrLate_KeepsTheLatestMoment()
    {
        await using var database = await TempDatabase.CreateAsync(store);
        var users = new DisabledUsers(database.Database, new Outbox(TimeProvider.System), TimeProvider.System);
        var first = new DateTimeOffset(2026, 11, 24, 2, 5, 0, TimeSpan.Zero);
        var later = first.AddHours(3);

        await users.RecordAsync(new UserDisabled("local:engineer", first));
        await users.RecordAsync(new UserDisabled("local:engineer", later));
        await users.RecordAsync(new UserDisabled("local:engineer", first));

        Assert.That(await users.DisabledAtAsync("local:engineer"), Is.EqualTo(later));
        Assert.That(await users.DisabledAtAsync("local:operator"), Is.Null);
    }

    [Test]
    public async Task AUserDisabledHere_IsStoredWithItsEvent_InOneTransaction()
    {
        await using var database = await TempDatabase.CreateAsync(store);
        var users = new DisabledUsers(database.Database, new Outbox(TimeProvider.System), TimeProvider.System);
        var at = new DateTimeOffset(2026, 11, 24, 2, 5, 0, TimeSpan.Zero);

        await database.Database.WriteAsync(t => users.DisableAsync(t, "local:auditor", at));
        users.Changed();

        Assert.That(await users.DisabledAtAsync("local:auditor"), Is.EqualTo(at));
        Assert.That(await database.Database.MessagesAsync<UserDisabled>(), Is.EqualTo(new[] { new UserDisabled("local:auditor", at) }));
    }
}
