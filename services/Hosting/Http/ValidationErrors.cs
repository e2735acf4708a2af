using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ops.Hosting.Http;

/// <summary>Collects what is wrong with a request, field by field, for one problem+json answer.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    /// <summary>True while nothing is wrong with <paramref name="field"/>.</summary>
    public bool IsValid(string field) => !errors.ContainsKey(field);

    public ValidationErrors Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    /// <summary>
    /// Adds an error when <paramref name="value"/> is missing, blank, longer than <paramref name="maxLength"/>
    /// or holds characters <paramref name="kind"/> refuses (<see cref="PlainText"/>).
    /// </summary>
    public ValidationErrors RequireText(string field, string? value, int maxLength, TextKind kind = TextKind.Line)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, L10n.Of($"“{field}”为必填项。", $"'{field}' is required."));
        }

        return LimitText(field, value, maxLength, kind);
    }

    /// <summary>Adds an error when <paramref name="value"/> is present and longer than <paramref name="maxLength"/> or holds characters <paramref name="kind"/> refuses.</summary>
    public ValidationErrors LimitText(string field, string? value, int maxLength, TextKind kind = TextKind.Line) =>
        value is not null && value.Length > maxLength ? Add(field, L10n.Of($"“{field}”最多 {maxLength} 个字符。", $"'{field}' must be at most {maxLength} characters."))
        : PlainText.Problem(field, value, kind) is { } problem ? Add(field, problem)
        : this;

    public IReadOnlyDictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(ToDictionary(), title: Title);

    /// <summary>The title of a problem that lists field errors.</summary>
    public static string Title => L10n.Of("请求有误，请按各字段的说明更正。", "One or more validation errors occurred.");
}
