using System.Globalization;
using System.Text.RegularExpressions;
using Ops.Hosting.Contracts;
using Ops.Hosting.Http;

namespace Ops.SlaTimer.OnCall;

/// <summary>An engineer as a manager or <c>contracts.json</c> writes it, before it is checked.</summary>
public sealed class EngineerInput : EngineerEntry;

/// <summary>A rotation as a manager or <c>contracts.json</c> writes it, before it is checked: layer primary|secondary, turn daily|weekly, handover "08:30", start "2026-02-28".</summary>
public sealed class RotationInput : RotationEntry;

/// <summary>One thing wrong with a rota, by its field as the API names it (<c>rotations[0].handover</c>).</summary>
public sealed record RotaError(string Field, string Chinese, string English)
{
    public string Message => L10n.Of(Chinese, English);

    /// <summary>The field as a setting under <paramref name="section"/>: <c>rotations[0].handover</c> → <c>{section}:Rotations:0:Handover</c>.</summary>
    public string Setting(string section) =>
        string.Join(':', new[] { section }.Concat(Field.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal)
            .Split('.').Select(p => char.ToUpperInvariant(p[0]) + p[1..])));
}

/// <summary>The rules of a rota's engineers and rotations, the same for the API and for <c>contracts.json</c>.</summary>
public static partial class RotaRules
{
    public const int MaxEngineers = 200;

    /// <summary>The engineers and rotations, or what is wrong with them (nothing is taken then).</summary>
    public static (IReadOnlyList<DutyEngineer> Engineers, IReadOnlyList<Rotation> Rotations, IReadOnlyList<RotaError> Errors) Check(
        IReadOnlyList<EngineerEntry>? engineers, IReadOnlyList<RotationEntry>? rotations)
    {
        var errors = new List<RotaError>();
        var people = new List<DutyEngineer>();
        if (engineers is null || engineers.Count == 0)
        {
            errors.Add(new("engineers", "“engineers”须至少列出一名值班工程师。", "'engineers' must list at least one engineer."));
        }
        else if (engineers.Count > MaxEngineers)
        {
            errors.Add(new("engineers", $"“engineers”最多 {MaxEngineers} 人。", $"'engineers' must list at most {MaxEngineers}."));
        }
        else
        {
            for (var i = 0; i < engineers.Count; i++)
            {
                if (Engineer(engineers[i] ?? new EngineerInput(), $"engineers[{i}]", errors) is { } engineer)
                {
                    if (people.Any(p => p.Id == engineer.Id))
                    {
                        errors.Add(new($"engineers[{i}].id", $"“engineers[{i}].id”重复：{engineer.Id}。", $"'engineers[{i}].id' repeats {engineer.Id}."));
                    }
                    else if (engineer.WeComUserId is { } user && people.Any(p => string.Equals(p.WeComUserId, user, StringComparison.OrdinalIgnoreCase)))
                    {
                        errors.Add(new($"engineers[{i}].weComUserId", $"“engineers[{i}].weComUserId”重复：{user}。", $"'engineers[{i}].weComUserId' repeats {user}."));
                    }
                    else
                    {
                        people.Add(engineer);
                    }
                }
            }
        }

        var turns = new List<Rotation>();
        if (rotations is null || rotations.Count == 0)
        {
            errors.Add(new("rotations", "“rotations”须至少有一个轮值。", "'rotations' must hold at least one rotation."));
        }
        else
        {
            for (var i = 0; i < rotations.Count; i++)
            {
                if (Rotation(rotations[i] ?? new RotationInput(), $"rotations[{i}]", engineers, errors) is { } rotation)
                {
                    if (turns.Any(t => t.Layer == rotation.Layer))
                    {
                        // One rotation per layer: two would leave it unclear who is called.
                        errors.Add(new($"rotations[{i}].layer", $"“rotations[{i}].layer”：每一层只能有一个轮值，{Layer(rotation.Layer)}已有。", $"'rotations[{i}].layer': a layer has one rotation, and {Layer(rotation.Layer)} has one already."));
                    }
                    else
                    {
                        turns.Add(rotation);
                    }
                }
            }
        }

        return errors.Count == 0 ? (people, turns, errors) : ([], [], errors);
    }

    public static string Layer(DutyLayer layer) => layer.ToString().ToLowerInvariant();

    private static DutyEngineer? Engineer(EngineerEntry e, string at, List<RotaError> errors)
    {
        var before = errors.Count;
        var id = e.Id?.Trim();
        if (!QueryValues.IsReference(id))
        {
            errors.Add(new($"{at}.id", $"“{at}.id”为必填项：1 至 64 个字母、数字或 - . _。", $"'{at}.id' is required: 1 to 64 letters, digits, '-', '.' or '_'."));
        }

        var name = e.Name?.Trim();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 50 || PlainText.Problem("name", name, TextKind.Line) is not null)
        {
            errors.Add(new($"{at}.name", $"“{at}.name”为必填项，最多 50 个字符。", $"'{at}.name' is required, at most 50 characters."));
        }

