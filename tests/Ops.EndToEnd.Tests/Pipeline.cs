using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.EndToEnd.Tests;

/// <summary>What the end-to-end tests do through the services' HTTP APIs, as the hotline (with its API key) and a manager would.</summary>
internal static class Pipeline
{
    /// <summary>
    /// Systems of the test run's own, added to the seed contract's (intake takes only a contract's systems), so that
    /// each report can name one nobody else does and a dashboard can be read for one test alone.
    /// </summary>
    public static IReadOnlyList<string> Systems { get; } = [.. Enumerable.Range(1, 100).Select(i => $"e2e-system-{i:D3}")];

    private static int systemsTaken;

    /// <summary>A system of <see cref="Systems"/> no report has named yet.</summary>
    public static string NewSystem()
    {
        var taken = Interlocked.Increment(ref systemsTaken);
        return taken <= Systems.Count ? Systems[taken - 1] : throw new InvalidOperationException($"The {Systems.Count} systems of the test run are all taken; add more.");
    }

    /// <summary>
    /// Reports a fault (or, given a <paramref name="grade"/>, a service request) on a system name of its own,
    /// so dashboards can be read for this test alone.
    /// </summary>
    public static async Task<(Guid Id, string System)> ReportAsync(string? severity, DateTimeOffset? reportedAt, string? grade = null)
    {
        var system = NewSystem();
        var response = await SystemUnderTest.Hotline.PostAsJsonAsync("api/tickets", new
        {
            channel = "phone",
            kind = grade is null ? "fault" : "request",
            severity,
            grade,
            siteCode = "OTQ",
            system,
            title = "端到端测试故障",
            reporter = new { name = "测试员", phone = "13800001111" },
            reportedAt,
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (ticket.GetProperty("id").GetGuid(), system);
    }

    public static async Task<JsonElement[]> ClocksAsync(Guid ticketId)
    {
        var response = await SystemUnderTest.SlaTimer.Http.GetAsync($"api/tickets/{ticketId}/clocks");
        return response.StatusCode == HttpStatusCode.NotFound ? [] : [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    public static async Task<JsonElement> ClockAsync(Guid ticketId, string clock) =>
        (await ClocksAsync(ticketId)).Single(c => c.GetProperty("clock").GetString() == clock);

    public static Task<JsonElement> AssessmentAsync() =>
        SystemUnderTest.Scoring.Http.GetFromJsonAsync<JsonElement>("api/assessment?evidence=1000");

    /// <summary>The ledger entries behind an item (6, 应急响应, unless told) that concern one ticket.</summary>
    public static async Task<JsonElement[]> DeductionsOfAsync(Guid ticketId, int item = 6)
    {
        var assessment = await AssessmentAsync();
        var entries = assessment.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetInt32() == item);
        return [.. entries.GetProperty("evidence").EnumerateArray().Where(e => e.GetProperty("ticketId").GetString() == ticketId.ToString())];
    }

    public static Task<JsonElement> DashboardAsync(string system) =>
        SystemUnderTest.Scoring.Http.GetFromJsonAsync<JsonElement>($"api/dashboard/sla?system={Uri.EscapeDataString(system)}");

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<TimeSpan> EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        while (watch.Elapsed < limit)
        {
            if (await condition())
            {
                return watch.Elapsed;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"Not within {limit}: {what}.\n--- sla-timer ---\n{SystemUnderTest.SlaTimer.Tail()}\n--- scoring ---\n{SystemUnderTest.Scoring.Tail()}");
        return watch.Elapsed;
    }

    /// <summary>
    /// Waits until the sla-timer's scanner has completed a pass that began after <paramref name="moment"/>
    /// (readiness shows the time its last pass looked at): whatever that pass breached or warned is stored.
    /// </summary>
    public static Task<TimeSpan> ScannedAfterAsync(DateTimeOffset moment) =>
        EventuallyAsync(async () =>
        {
            var ready = await SystemUnderTest.SlaTimer.Http.GetFromJsonAsync<JsonElement>("health/ready");
            return ready.GetProperty("checks").GetProperty("scanner").GetProperty("data").TryGetProperty("scannedUpTo", out var at)
                && at.GetDateTimeOffset() > moment;
        }, "the sla-timer's scanner completes a pass");

    /// <summary>The events the sla-timer stored and has not yet published, as its readiness counts them.</summary>
    public static async Task<long> SlaTimerUnpublishedAsync() =>
        (await SystemUnderTest.SlaTimer.Http.GetFromJsonAsync<JsonElement>("health/ready"))
            .GetProperty("checks").GetProperty("outbox").GetProperty("data").GetProperty("unpublished").GetInt64();

    /// <summary>The notices the sla-timer owes the escalation chains and has not yet told (its <c>pending_notices</c>).</summary>
    public static async Task<long> OwedNoticesAsync()
    {
        await using var store = SystemUnderTest.SlaTimer.Store();
        return await store.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM pending_notices"));
    }

    /// <summary>Waits on the wall clock until <paramref name="moment"/> has passed: a deadline set seconds ahead by a past reportedAt.</summary>
    public static async Task UntilAsync(DateTimeOffset moment)
    {
        var wait = moment - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}
