using System.Net;
using System.Net.Http.Json;
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
            Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), Is.True, $"names {field}");
        }
    }
}
