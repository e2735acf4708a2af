using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.Console.Services;

/// <summary>An engineer on a contract's rota; the mobile is whole for engineers and managers, masked (<c>138****0000</c>) for auditors.</summary>
public sealed record OnCallEngineer(string Id, string Name, string Mobile, string? WeComUserId, string? Username);

/// <summary>Who is on duty on one layer (<c>primary|secondary</c>) from <c>from</c> to <c>to</c>; an override's shift names it and why.</summary>
public sealed record OnCallShift(string? Layer, OnCallEngineer Engineer, DateTimeOffset From, DateTimeOffset To, Guid? OverrideId, string? Reason);

/// <summary>One layer now: its shift (none when the rota names nobody), the next hand-over and who takes over then.</summary>
public sealed record OnCallLayerNow(string Layer, OnCallShift? Shift, DateTimeOffset? NextHandover, OnCallShift? Next);

/// <summary>Who is on duty at <c>at</c> on each layer of a contract.</summary>
public sealed record OnCallNow(string Contract, DateTimeOffset At, List<OnCallLayerNow> Layers);

/// <summary>The resolved shifts of every layer in [<c>from</c>, <c>to</c>).</summary>
public sealed record OnCallSchedule(string Contract, DateTimeOffset From, DateTimeOffset To, List<OnCallShift> Shifts);

/// <summary>A rotation: engineers (by id, in order) take turns daily or weekly, handing over at <c>handover</c> (<c>08:30</c>, Shanghai) from <c>start</c> (<c>2026-02-28</c>).</summary>
public sealed record OnCallRotation(string Name, string Layer, string Turn, string Handover, string Start, List<string> Engineers);

/// <summary>An override (换班): the engineer (by id) takes the layer from <c>from</c> to <c>to</c>, for a reason.</summary>
public sealed record OnCallOverride(Guid Id, string Layer, string Engineer, DateTimeOffset From, DateTimeOffset To, string Reason, string? CreatedBy, DateTimeOffset? CreatedAt);

/// <summary>A contract's saved rota; <c>source</c> says where it comes from: <c>api</c>, <c>contracts.json</c> or <c>none</c>.</summary>
public sealed record OnCallRota(
    string Contract, string Source, List<OnCallEngineer> Engineers, List<OnCallRotation> Rotations, List<OnCallOverride> Overrides,
    string? ChangedBy, DateTimeOffset? ChangedAt);

/// <summary>What the sla-timer answered: the value, or its refusal in its own (Chinese) words; both none for a contract outside the caller's scope.</summary>
public sealed record OnCallAnswer<T>(T? Value, string? Refusal) where T : class;

/// <summary>The sla-timer's rota (值班表, <c>/api/oncall/{contract}</c>): who is on duty, the week's shifts, and a manager's changes.</summary>
public sealed class OnCallService(HttpClient http)
{
    /// <summary>The layers in the order a page shows them, with their names.</summary>
    public static readonly IReadOnlyList<(string Layer, string Name)> Layers = [("primary", "主班"), ("secondary", "备班")];

    /// <summary>The turns a rotation may take, with their names.</summary>
    public static readonly IReadOnlyList<(string Turn, string Name)> Turns = [("daily", "每天轮换"), ("weekly", "每周轮换")];

    public static string LayerName(string? layer) => Layers.FirstOrDefault(l => l.Layer == layer).Name ?? layer ?? "";

    public static string TurnName(string? turn) => Turns.FirstOrDefault(t => t.Turn == turn).Name ?? turn ?? "";

    /// <summary>Who is on duty now on each layer; none for a contract outside the caller's scope.</summary>
    public async Task<OnCallNow?> NowAsync(string contract, CancellationToken cancellationToken = default) =>
        (await GetAsync<OnCallNow>($"{Base(contract)}/now", cancellationToken)).Value;

    /// <summary>The shifts of every layer in [<paramref name="from"/>, <paramref name="to"/>) (at most 62 days).</summary>
    public Task<OnCallAnswer<OnCallSchedule>> ScheduleAsync(string contract, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        GetAsync<OnCallSchedule>($"{Base(contract)}/schedule?from={Iso(from)}&to={Iso(to)}", cancellationToken);

    /// <summary>The saved rota: engineers, rotations and overrides.</summary>
    public Task<OnCallAnswer<OnCallRota>> RotaAsync(string contract, CancellationToken cancellationToken = default) =>
        GetAsync<OnCallRota>($"{Base(contract)}/rotations", cancellationToken);

    /// <summary>Sets the contract's engineers and rotations (managers); the refusal names the field.</summary>
    public async Task<OnCallAnswer<OnCallRota>> SaveRotaAsync(
        string contract, IReadOnlyList<OnCallEngineer> engineers, IReadOnlyList<OnCallRotation> rotations, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"{Base(contract)}/rotations", new { engineers, rotations }, cancellationToken);
        return response.IsSuccessStatusCode
            ? new(await response.Content.ReadFromJsonAsync<OnCallRota>(cancellationToken), null)
            : new(null, await RefusedAsync(response, cancellationToken));
    }

    /// <summary>Adds an override (managers); one overlapping another of the same layer is refused (<c>Overlaps</c>).</summary>
    public async Task<(string? Refusal, bool Overlaps)> AddOverrideAsync(
        string contract, string layer, string engineer, DateTimeOffset from, DateTimeOffset to, string? reason, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"{Base(contract)}/overrides", new { layer, engineer, from, to, reason }, cancellationToken);
        return response.IsSuccessStatusCode ? (null, false) : (await RefusedAsync(response, cancellationToken), response.StatusCode == HttpStatusCode.Conflict);
    }

    /// <summary>Removes an override (managers): the rotation holds again for its time.</summary>
    public async Task<string?> RemoveOverrideAsync(string contract, Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"{Base(contract)}/overrides/{id}", cancellationToken);
        return response.IsSuccessStatusCode ? null : await RefusedAsync(response, cancellationToken);
    }

    private async Task<OnCallAnswer<T>> GetAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new(null, null);
        }

        if ((int)response.StatusCode is 400 or 422)
        {
            return new(null, await RefusedAsync(response, cancellationToken));
        }

        response.EnsureSuccessStatusCode();
        return new(await response.Content.ReadFromJsonAsync<T>(cancellationToken), null);
    }

    /// <summary>A refusal the page can show (400, 403, 404, 409, 422); anything else is a failure of the service.</summary>
    private static async Task<string> RefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if ((int)response.StatusCode is not (400 or 403 or 404 or 409 or 422))
        {
            response.EnsureSuccessStatusCode();
        }

        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                var messages = errors.EnumerateObject()
                    .SelectMany(e => e.Value.EnumerateArray().Select(m => m.GetString()).OfType<string>().Select(m => OnCallFields.Labelled(m, e.Name)))
                    .ToList();
                if (messages.Count > 0)
                {
                    return string.Join(" ", messages);
                }
            }

            foreach (var name in (string[])["detail", "title"])
            {
                if (problem.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(text.GetString()))
                {
                    return text.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the refusal is said without its words below.
        }

        return response.StatusCode == HttpStatusCode.Conflict ? "与已有的换班时间重叠。" : "操作被拒绝。";
    }

    private static string Base(string contract) => $"api/oncall/{Uri.EscapeDataString(contract)}";

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
