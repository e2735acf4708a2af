using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ops.Contracts.Tickets;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Service requests at intake: a grade instead of a severity, their own numbers, and no severity changes or reopens.</summary>
public class ServiceRequestTests : ServiceTests<Program>
{
    [Test]
    public async Task ARequestWithAGrade_IsFiled_AsAnRNumber_AndPublishedWithItsGrade()
    {
        var created = await Client.PostAsJsonAsync("/api/tickets", Reports.Request("Normal"));

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var ticket = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(ticket.GetProperty("number").GetString(), Does.StartWith("R20261124-"));
        Assert.That((ticket.GetProperty("kind").GetString(), ticket.GetProperty("grade").GetString()), Is.EqualTo(("request", "normal")));
        var facts = (await Service.PublishedAsync<TicketReported>()).Single().Ticket;
        Assert.That((facts.Kind, facts.Grade), Is.EqualTo((TicketKind.Request, "normal")));
        var listed = await Client.GetFromJsonAsync<JsonElement>("/api/tickets?kind=request");
        Assert.That(listed.GetProperty("items")[0].GetProperty("grade").GetString(), Is.EqualTo("normal"));
    }

    [TestCase("request", null, null, "grade")]
    [TestCase("request", "someday", null, "grade")]
    [TestCase("request", "normal", "severe", "severity")]
    [TestCase("fault", "normal", "severe", "grade")]
    [TestCase("incident", null, "severe", "kind")]
    public async Task AKindGradeOrSeverityThatDoNotGoTogether_AreRefused_NamingTheField(string kind, string? grade, string? severity, string field)
    {
        var response = await Client.PostAsJsonAsync("/api/tickets", Reports.Valid() with { Kind = kind, Grade = grade, Severity = severity });

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.That((await Client.GetFromJsonAsync<JsonElement>("/api/tickets")).GetProperty("total").GetInt64(), Is.EqualTo(0));
    }

    [Test]
    public async Task ARequest_HasNoSeverityToChange_AndIsNeverReopened()
    {
        var id = (await (await Client.PostAsJsonAsync("/api/tickets", Reports.Request())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var severity = await Client.PostAsJsonAsync($"/api/tickets/{id}/severity", new { severity = "severe", reason = "x" });
        var completed = await Client.PostAsJsonAsync($"/api/tickets/{id}/resolve", new { resolution = "账号已开通" });
        var reopen = await Client.PostAsJsonAsync($"/api/tickets/{id}/reopen", new { reason = "x" });

        await Problems.AssertAsync(severity, HttpStatusCode.Conflict);
        Assert.That(completed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Problems.AssertAsync(reopen, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task ARequest_HasNoSeverity_InTheApiOrItsEvent_AndASeverityFilterCountsFaultsOnly()
    {
        var fault = await (await Client.PostAsJsonAsync("/api/tickets", Reports.Valid(severity: "general"))).Content.ReadFromJsonAsync<JsonElement>();
        var request = await (await Client.PostAsJsonAsync("/api/tickets", Reports.Request())).Content.ReadFromJsonAsync<JsonElement>();

        var detail = await Client.GetFromJsonAsync<JsonElement>($"/api/tickets/{request.GetProperty("id").GetGuid()}");
        var general = await Client.GetFromJsonAsync<JsonElement>("/api/tickets?severity=general");
        var all = await Client.GetFromJsonAsync<JsonElement>("/api/tickets");

        Assert.That(request.GetProperty("severity").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(detail.GetProperty("severity").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(fault.GetProperty("severity").GetString(), Is.EqualTo("general"));
        Assert.That(general.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetString()), Is.EqualTo(new[] { fault.GetProperty("number").GetString() }));
        Assert.That(all.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("kind").GetString() == "request").GetProperty("severity").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var reported = await Database.MessagesAsync<TicketReported>();
        Assert.That(reported.Select(m => (m.Ticket.Kind, m.Ticket.Severity)), Is.EquivalentTo(new[] { (TicketKind.Fault, (Severity?)Severity.General), (TicketKind.Request, (Severity?)null) }));
    }
}
