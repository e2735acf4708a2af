using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.Faults.Tests;

/// <summary>
/// A steady stream of fault reports, as the hotline gateway sends them: each report carries an Idempotency-Key of its
/// own (the call's id) and is sent again with the same key and body after a refused connection, a timeout, a 5xx or a
/// 429 (backing off; at most 200 calls at once), until it is accepted or <see cref="GiveUpAfter"/> has passed since it was first sent. Every report is a severe
/// fault reported five hours ago, so both its clocks breach as soon as the sla-timer starts them: each accepted report
/// must become exactly two breach entries in scoring's ledger. With several tickets instances, the reports take turns
/// among them, and a report sent again goes to the next instance (as a load balancer skips one that does not answer).
/// </summary>
public sealed class ReportLoad(IReadOnlyList<HttpClient> hotlines, int perSecond)
{
    public ReportLoad(HttpClient hotline, int perSecond)
        : this([hotline], perSecond)
    {
    }

    private readonly ConcurrentDictionary<string, Guid> accepted = new();
    private readonly ConcurrentDictionary<string, string> refused = new();
    private readonly ConcurrentBag<string> abandoned = [];
    private readonly ConcurrentDictionary<string, string> lastAnswer = new();
    private readonly List<Task> reports = [];

    // A gateway has so many lines to the service (its connection pool): the calls beyond wait their turn, not the service.
    private readonly SemaphoreSlim lines = new(32);
    private int sent;
    private int retries;
    private int replayed;
    private volatile bool stopping;

    /// <summary>How many reports are sent at most; the load then sends no more, as if stopped.</summary>
    public int Limit { get; init; } = int.MaxValue;

    /// <summary>How long a report is sent again before the gateway gives it up.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The reports' times: the first report's, each next one a millisecond later.</summary>
    public DateTimeOffset ReportedFrom { get; } = DateTimeOffset.UtcNow.AddHours(-5);

    /// <summary>Every report's time falls in [<see cref="ReportedFrom"/>, this): the run's own window in the lists and dashboards.</summary>
    public DateTimeOffset ReportedTo => ReportedFrom.AddMilliseconds(Sent + 1);

    /// <summary>The reports sent so far (each counted once, however often it was retried).</summary>
    public int Sent => Volatile.Read(ref sent);

    /// <summary>The reports answered 201, by Idempotency-Key, with their ticket.</summary>
    public IReadOnlyDictionary<string, Guid> Accepted => accepted;

    /// <summary>The reports answered with a 4xx no retry changes (never expected): the key and the answer.</summary>
    public IReadOnlyDictionary<string, string> Refused => refused;

    /// <summary>The reports still not accepted after <see cref="GiveUpAfter"/>.</summary>
    public IReadOnlyCollection<string> Abandoned => abandoned;

    /// <summary>The last answers (status or failure) the reports given up got, each with how many got it, for a failure's message.</summary>
    public string AbandonedWhy() => string.Join("; ", abandoned
        .GroupBy(key => lastAnswer.GetValueOrDefault(key, "?"))
        .Select(answer => $"{answer.Count()} × {answer.Key} (e.g. {answer.First()})"));

    /// <summary>How many times a report was sent again.</summary>
    public int Retries => retries;

    /// <summary>How many retries were answered with the ticket the first attempt had stored (Idempotent-Replayed).</summary>
    public int Replayed => replayed;

    /// <summary>Sends <see cref="ReportLoad"/>'s reports at the steady rate until <see cref="StopAsync"/>.</summary>
    public Task RunAsync() => Task.Run(async () =>
    {
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        while (!stopping && Sent < Limit)
        {
            var wait = interval * Sent - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
                continue;
            }

            var report = ReportAsync($"faults-{Guid.NewGuid():N}", ReportedFrom.AddMilliseconds(Sent), Sent);
            lock (reports)
            {
                reports.Add(report);
            }

            Interlocked.Increment(ref sent);
        }
    });

    /// <summary>Sends no new report, and waits until every report sent is accepted, refused or given up.</summary>
    public async Task StopAsync(Task running)
    {
        stopping = true;
        await running;
        Task[] all;
        lock (reports)
        {
            all = [.. reports];
        }

        await Task.WhenAll(all);
    }

    private async Task ReportAsync(string key, DateTimeOffset reportedAt, int number)
    {
        var body = new
        {
            channel = "phone",
            kind = "fault",
            severity = "severe",
            siteCode = "OTQ",
            system = "综合一窗受理平台",
            title = "故障注入测试",
            reporter = new { name = "测试员", phone = "13800001111" },
            reportedAt,
        };
        var giveUp = DateTime.UtcNow + GiveUpAfter;
        for (var attempt = 0; ; attempt++)
        {
            // Backing off, 250 ms doubling to 2 s, with jitter: a thousand waiting calls do not all come back at once.
            var pause = TimeSpan.FromMilliseconds(Math.Min(2000, 250 << Math.Min(attempt, 3)) * (0.5 + Random.Shared.NextDouble()));
            if (attempt > 0)
            {
                Interlocked.Increment(ref retries);
            }

            await lines.WaitAsync();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/tickets") { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await hotlines[(number + attempt) % hotlines.Count].SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
                    accepted[key] = ticket.GetProperty("id").GetGuid();
                    if (response.Headers.Contains("Idempotent-Replayed"))
                    {
                        Interlocked.Increment(ref replayed);
                    }

                    return;
                }

                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    refused[key] = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    return;
                }

                lastAnswer[key] = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                pause = response.Headers.RetryAfter?.Delta ?? pause;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                lastAnswer[key] = $"{e.GetType().Name}: {e.Message}";
                // Refused or cut off (the service is down or was killed mid-request), or no answer in time: send it again.
            }
            finally
            {
                lines.Release();
            }

            if (DateTime.UtcNow + pause > giveUp)
            {
                abandoned.Add(key);
                return;
            }

            await Task.Delay(pause);
        }
    }
}
