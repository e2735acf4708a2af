using Ops.SlaTimer.OnCall;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// Who is on duty at an instant, as pure arithmetic over a rota: hand-overs at 08:30 Asia/Shanghai (00:30 UTC),
/// Shanghai midnights, the National Day holiday, weekly turns and overrides.
/// </summary>
public class DutyResolutionTests
{
    private static readonly DutyEngineer Zhang = new("zhangsan", "张三", "13800000001", "ZhangSan");
    private static readonly DutyEngineer Li = new("lisi", "李四", "13800000002");
    private static readonly DutyEngineer Wang = new("wangwu", "王五", "13800000003");
    private static readonly DutyEngineer Zhao = new("zhaoliu", "赵六", "13800000004");

    /// <summary>Daily primary from 2026-09-28 08:30 (Shanghai): 张三, 李四, 王五 in turn; weekly secondary from Monday 2026-09-28 09:00: 赵六, 王五.</summary>
    private static Rota Rota(params DutyOverride[] overrides) => new(
        [Zhang, Li, Wang, Zhao],
        [
            new Rotation("一线", DutyLayer.Primary, DutyTurn.Daily, new TimeOnly(8, 30), new DateOnly(2026, 9, 28), ["zhangsan", "lisi", "wangwu"]),
            new Rotation("二线", DutyLayer.Secondary, DutyTurn.Weekly, new TimeOnly(9, 0), new DateOnly(2026, 9, 28), ["zhaoliu", "wangwu"]),
        ],
        overrides);

    private static DateTimeOffset Shanghai(int month, int day, int hour, int minute, int second = 0) => new(2026, month, day, hour, minute, second, TimeSpan.FromHours(8));

    private static DutyOverride Override(DutyLayer layer, string engineer, DateTimeOffset from, DateTimeOffset to) =>
        new(Guid.NewGuid(), layer, engineer, from, to, "家中有事，换班", "经理", from.AddDays(-1));

    private static string? OnDuty(Rota rota, DutyLayer layer, DateTimeOffset at) => DutyResolution.OnDuty(rota, layer, at)?.Engineer.Name;

