namespace Ops.SlaTimer.OnCall;

/// <summary>How often a rotation passes to the next engineer: every day, or every week, at its hand-over time.</summary>
public enum DutyTurn
{
    Daily,
    Weekly,
}

/// <summary>
/// A rotation (轮值): its engineers take turns on one layer, each for a day or a week, from the hand-over time
/// (Asia/Shanghai) of <see cref="Start"/> on; before then it names nobody. Holidays change nothing: duty runs 7×24.
/// </summary>
public sealed record Rotation(string Name, DutyLayer Layer, DutyTurn Turn, TimeOnly Handover, DateOnly Start, IReadOnlyList<string> Engineers)
{
    public TimeSpan Length => Turn == DutyTurn.Daily ? TimeSpan.FromDays(1) : TimeSpan.FromDays(7);

    /// <summary>The first hand-over, in UTC: Shanghai keeps UTC+8 all year.</summary>
    public DateTimeOffset FirstHandover => new DateTimeOffset(Start.ToDateTime(Handover), TimeSpan.FromHours(8)).ToUniversalTime();
}

/// <summary>An override (换班): <see cref="Engineer"/> takes <see cref="Layer"/> from <see cref="From"/> to <see cref="To"/>, beating the rotation for that time.</summary>
public sealed record DutyOverride(Guid Id, DutyLayer Layer, string Engineer, DateTimeOffset From, DateTimeOffset To, string Reason, string CreatedBy, DateTimeOffset CreatedAt)
{
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => From < to && from < To;
}

/// <summary>A contract's rota: the engineers on it, at most one rotation per layer, and the overrides.</summary>
public sealed record Rota(IReadOnlyList<DutyEngineer> Engineers, IReadOnlyList<Rotation> Rotations, IReadOnlyList<DutyOverride> Overrides)
{
    public static Rota Empty { get; } = new([], [], []);

    public DutyEngineer? Engineer(string id) => Engineers.FirstOrDefault(e => e.Id == id);
}
