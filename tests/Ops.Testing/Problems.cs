using System.Net;
using System.Text.Json;
using NUnit.Framework;

namespace Ops.Testing;

/// <summary>What a refused request must answer: the status, as <c>application/problem+json</c>, naming the bad field.</summary>
public static class Problems
{
    public static async Task AssertAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        if (field is not null)
        {
            Assert.That((await ReadAsync(response)).GetProperty("errors").TryGetProperty(field, out _), Is.True, $"names {field}");
        }
    }

    /// <summary>What the problem says of <paramref name="field"/>, its messages joined by a line break (read from the JSON, however it escapes its text).</summary>
    public static async Task<string> MessageAsync(HttpResponseMessage response, string field)
    {
        var errors = (await ReadAsync(response)).GetProperty("errors");
        return string.Join("\n", errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()));
    }

    /// <summary>The problem's <c>title</c> and <c>detail</c> (read from the JSON, however it escapes its text).</summary>
    public static async Task<(string? Title, string? Detail)> TextAsync(HttpResponseMessage response)
    {
        var problem = await ReadAsync(response);
        return (problem.GetProperty("title").GetString(), problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
    }

    // From the buffered text, so that the body can be read again (a stream is read once).
    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>A GET as a caller who reads English (<c>Accept-Language: en</c>).</summary>
    public static async Task<HttpResponseMessage> GetInEnglishAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.ParseAdd("en");
        return await client.SendAsync(request);
    }
}
