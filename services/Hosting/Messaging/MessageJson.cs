using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ops.Hosting.Messaging;

/// <summary>How messages look as JSON, in the outbox and on the bus: camelCase names, enums as camelCase words, times in UTC, Chinese as UTF-8.</summary>
public static class MessageJson
{
    /// <summary>How every JSON the services write escapes text: Chinese stays UTF-8, not <c>\uXXXX</c>, and <c>+08:00</c> stays <c>+08:00</c>.</summary>
    // Relaxed, not Create(UnicodeRanges.All), which still escapes < > & ' +: JSON is served as application/json, and the console HTML-encodes what it renders.
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Encoder = Encoder;
        if (!options.Converters.Any(c => c is JsonStringEnumConverter))
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        }

        return options;
    }
}
