using System.Net.Http.Json;
using System.Text.Json;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>The OpenAPI document is written for the integrator: no code references, parameters named as the JSON names things, the report's fields in Chinese.</summary>
public class OpenApiTests : ServiceTests<Program>
{
    [Test]
    public async Task OpenApiDocument_NamesNoCodeSymbols_AndItsParametersAreCamelCase()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

        var list = document.GetProperty("paths").GetProperty("/api/tickets").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(OpenApiText.CodeReferences(document), Is.Empty);
            Assert.That(OpenApiText.NotCamelCaseParameters(document), Is.Empty);
            Assert.That(list, Does.Contain("status").And.Contain("siteCode").And.Contain("limit"));
        }
    }

    [TestCase("ReportTicketRequest")]
    [TestCase("ReporterRequest")]
    public async Task TheFieldsOfAReport_AreDescribedInChinese(string schema)
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

        var described = document.GetProperty("components").GetProperty("schemas").GetProperty(schema);
        // A field that is an object of its own (the reporter) is described by that object's schema.
        var fields = described.GetProperty("properties").EnumerateObject().Where(f => !f.Value.TryGetProperty("$ref", out _)).ToList();
        Assert.That(fields, Is.Not.Empty);
        Assert.That(described.GetProperty("description").GetString(), Does.Match("[\u4e00-\u9fff]"));
        Assert.That(
            fields.Where(f => !f.Value.TryGetProperty("description", out var d) || !d.GetString()!.Any(c => c is >= '\u4e00' and <= '\u9fff')).Select(f => f.Name),
            Is.Empty,
            "every field has a description in Chinese");
    }
}
