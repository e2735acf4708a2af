using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.Console.Tests;

/// <summary>What the console tests ask the services directly: a report filed, a clock as the sla-timer has it.</summary>
internal static class Apis
{
    /// <summary>Files a report and gives the new ticket's number.</summary>
    public static async Task<string> ReportAsync(HttpClient desk, object report)
    {
        var response = await desk.PostAsJsonAsync("api/tickets", report);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!;
    }

    public static async Task<JsonElement> ClockAsync(HttpClient timer, string number, string clock)
    {
        var clocks = await timer.GetFromJsonAsync<JsonElement>($"api/tickets/{number}/clocks");
        return clocks.EnumerateArray().Single(c => c.GetProperty("clock").GetString() == clock);
    }

    public static async Task<DateTimeOffset> DeadlineAsync(HttpClient timer, string number, string clock) =>
        (await ClockAsync(timer, number, clock)).GetProperty("deadline").GetDateTimeOffset();

    /// <summary>The clock's state, or none while the ticket has not reached the sla-timer.</summary>
    public static async Task<string?> StateAsync(HttpClient timer, string number, string clock)
    {
        using var response = await timer.GetAsync($"api/tickets/{number}/clocks");
        return response.IsSuccessStatusCode ? (await ClockAsync(timer, number, clock)).GetProperty("state").GetString() : null;
    }

    /// <summary>A fault as the hotline desk takes it from 张女士 (13800001111): given a time in the past, its clocks may already have breached.</summary>
    public static Task<string> ReportFaultAsync(HttpClient desk, string siteCode, string system, string title, string severity = "general", DateTimeOffset? reportedAt = null)
    {
        var report = new Dictionary<string, object>
        {
            ["channel"] = "phone",
            ["kind"] = "fault",
            ["severity"] = severity,
            ["siteCode"] = siteCode,
            ["system"] = system,
            ["title"] = title,
            ["reporter"] = new { name = "张女士", phone = "13800001111" },
        };
        if (reportedAt is { } at)
        {
            report["reportedAt"] = at;
        }

        return ReportAsync(desk, report);
    }
}
