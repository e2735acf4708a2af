using System.Text.Json;

namespace Ops.Testing;

/// <summary>The shipped <c>services/contracts.json</c>, as configuration keys, to give a test's second contract every term a contract needs.</summary>
public static class SeedContract
{
    public const string Code = "OTQ-2026-OPS";

    /// <summary>The repository's shipped contracts file.</summary>
    public static string File
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !System.IO.File.Exists(Path.Combine(directory.FullName, "ops.sln")))
            {
                directory = directory.Parent;
            }

            return Path.Combine(directory!.FullName, "services", "contracts.json");
        }
    }

    /// <summary>Every key of the seed contract (<c>Sla:Response</c> → <c>00:30:00</c>), its sites and the sections named in <paramref name="except"/> left out.</summary>
    public static IReadOnlyDictionary<string, string> Terms(params string[] except)
    {
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(File));
        var terms = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Flatten(json.RootElement.GetProperty("Contracts").GetProperty(Code), "", terms);
        return terms.Where(t => !except.Append("Sites").Any(e => t.Key == e || t.Key.StartsWith(e + ":", StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(t => t.Key, t => t.Value);
    }

    /// <summary>Adds a contract <paramref name="code"/> with the seed's terms (less <paramref name="except"/> and its sites) to <paramref name="settings"/>.</summary>
    public static void CopyTo(IDictionary<string, string> settings, string code, params string[] except)
    {
        foreach (var (key, value) in Terms(except))
        {
            settings[$"Contracts:{code}:{key}"] = value;
        }
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", into);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, $"{prefix}:{i++}", into);
                }

                break;
            case JsonValueKind.String:
                into[prefix] = element.GetString()!;
                break;
            default:
                into[prefix] = element.GetRawText();
                break;
        }
    }
}
