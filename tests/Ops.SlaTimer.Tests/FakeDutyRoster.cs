using Ops.SlaTimer.OnCall;

namespace Ops.SlaTimer.Tests;

/// <summary>A rota the test writes shift by shift, standing in for the contract's real one.</summary>
internal sealed class FakeDutyRoster : IDutyRoster
{
    public List<DutyShift> Shifts { get; } = [];

    public Task<DutyShift?> OnDutyAsync(string contract, DutyLayer layer, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult(Shifts.LastOrDefault(s => s.Layer == layer && s.From <= at && at < s.To));

    public Task<IReadOnlyList<DutyShift>> ShiftsAsync(string contract, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<DutyShift>>([.. Shifts.Where(s => s.From < to && from < s.To).OrderBy(s => s.From)
            .Select(s => s with { From = s.From < from ? from : s.From, To = s.To > to ? to : s.To })]);

    public Task<DutyEngineer?> EngineerByWeComUserAsync(string contract, string weComUserId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Shifts.Select(s => s.Engineer).FirstOrDefault(e => e.WeComUserId == weComUserId));
}
