namespace Ops.SlaTimer.OnCall;

/// <summary>
/// Who is on duty, as pure arithmetic over a rota: on each layer an override first, then the layer's rotation.
/// A shift runs from its start inclusive to its end exclusive, so at a hand-over instant the incoming engineer is on duty.
/// </summary>
public static class DutyResolution
{
    /// <summary>The longest override: a swap for a holiday or a leave, not a second rotation.</summary>
    public static readonly TimeSpan MaxOverride = TimeSpan.FromDays(31);

    /// <summary>How far <see cref="Next"/> looks for the next shift when nobody is on duty now.</summary>
    public static readonly TimeSpan Lookahead = TimeSpan.FromDays(62);

    /// <summary>Every shift of every layer that overlaps [<paramref name="from"/>, <paramref name="to"/>), cut to that span, in order of start (primary first).</summary>
    public static IReadOnlyList<DutyShift> Shifts(Rota rota, DateTimeOffset from, DateTimeOffset to) =>
        [.. Enum.GetValues<DutyLayer>().SelectMany(layer => LayerShifts(rota, layer, from, to)).OrderBy(s => s.From).ThenBy(s => s.Layer)];

    /// <summary>The shift of <paramref name="layer"/> that holds <paramref name="at"/>, whole (not cut to the instant); null when nobody is on duty.</summary>
    public static DutyShift? OnDuty(Rota rota, DutyLayer layer, DateTimeOffset at)
    {
        // No shift is longer than an override may be, so this window holds the whole of the shift at the instant.
        var margin = MaxOverride + TimeSpan.FromDays(1);
        return LayerShifts(rota, layer, at - margin, at + margin).FirstOrDefault(s => s.From <= at && at < s.To);
    }

    /// <summary>The next hand-over on <paramref name="layer"/> after <paramref name="at"/> and the shift that begins then; nulls when none lies within <see cref="Lookahead"/>.</summary>
    public static (DateTimeOffset? Handover, DutyShift? Shift) Next(Rota rota, DutyLayer layer, DateTimeOffset at)
    {
        var current = OnDuty(rota, layer, at);
        var after = current?.To ?? at;
        var next = LayerShifts(rota, layer, after, after + Lookahead).FirstOrDefault();
        if (next is null)
        {
            return (current?.To, null);
        }

        return (next.From, next);
    }

    /// <summary>The shifts of one layer over [<paramref name="from"/>, <paramref name="to"/>): the overrides, and the rotation's turns where no override is.</summary>
    public static IReadOnlyList<DutyShift> LayerShifts(Rota rota, DutyLayer layer, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return [];
        }

        var overrides = rota.Overrides
            .Where(o => o.Layer == layer && o.Overlaps(from, to) && rota.Engineer(o.Engineer) is not null)
            .OrderBy(o => o.From)
            .ToList();
        var shifts = new List<DutyShift>();
        foreach (var o in overrides)
        {
            shifts.Add(new DutyShift(layer, rota.Engineer(o.Engineer)!, Max(o.From, from), Min(o.To, to), o.Id, o.Reason));
        }

        foreach (var turn in Turns(rota, layer, from, to))
        {
            var start = turn.From;
            foreach (var o in overrides.Where(o => o.Overlaps(turn.From, turn.To)))
            {
                if (o.From > start)
                {
                    shifts.Add(turn with { From = start, To = o.From });
                }

                start = Max(start, o.To);
            }

            if (start < turn.To)
            {
                shifts.Add(turn with { From = start });
            }
        }

        return [.. shifts.OrderBy(s => s.From)];
    }

    /// <summary>The rotation's turns on the layer over the span, cut to it; the first rotation listed for a layer is the one that counts.</summary>
    private static IEnumerable<DutyShift> Turns(Rota rota, DutyLayer layer, DateTimeOffset from, DateTimeOffset to)
    {
        var rotation = rota.Rotations.FirstOrDefault(r => r.Layer == layer);
        var engineers = rotation?.Engineers.Select(rota.Engineer).ToList();
        if (rotation is null || engineers is null || engineers.Count == 0 || engineers.Any(e => e is null))
        {
            yield break;
        }

        var first = rotation.FirstHandover;
        var length = rotation.Length;
        var turn = from <= first ? 0 : (from - first).Ticks / length.Ticks;
        for (var start = first + (length * turn); start < to; turn++, start += length)
        {
            yield return new DutyShift(layer, engineers[(int)(turn % engineers.Count)]!, Max(start, from), Min(start + length, to));
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
