using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ops.Hosting.Messaging;

/// <summary>How messages look as JSON, in the outbox and on the bus: camelCase names, enums as camelCase words, times in UTC.</summary>
public static class MessageJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        if (!options.Converters.Any(c => c is JsonStringEnumConverter))
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        }

        return options;
    }
}
