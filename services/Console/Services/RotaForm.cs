namespace Ops.Console.Services;

/// <summary>One engineer's row of the rota form, as typed.</summary>
public sealed record EngineerRow(string Id, string Name, string Mobile, string WeComUserId, string Username)
{
    public bool IsBlank => string.IsNullOrWhiteSpace(Id + Name + Mobile + WeComUserId + Username);
}

/// <summary>One rotation's row of the rota form, as typed: its engineers in order, by name or id, separated by spaces, commas or “、”.</summary>
public sealed record RotationRow(string Name, string Layer, string Turn, string Handover, string Start, string Engineers)
{
    /// <summary>Nothing typed: the offered hand-over time, layer and turn alone do not make a rotation.</summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(Name + Start + Engineers);
}

/// <summary>
/// The rota form of the 值班表 (engineers and rotations in rows, a few blank ones to add to) and what it sends to the
/// sla-timer. It checks nothing the API checks: the API's refusal names the field.
/// </summary>
public static class RotaForm
{
    /// <summary>Blank rows offered below the saved ones.</summary>
    public const int BlankEngineers = 3;

    public const int BlankRotations = 2;

    public static List<EngineerRow> Rows(IEnumerable<OnCallEngineer> engineers) =>
        [.. engineers.Select(e => new EngineerRow(e.Id, e.Name, e.Mobile, e.WeComUserId ?? "", e.Username ?? "")),
         .. Enumerable.Repeat(new EngineerRow("", "", "", "", ""), BlankEngineers)];

    public static List<RotationRow> Rows(OnCallRota rota) =>
        [.. rota.Rotations.Select(r => new RotationRow(r.Name, r.Layer, r.Turn, r.Handover, r.Start,
                string.Join("、", r.Engineers.Select(id => rota.Engineers.FirstOrDefault(e => e.Id == id)?.Name ?? id)))),
         .. Enumerable.Range(0, BlankRotations).Select(_ => new RotationRow("", "primary", "daily", "08:30", "", ""))];

    /// <summary>The typed rows as the API takes them: blank rows left out, an engineer without an id given one, names in a rotation read as ids.</summary>
    public static (List<OnCallEngineer> Engineers, List<OnCallRotation> Rotations) ToApi(IReadOnlyList<EngineerRow> engineerRows, IReadOnlyList<RotationRow> rotationRows)
    {
        var engineers = new List<OnCallEngineer>();
        foreach (var row in engineerRows.Where(r => !r.IsBlank))
        {
            var id = row.Id.Trim();
            if (id.Length == 0)
            {
                // A new engineer needs no made-up code: the rota numbers them; rotations may name them by name.
                var n = engineers.Count + 1;
                while (engineers.Any(e => e.Id == $"e{n}") || engineerRows.Any(r => r.Id.Trim() == $"e{n}"))
                {
                    n++;
                }

                id = $"e{n}";
            }

            engineers.Add(new OnCallEngineer(id, row.Name.Trim(), row.Mobile.Trim(), Blank(row.WeComUserId), Blank(row.Username)));
        }

        var rotations = rotationRows.Where(r => !r.IsBlank).Select(r => new OnCallRotation(
            r.Name.Trim(), r.Layer.Trim(), r.Turn.Trim(), r.Handover.Trim(), r.Start.Trim(),
            (Scopes.Parse(r.Engineers) ?? []).Select(token => engineers.FirstOrDefault(e => e.Id == token)?.Id
                ?? engineers.FirstOrDefault(e => e.Name == token)?.Id
                ?? token).ToList())).ToList();
        return (engineers, rotations);
    }

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