    [Test]
    public void TheSecondBeforeTheHandover_IsTheOutgoingEngineers_AndTheHandoverInstantTheIncomings()
    {
        var rota = Rota();

        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 29, 8, 29, 59)), Is.EqualTo("张三"));
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 29, 8, 30)), Is.EqualTo("李四"));
        var shift = DutyResolution.OnDuty(rota, DutyLayer.Primary, Shanghai(9, 29, 8, 30))!;
        Assert.That((shift.From, shift.To), Is.EqualTo((Shanghai(9, 29, 8, 30), Shanghai(9, 30, 8, 30))));
        Assert.That(shift.From.Offset, Is.EqualTo(TimeSpan.Zero), "stored and resolved in UTC");
        Assert.That(shift.From.UtcDateTime, Is.EqualTo(new DateTime(2026, 9, 29, 0, 30, 0, DateTimeKind.Utc)));
    }

    [Test]
    public void AcrossAShanghaiMidnight_TheNightShiftRunsOn_AlthoughTheUtcDateChangedEarlier()
    {
        var rota = Rota();

        // 23:59:59 and 00:00 in Shanghai are 15:59:59 and 16:00 UTC: the shift that began at 08:30 holds both.
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 29, 23, 59, 59)), Is.EqualTo("李四"));
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 30, 0, 0)), Is.EqualTo("李四"));
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 30, 8, 29, 59)), Is.EqualTo("李四"));
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 30, 8, 30)), Is.EqualTo("王五"));
    }

    [Test]
    public void OverTheNationalDayHoliday_DutyRuns7x24_AndTheTurnGoesOnAsOnAnyDay()
    {
        var rota = Rota();

        var shifts = DutyResolution.LayerShifts(rota, DutyLayer.Primary, Shanghai(10, 1, 0, 0), Shanghai(10, 8, 0, 0));

        Assert.That(shifts.Select(s => s.Engineer.Name), Is.EqualTo(new[] { "王五", "张三", "李四", "王五", "张三", "李四", "王五", "张三" }),
            "09-30 王五 until 10-01 08:30, then a new engineer every day of the holiday");
        Assert.That(shifts[0].From, Is.EqualTo(Shanghai(10, 1, 0, 0)), "cut to the span asked for");
        Assert.That(shifts[^1].To, Is.EqualTo(Shanghai(10, 8, 0, 0)));
        Assert.That(shifts.Zip(shifts.Skip(1)).All(p => p.First.To == p.Second.From), Is.True, "no gap: nobody is off duty on a holiday");
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(10, 4, 3, 0)), Is.EqualTo("王五"), "03:00 on 10-04 is the night of the turn that began on 10-03");
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(10, 4, 12, 0)), Is.EqualTo("张三"));
    }

    [Test]
    public void AWeeklyTurn_HandsOverOnTheSameWeekdayAtItsTime()
    {
        var rota = Rota();

        Assert.That(OnDuty(rota, DutyLayer.Secondary, Shanghai(9, 28, 9, 0)), Is.EqualTo("赵六"));
        Assert.That(OnDuty(rota, DutyLayer.Secondary, Shanghai(10, 5, 8, 59, 59)), Is.EqualTo("赵六"));
        Assert.That(OnDuty(rota, DutyLayer.Secondary, Shanghai(10, 5, 9, 0)), Is.EqualTo("王五"));
        Assert.That(OnDuty(rota, DutyLayer.Secondary, Shanghai(10, 12, 9, 0)), Is.EqualTo("赵六"));
        var (handover, next) = DutyResolution.Next(rota, DutyLayer.Secondary, Shanghai(10, 1, 12, 0));
        Assert.That((handover, next?.Engineer.Name), Is.EqualTo(((DateTimeOffset?)Shanghai(10, 5, 9, 0), "王五")));
    }

    [Test]
    public void BeforeItsStart_ARotationNamesNobody()
    {
        var rota = Rota();

        Assert.That(DutyResolution.OnDuty(rota, DutyLayer.Primary, Shanghai(9, 28, 8, 29, 59)), Is.Null);
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 28, 8, 30)), Is.EqualTo("张三"));
        var (handover, next) = DutyResolution.Next(rota, DutyLayer.Primary, Shanghai(9, 27, 12, 0));
        Assert.That((handover, next?.Engineer.Name), Is.EqualTo(((DateTimeOffset?)Shanghai(9, 28, 8, 30), "张三")));
    }

    [Test]
    public void AnOverride_BeatsTheRotationForItsTime_AndCutsTheShiftItFallsIn()
    {
        var swap = Override(DutyLayer.Primary, "zhaoliu", Shanghai(9, 29, 20, 0), Shanghai(9, 30, 2, 0));
        var rota = Rota(swap);

        var shifts = DutyResolution.LayerShifts(rota, DutyLayer.Primary, Shanghai(9, 29, 8, 30), Shanghai(9, 30, 8, 30));

        Assert.That(shifts.Select(s => (s.Engineer.Name, s.From, s.To, s.OverrideId)), Is.EqualTo(new (string, DateTimeOffset, DateTimeOffset, Guid?)[]
        {
            ("李四", Shanghai(9, 29, 8, 30), Shanghai(9, 29, 20, 0), null),
            ("赵六", Shanghai(9, 29, 20, 0), Shanghai(9, 30, 2, 0), swap.Id),
            ("李四", Shanghai(9, 30, 2, 0), Shanghai(9, 30, 8, 30), null),
        }));
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 29, 19, 59, 59)), Is.EqualTo("李四"));
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 29, 20, 0)), Is.EqualTo("赵六"));
        Assert.That(DutyResolution.OnDuty(rota, DutyLayer.Primary, Shanghai(9, 30, 1, 0))!.Reason, Is.EqualTo("家中有事，换班"));
        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 30, 2, 0)), Is.EqualTo("李四"));
        Assert.That(OnDuty(rota, DutyLayer.Secondary, Shanghai(9, 29, 21, 0)), Is.EqualTo("赵六"), "the other layer keeps its own rotation");
        var (handover, next) = DutyResolution.Next(rota, DutyLayer.Primary, Shanghai(9, 29, 12, 0));
        Assert.That((handover, next?.Engineer.Name), Is.EqualTo(((DateTimeOffset?)Shanghai(9, 29, 20, 0), "赵六")), "the override's start is a hand-over");
    }

    [Test]
    public void AnOverrideAcrossAHandover_HoldsBothShiftsTimes()
    {
        var rota = Rota(Override(DutyLayer.Primary, "zhaoliu", Shanghai(9, 29, 6, 0), Shanghai(9, 29, 12, 0)));

        var shifts = DutyResolution.Shifts(rota, Shanghai(9, 28, 8, 30), Shanghai(9, 30, 8, 30)).Where(s => s.Layer == DutyLayer.Primary);

        Assert.That(shifts.Select(s => s.Engineer.Name), Is.EqualTo(new[] { "张三", "赵六", "李四" }));
    }

    [Test]
    public void Overrides_OverlapWhenTheyShareAMoment_NotWhenTheirEndsTouch()
    {
        var first = Override(DutyLayer.Primary, "zhaoliu", Shanghai(10, 1, 8, 30), Shanghai(10, 2, 8, 30));

        Assert.That(first.Overlaps(Shanghai(10, 2, 8, 0), Shanghai(10, 3, 8, 30)), Is.True);
        Assert.That(first.Overlaps(Shanghai(9, 30, 8, 0), Shanghai(10, 4, 8, 30)), Is.True, "one holding the other");
        Assert.That(first.Overlaps(Shanghai(10, 2, 8, 30), Shanghai(10, 3, 8, 30)), Is.False, "the next begins as the first ends");
        Assert.That(first.Overlaps(Shanghai(9, 30, 8, 30), Shanghai(10, 1, 8, 30)), Is.False);
    }

    [Test]
    public void AnOverrideNamingAnEngineerNoLongerOnTheRota_LeavesTheRotationOnDuty()
    {
        var rota = Rota(Override(DutyLayer.Primary, "gone", Shanghai(9, 29, 20, 0), Shanghai(9, 30, 2, 0)));

        Assert.That(OnDuty(rota, DutyLayer.Primary, Shanghai(9, 29, 21, 0)), Is.EqualTo("李四"));
    }

    [Test]
    public void ALayerWithoutARotation_HasNobodyOnDuty_ButAnOverrideThere()
    {
        var rota = new Rota([Zhang], [new Rotation("一线", DutyLayer.Primary, DutyTurn.Daily, new TimeOnly(8, 30), new DateOnly(2026, 9, 28), ["zhangsan"])], []);

        Assert.That(DutyResolution.OnDuty(rota, DutyLayer.Secondary, Shanghai(10, 1, 12, 0)), Is.Null);
        Assert.That(DutyResolution.Next(rota, DutyLayer.Secondary, Shanghai(10, 1, 12, 0)), Is.EqualTo(((DateTimeOffset?)null, (DutyShift?)null)));
        var covered = rota with { Overrides = [Override(DutyLayer.Secondary, "zhangsan", Shanghai(10, 1, 0, 0), Shanghai(10, 2, 0, 0))] };
        Assert.That(OnDuty(covered, DutyLayer.Secondary, Shanghai(10, 1, 12, 0)), Is.EqualTo("张三"));
    }

    [TestCase("8:30")]
    [TestCase("24:00")]
    [TestCase("08:60")]
    [TestCase("0830")]
    [TestCase(null)]
    public void ABadHandoverTime_IsRefused_NamingTheField(string? handover)
    {
        var (_, _, errors) = RotaRules.Check(
            [new EngineerInput { Id = "zhangsan", Name = "张三", Mobile = "13800000001" }],
            [new RotationInput { Name = "一线", Layer = "primary", Turn = "daily", Handover = handover, Start = "2026-09-28", Engineers = ["zhangsan"] }]);

        Assert.That(errors.Select(e => e.Field), Is.EqualTo(new[] { "rotations[0].handover" }));
        Assert.That(errors[0].Setting("Contracts:OTQ-2026-OPS:OnCall"), Is.EqualTo("Contracts:OTQ-2026-OPS:OnCall:Rotations:0:Handover"));
    }

    [Test]
    public void ARotationOfNobody_AnUnknownEngineer_AndASecondRotationOnALayer_AreRefused()
    {
        var (engineers, rotations, errors) = RotaRules.Check(
            [new EngineerInput { Id = "zhangsan", Name = "张三", Mobile = "13800000001" }],
            [
                new RotationInput { Name = "一线", Layer = "primary", Turn = "daily", Handover = "08:30", Start = "2026-09-28", Engineers = [] },
                new RotationInput { Name = "二线", Layer = "secondary", Turn = "weekly", Handover = "08:30", Start = "2026-09-28", Engineers = ["zhangsan", "nobody"] },
                new RotationInput { Name = "一线B", Layer = "primary", Turn = "daily", Handover = "08:30", Start = "2026-09-28", Engineers = ["zhangsan"] },
            ]);

        Assert.That(errors.Select(e => e.Field), Is.EqualTo(new[] { "rotations[0].engineers", "rotations[1].engineers" }));
        Assert.That(engineers, Is.Empty, "nothing is taken from a rota that is refused");
        Assert.That(rotations, Is.Empty);
        var (_, _, twice) = RotaRules.Check(
            [new EngineerInput { Id = "zhangsan", Name = "张三", Mobile = "13800000001" }],
            [
                new RotationInput { Name = "一线", Layer = "primary", Turn = "daily", Handover = "08:30", Start = "2026-09-28", Engineers = ["zhangsan"] },
                new RotationInput { Name = "一线B", Layer = "primary", Turn = "daily", Handover = "09:00", Start = "2026-09-28", Engineers = ["zhangsan"] },
            ]);
        Assert.That(twice.Select(e => e.Field), Is.EqualTo(new[] { "rotations[1].layer" }));
    }
}
