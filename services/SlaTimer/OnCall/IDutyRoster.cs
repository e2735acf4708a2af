namespace Ops.SlaTimer.OnCall;

/// <summary>A rota's two layers: the engineer called first, and the one behind them.</summary>
public enum DutyLayer
{
    Primary,
    Secondary,
}

/// <summary>An engineer on a contract's rota (值班表). The mobile is personal data: only notices and callers who may ring back see it whole.</summary>
/// <param name="Id">The rota's own key for the engineer, e.g. <c>zhangsan</c>.</param>
/// <param name="WeComUserId">Their WeCom (企业微信) UserID, when the contract's WeCom app may reach them.</param>
/// <param name="Username">Their local user name in Ops SLA, when they have one.</param>
public sealed record DutyEngineer(string Id, string Name, string Mobile, string? WeComUserId = null, string? Username = null);

/// <summary>Who is on duty on one layer from <see cref="From"/> to <see cref="To"/> (UTC); an override's shift names it.</summary>
public sealed record DutyShift(DutyLayer Layer, DutyEngineer Engineer, DateTimeOffset From, DateTimeOffset To, Guid? OverrideId = null, string? Reason = null);

/// <summary>Who is on duty: the contract's rotations, with the overrides that beat them for their time.</summary>
public interface IDutyRoster
{
    /// <summary>The shift of <paramref name="layer"/> that holds the instant <paramref name="at"/>; null when the rota names nobody then.</summary>
    Task<DutyShift?> OnDutyAsync(string contract, DutyLayer layer, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Every shift of every layer that overlaps [<paramref name="from"/>, <paramref name="to"/>), in order of start; cut to that span.</summary>
    Task<IReadOnlyList<DutyShift>> ShiftsAsync(string contract, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The engineer on the contract's rota whose WeCom UserID this is; null when none is.</summary>
    Task<DutyEngineer?> EngineerByWeComUserAsync(string contract, string weComUserId, CancellationToken cancellationToken = default);
}
