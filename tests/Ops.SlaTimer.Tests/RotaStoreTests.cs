using Dapper;
using Ops.Hosting.Security;
using Ops.SlaTimer.OnCall;
using Ops.SlaTimer.Storage;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The rotas managers save and the overrides they add, with the log of every change, on each store.</summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class RotaStoreTests(TestStore kind)
{
    private const string Contract = "OTQ-2026-OPS";
    private static readonly DateTimeOffset At = Tickets.Reported;
    private static readonly Actor Manager = new("manager-1", "王经理");

    private TempDatabase database = null!;
    private RotaStore store = null!;

    [SetUp]
    public async Task CreateStore()
    {
        database = await TempDatabase.CreateAsync(kind, typeof(ClockStore).Assembly);
        store = new RotaStore(database.Database);
    }

    [TearDown]
    public async Task DropStore() => await database.DisposeAsync();

    private static DutyOverride Override(DutyLayer layer, string engineer, double fromHours, double toHours) =>
        new(Guid.NewGuid(), layer, engineer, At.AddHours(fromHours), At.AddHours(toHours), "调休", Manager.Name, At.AddHours(-1));

    [Test]
    public async Task ARotaSavedAgain_ReplacesTheFirst_AndTheLastChangeNamesWhoSavedIt()
    {
        var engineers = new List<DutyEngineer> { new("eng-1", "张工", "13800000001"), new("eng-2", "李工", "13800000002") };
        var rotation = new Rotation("主班", DutyLayer.Primary, DutyTurn.Daily, new TimeOnly(8, 30), new DateOnly(2026, 11, 1), ["eng-1", "eng-2"]);

        Assert.That(await store.SavedAsync(Contract), Is.Null);
        Assert.That(await store.LastChangeAsync(Contract), Is.Null);
        await store.SaveAsync(Contract, new SavedRota(engineers, [rotation]), Manager, At);
        await store.SaveAsync(Contract, new SavedRota(engineers[..1], [rotation with { Engineers = ["eng-1"] }]), new Actor("manager-2", "李经理"), At.AddMinutes(5));

        var saved = await store.SavedAsync(Contract);
        Assert.That(saved!.Engineers.Select(e => e.Mobile), Is.EqualTo(new[] { "13800000001" }), "kept whole in the rota");
        Assert.That(saved.Rotations.Single().Engineers, Is.EqualTo(new[] { "eng-1" }));
        Assert.That(await store.LastChangeAsync(Contract), Is.EqualTo(new RotaChange("李经理", At.AddMinutes(5))));
        var logged = (await database.Database.ReadAsync(c => c.QueryAsync<string>("SELECT detail FROM oncall_changes ORDER BY id"))).AsList();
        Assert.That(logged, Has.Count.EqualTo(2));
        Assert.That(logged, Has.None.Contains("13800000001"), "the log keeps mobiles masked");
    }

    [Test]
    public async Task AnOverlappingOverride_OfTheSameLayer_IsRefusedWithTheOneItClashesWith()
    {
        var first = Override(DutyLayer.Primary, "eng-1", 0, 8);

        Assert.That(await store.AddOverrideAsync(Contract, first, Manager), Is.Null);
        Assert.That(await store.AddOverrideAsync(Contract, Override(DutyLayer.Primary, "eng-2", 8, 16), Manager), Is.Null, "ends touching is no overlap");
        Assert.That(await store.AddOverrideAsync(Contract, Override(DutyLayer.Secondary, "eng-3", 2, 6), Manager), Is.Null, "another layer");
        var clash = await store.AddOverrideAsync(Contract, Override(DutyLayer.Primary, "eng-4", 7, 9), Manager);

        Assert.That(clash, Is.EqualTo(first));
        Assert.That((await store.OverridesAsync(Contract, At.AddHours(7))).Select(o => o.Engineer), Is.EqualTo(new[] { "eng-1", "eng-2" }));
        Assert.That((await store.OverridesAsync(Contract, At)).Select(o => o.Engineer), Is.EqualTo(new[] { "eng-1", "eng-3", "eng-2" }));
    }

    [Test]
    public async Task AnOverride_IsRemoved_UntilItHasBegun()
    {
        var later = Override(DutyLayer.Primary, "eng-1", 2, 8);
        var begun = Override(DutyLayer.Secondary, "eng-2", 0, 8);
        await store.AddOverrideAsync(Contract, later, Manager);
        await store.AddOverrideAsync(Contract, begun, Manager);

        Assert.That(await store.RemoveOverrideAsync(Contract, begun.Id, Manager, At.AddHours(1)), Is.EqualTo(OverrideRemoval.Started));
        Assert.That(await store.RemoveOverrideAsync("HQ-2027-OPS", later.Id, Manager, At.AddHours(1)), Is.EqualTo(OverrideRemoval.NotFound), "another contract's");
        Assert.That(await store.RemoveOverrideAsync(Contract, later.Id, Manager, At.AddHours(1)), Is.EqualTo(OverrideRemoval.Removed));
        Assert.That(await store.RemoveOverrideAsync(Contract, later.Id, Manager, At.AddHours(1)), Is.EqualTo(OverrideRemoval.NotFound));

        Assert.That((await store.OverridesAsync(Contract, At)).Select(o => o.Id), Is.EqualTo(new[] { begun.Id }));
        Assert.That(await store.LastChangeAsync(Contract), Is.EqualTo(new RotaChange(Manager.Name, At.AddHours(1))));
    }
}
