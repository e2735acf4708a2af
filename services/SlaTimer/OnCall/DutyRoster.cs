namespace Ops.SlaTimer.OnCall;

/// <summary>Where a contract's rota comes from: saved through the API, given in contracts.json, or nowhere.</summary>
public enum RotaSource
{
    None,
    Api,
    ContractsJson,
}

/// <summary>
/// The roster every part of the sla-timer asks who is on duty: the rota saved through the API, else the one in
/// <c>contracts.json</c>, with the stored overrides, resolved by <see cref="DutyResolution"/>.
/// </summary>
public sealed class DutyRoster(RotaBook book, RotaStore store) : IDutyRoster
{
    /// <summary>The contract's engineers and rotations and where they come from, with the overrides that end after <paramref name="overridesEndingAfter"/>.</summary>
    public async Task<(Rota Rota, RotaSource Source)> RotaAsync(string contract, DateTimeOffset overridesEndingAfter, CancellationToken cancellationToken = default)
    {
        var saved = await store.SavedAsync(contract, cancellationToken);
        var (rota, source) = saved is not null ? (saved, RotaSource.Api)
            : book.Configured(contract) is { } configured ? (configured, RotaSource.ContractsJson)
            : (null, RotaSource.None);
        if (rota is null)
        {
            return (Rota.Empty, source);
        }

        var overrides = await store.OverridesAsync(contract, overridesEndingAfter, cancellationToken);
        return (new Rota(rota.Engineers, rota.Rotations, overrides), source);
    }

    public async Task<DutyShift?> OnDutyAsync(string contract, DutyLayer layer, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var (rota, _) = await RotaAsync(contract, at - DutyResolution.MaxOverride, cancellationToken);
        return DutyResolution.OnDuty(rota, layer, at);
    }

    public async Task<IReadOnlyList<DutyShift>> ShiftsAsync(string contract, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var (rota, _) = await RotaAsync(contract, from, cancellationToken);
        return DutyResolution.Shifts(rota, from, to);
    }

    public async Task<DutyEngineer?> EngineerByWeComUserAsync(string contract, string weComUserId, CancellationToken cancellationToken = default)
    {
        var (rota, _) = await RotaAsync(contract, DateTimeOffset.MaxValue, cancellationToken);
        return rota.Engineers.FirstOrDefault(e => string.Equals(e.WeComUserId, weComUserId, StringComparison.OrdinalIgnoreCase));
    }
}
