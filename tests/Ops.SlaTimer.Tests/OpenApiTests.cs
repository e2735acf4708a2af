using System.Net.Http.Json;
using System.Text.Json;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The OpenAPI document is written for the integrator: no code references, parameters named as the JSON names things.</summary>
public class OpenApiTests : ServiceTests<Program>
{
    [Test]
    public async Task OpenApiDocument_NamesNoCodeSymbols_AndItsParametersAreCamelCase()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(OpenApiText.CodeReferences(document), Is.Empty);
            Assert.That(OpenApiText.NotCamelCaseParameters(document), Is.Empty);
        }
    }
}