        var mobile = e.Mobile?.Trim();
        if (mobile is null || !Mobile().IsMatch(mobile))
        {
            errors.Add(new($"{at}.mobile", $"“{at}.mobile”须为 11 位手机号码，如 13800000000。", $"'{at}.mobile' must be an 11-digit mobile number, e.g. 13800000000."));
        }

        var weCom = string.IsNullOrWhiteSpace(e.WeComUserId) ? null : e.WeComUserId.Trim();
        if (weCom is not null && !WeComUserId().IsMatch(weCom))
        {
            errors.Add(new($"{at}.weComUserId", $"“{at}.weComUserId”须为企业微信 UserID：1 至 64 个字母、数字或 - . _ @。", $"'{at}.weComUserId' must be a WeCom UserID: 1 to 64 letters, digits, '-', '.', '_' or '@'."));
        }

        var username = string.IsNullOrWhiteSpace(e.Username) ? null : e.Username.Trim();
        if (username is not null && !QueryValues.IsReference(username))
        {
            errors.Add(new($"{at}.username", $"“{at}.username”须为用户名：1 至 64 个字母、数字或 - . _。", $"'{at}.username' must be a username: 1 to 64 letters, digits, '-', '.' or '_'."));
        }

        return errors.Count == before ? new DutyEngineer(id!, name!, mobile!, weCom, username) : null;
    }

    private static Rotation? Rotation(RotationEntry r, string at, IReadOnlyList<EngineerEntry>? engineers, List<RotaError> errors)
    {
        var before = errors.Count;
        var name = r.Name?.Trim();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 50 || PlainText.Problem("name", name, TextKind.Line) is not null)
        {
            errors.Add(new($"{at}.name", $"“{at}.name”为必填项，最多 50 个字符。", $"'{at}.name' is required, at most 50 characters."));
        }

        var layer = Choice<DutyLayer>(r.Layer, $"{at}.layer", errors);
        var turn = Choice<DutyTurn>(r.Turn, $"{at}.turn", errors);
        var handover = r.Handover?.Trim() is { } h && Handover().IsMatch(h) ? TimeOnly.ParseExact(h, "HH:mm", CultureInfo.InvariantCulture) : (TimeOnly?)null;
        if (handover is null)
        {
            errors.Add(new($"{at}.handover", $"“{at}.handover”须为北京时间的交班时刻 HH:mm，如 08:30。", $"'{at}.handover' must be the hand-over time in Asia/Shanghai as HH:mm, e.g. 08:30."));
        }

        DateOnly? start = DateOnly.TryParseExact(r.Start?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var s) && s.Year is >= 2000 and <= 2099 ? s : null;
        if (start is null)
        {
            errors.Add(new($"{at}.start", $"“{at}.start”须为轮值开始的日期 yyyy-MM-dd，如 2026-02-28。", $"'{at}.start' must be the date the rotation starts as yyyy-MM-dd, e.g. 2026-02-28."));
        }

        var ids = r.Engineers?.Select(id => id?.Trim() ?? "").ToList() ?? [];
        if (ids.Count == 0)
        {
            errors.Add(new($"{at}.engineers", $"“{at}.engineers”须至少列出一名工程师：没有人的轮值不能值班。", $"'{at}.engineers' must name at least one engineer: a rotation of nobody cannot be on duty."));
        }
        else if (ids.Count > MaxEngineers)
        {
            errors.Add(new($"{at}.engineers", $"“{at}.engineers”最多 {MaxEngineers} 人。", $"'{at}.engineers' must name at most {MaxEngineers}."));
        }
        else if (ids.FirstOrDefault(id => engineers?.Any(e => e?.Id?.Trim() == id) != true) is { } unknown)
        {
            errors.Add(new($"{at}.engineers", $"“{at}.engineers”中的“{unknown}”不在值班工程师（engineers）之列。", $"'{at}.engineers' names '{unknown}', who is not among the engineers."));
        }

        return errors.Count == before ? new Rotation(name!, layer!.Value, turn!.Value, handover!.Value, start!.Value, ids) : null;
    }

    private static T? Choice<T>(string? value, string field, List<RotaError> errors)
        where T : struct, Enum
    {
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            var zh = string.Join("、", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
            var en = string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
            errors.Add(new(field, $"“{field}”须为以下之一：{zh}。", $"'{field}' must be one of: {en}."));
            return null;
        }

        return Enum.Parse<T>(name);
    }

    [GeneratedRegex(@"^1[3-9]\d{9}\z")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^[A-Za-z0-9_.@-]{1,64}\z")]
    private static partial Regex WeComUserId();

    [GeneratedRegex(@"^([01]\d|2[0-3]):[0-5]\d\z")]
    private static partial Regex Handover();
}
