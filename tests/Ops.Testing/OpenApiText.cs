using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ops.Testing;

/// <summary>What an integrator reads in a service's OpenAPI document, checked: descriptions, not code; names as the JSON spells them.</summary>
public static partial class OpenApiText
{
    /// <summary>Every text of the document that names a code symbol (<c>Ops.…</c>) instead of describing it, with where it is.</summary>
    public static IReadOnlyList<string> CodeReferences(JsonElement document)
    {
        var found = new List<string>();
        Walk(document, "#", found);
        return found;
    }

    /// <summary>Every parameter (query, route or header) whose name is not camelCase, as <c>GET /api/tickets ?Status</c>.</summary>
    public static IReadOnlyList<string> NotCamelCaseParameters(JsonElement document) =>
    [
        .. from path in document.GetProperty("paths").EnumerateObject()
           from operation in path.Value.EnumerateObject()
           where operation.Value.ValueKind == JsonValueKind.Object && operation.Value.TryGetProperty("parameters", out _)
           from parameter in operation.Value.GetProperty("parameters").EnumerateArray()
           let name = parameter.GetProperty("name").GetString()!
           where parameter.GetProperty("in").GetString() != "header" && !CamelCase().IsMatch(name)
           select $"{operation.Name.ToUpperInvariant()} {path.Name} {parameter.GetProperty("in").GetString()} {name}",
    ];

    private static void Walk(JsonElement element, string where, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, $"{where}/{property.Name}", found);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{where}/{i++}", found);
                }

                break;
            case JsonValueKind.String when CodeReference().Match(element.GetString()!) is { Success: true } match:
                found.Add($"{where}: {match.Value}");
                break;
        }
    }

    [GeneratedRegex(@"\bOps\.[A-Za-z]")]
    private static partial Regex CodeReference();

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex CamelCase();
}
