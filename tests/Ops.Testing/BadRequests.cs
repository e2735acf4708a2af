using System.Text;
using System.Text.Json.Nodes;

namespace Ops.Testing;

/// <summary>
/// An endpoint to attack with bad input: a valid body to spoil (every spoiling below is invalid for any
/// body: wrong JSON types, broken JSON, oversize, wrong media type), values known to be wrong for
/// single fields, and query strings known to be wrong.
/// </summary>
public sealed record BadInputTarget(
    string Method,
    string Path,
    string? ValidBody = null,
    IReadOnlyDictionary<string, JsonNode?[]>? WrongValues = null,
    IReadOnlyList<string>? WrongQueries = null);

/// <summary>Generates bad requests, reproducibly from a seed.</summary>
public static class BadRequests
{
    /// <summary>Text that tries to break out of a SQL string, a script, a path or a format.</summary>
    public static readonly string[] Injections =
    [
        "' OR '1'='1", "'; DROP TABLE tickets; --", "\" OR 1=1 --", "1; DELETE FROM deductions", "<script>alert(1)</script>",
        "../../etc/passwd", "%00", "${jndi:ldap://x}", "{{7*7}}", "%27%20OR%201=1", "\u0000", "OTQ' --", "1 UNION SELECT * FROM users",
    ];

    public static IEnumerable<HttpRequestMessage> Generate(IReadOnlyList<BadInputTarget> targets, int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var target = targets[random.Next(targets.Count)];
            yield return target.ValidBody is null ? BadQuery(target, random) : BadBody(target, random);
        }
    }

    private static HttpRequestMessage BadQuery(BadInputTarget target, Random random)
    {
        var queries = target.WrongQueries ?? [];
        var query = queries.Count == 0 ? "" : queries[random.Next(queries.Count)];
        if (queries.Count > 1 && random.Next(3) == 0)
        {
            query += "&" + queries[random.Next(queries.Count)];
        }

        return new HttpRequestMessage(new HttpMethod(target.Method), $"{target.Path}?{query}");
    }

    private static HttpRequestMessage BadBody(BadInputTarget target, Random random)
    {
        var valid = target.ValidBody!;
        var mediaType = "application/json";
        string body;
        switch (random.Next(7))
        {
            case 0 or 1 when target.WrongValues is { Count: > 0 } wrong:
            {
                var (field, values) = wrong.ElementAt(random.Next(wrong.Count));
                body = With(valid, field, values[random.Next(values.Length)]?.DeepClone());
                break;
            }

            case 2 when JsonNode.Parse(valid) is JsonObject node && node.Any(f => f.Value is not null):
            {
                // A field of the wrong JSON type: text where a number, object or time belongs and the reverse.
                var present = node.Where(f => f.Value is not null).Select(f => f.Key).ToList();
                var field = present[random.Next(present.Count)];
                body = With(valid, field, WrongType(node[field], random));
                break;
            }

            case 2 or 3:
                body = valid[..random.Next(1, Math.Max(2, valid.Length - 1))];
                break;
            case 4:
                body = random.Next(2) == 0 ? valid + "}" + Injections[random.Next(Injections.Length)] : "[" + valid;
                break;
            case 5:
                body = valid.Replace("}", $",\"padding\":\"{new string('x', 300 * 1024)}\"}}", StringComparison.Ordinal);
                break;
            default:
                body = valid;
                mediaType = random.Next(2) == 0 ? "text/plain" : "application/x-www-form-urlencoded";
                break;
        }

        return new HttpRequestMessage(new HttpMethod(target.Method), target.Path)
        {
            Content = new StringContent(body, Encoding.UTF8, mediaType),
        };
    }

    private static string With(string valid, string field, JsonNode? value)
    {
        var node = JsonNode.Parse(valid)!.AsObject();
        node[field] = value;
        return node.ToJsonString();
    }

    /// <summary>
    /// Characters no text field takes: NUL, an ANSI escape sequence, BEL, a lone CR, C1's NEL, the bidi overrides,
    /// isolates and marks, zero-width space, word joiner, soft hyphen, the byte-order mark and the line separator.
    /// (Line breaks and tabs are left out: descriptions and reasons take them.)
    /// </summary>
    public static readonly string[] HiddenCharacters =
    [
        "\u0000", "\u001b[31m", "\u0007", "\r", "\u0085", "\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c",
        "\u200b", "\u2060", "\u00ad", "\ufeff", "\u2028",
    ];

    /// <summary>
    /// Every text field of every target's valid body (nested ones too, named like <c>reporter.name</c>) with each of
    /// <see cref="HiddenCharacters"/> put inside its valid value, where trimming cannot take it away; each request
    /// must be refused with a problem naming <c>Field</c>. Fields in <paramref name="except"/> (a password) are left out.
    /// </summary>
    public static IEnumerable<(HttpRequestMessage Request, string Field)> WithHiddenCharacters(IReadOnlyList<BadInputTarget> targets, params string[] except)
    {
        foreach (var target in targets.Where(t => t.ValidBody is not null))
        {
            foreach (var field in TextFields(JsonNode.Parse(target.ValidBody!)!, "").Where(f => !except.Contains(f)))
            {
                foreach (var hidden in HiddenCharacters)
                {
                    var body = JsonNode.Parse(target.ValidBody!)!;
                    var parent = field.Split('.')[..^1].Aggregate(body, (node, name) => node[name]!);
                    var name = field.Split('.')[^1];
                    var valid = parent[name]!.GetValue<string>();
                    var middle = valid.Length / 2;
                    parent[name] = valid.Length < 2 ? valid + hidden + valid : valid[..middle] + hidden + valid[middle..];
                    yield return (new HttpRequestMessage(new HttpMethod(target.Method), target.Path)
                    {
                        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
                    }, field);
                }
            }
        }
    }

    private static IEnumerable<string> TextFields(JsonNode node, string path) => node switch
    {
        JsonObject o => o.Where(f => f.Value is not null).SelectMany(f => TextFields(f.Value!, path.Length == 0 ? f.Key : $"{path}.{f.Key}")),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [path],
        _ => [],
    };

    private static JsonNode WrongType(JsonNode? current, Random random) => current?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => random.Next(3) switch { 0 => JsonValue.Create(42), 1 => new JsonArray(), _ => new JsonObject() },
        System.Text.Json.JsonValueKind.Number => random.Next(2) == 0 ? JsonValue.Create("many") : new JsonArray(1, 2),
        System.Text.Json.JsonValueKind.Object => random.Next(2) == 0 ? JsonValue.Create("someone") : JsonValue.Create(7),
        _ => new JsonArray("not", "a", current?.GetValueKind().ToString().ToLowerInvariant()),
    };
}
