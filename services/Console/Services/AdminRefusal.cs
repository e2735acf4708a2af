using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.Console.Services;

/// <summary>
/// What the tickets service answered when it refused a change: its words for each field (problem+json <c>errors</c>),
/// and its words for the whole request (<c>detail</c> or <c>title</c>) when no field is named.
/// </summary>
public sealed record AdminRefusal(IReadOnlyDictionary<string, string[]> Fields, string? Message)
{
    /// <summary>The refusal, or throws for what is no refusal (5xx and the like): those end on the status page.</summary>
    public static async Task<AdminRefusal> ReadAsync(HttpResponseMessage response, string? conflictField, CancellationToken cancellationToken)
    {
        if ((int)response.StatusCode is not (400 or 403 or 404 or 409 or 422))
        {
            response.EnsureSuccessStatusCode();
        }

        var fields = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        string? message = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.Array))
                {
                    fields[field.Name] = [.. field.Value.EnumerateArray().Select(m => m.GetString()).OfType<string>()];
                }
            }

            message = Text(problem, "detail") ?? Text(problem, "title");
        }
        catch (JsonException)
        {
            // Not a problem document: the refusal is said without its words below.
        }

        if (fields.Count > 0)
        {
            return new AdminRefusal(fields, null);
        }

        message ??= "操作被拒绝。";
        return conflictField is not null && (int)response.StatusCode == 409
            ? new AdminRefusal(new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { [conflictField] = [message] }, null)
            : new AdminRefusal(fields, message);
    }

    /// <summary>The API's words for a field, its JSON name (<c>“displayName”</c>) replaced by the label a person sees (<c>“姓名”</c>).</summary>
    public IEnumerable<string> For(string field, string label) =>
        Fields.TryGetValue(field, out var messages) ? messages.Select(m => m.Replace($"“{field}”", $"“{label}”", StringComparison.OrdinalIgnoreCase)) : [];

    /// <summary>Words for fields the page has no place for, so that nothing the API said is lost.</summary>
    public IEnumerable<string> Others(IEnumerable<string> shown) =>
        Fields.Where(f => !shown.Contains(f.Key, StringComparer.OrdinalIgnoreCase)).SelectMany(f => f.Value);

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(text.GetString()) ? text.GetString() : null;
}
