using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Dapper;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Benchmarks;

/// <summary>
/// The soak (<c>./deploy/bench.sh --soak 30m</c>): the system as the benchmark starts it, with the console, under a
/// steady 100 faults a second for the given time. A share of the faults are acknowledged and resolved through the
/// tickets API at a person's delays, some are logged late (reported 26–29 minutes back) and some never acknowledged,
/// so clocks start, stop and breach throughout; a manager opens the console's dashboard and assessment every 15 s.
/// Every 5 s it samples each process's resident memory and the GC's committed part of it, each service's outbox backlog (the unpublished events its
/// <c>/health/ready</c> counts in its outbox table) and the SQLite files. It prints a line a minute, then the
/// least-squares slope of each series after the first 5 minutes and a verdict per target, and writes every figure
/// and sample to <c>soak.json</c> beside the services' data.
/// </summary>
internal static partial class Soak
{
    /// <summary>Faults reported a second.</summary>
    private const int Rate = 100;

    /// <summary>The sender's period: one fault per tick at 100 a second.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1000.0 / Rate);

    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    /// <summary>Start-up, the runtime's second compilation and the caches filling: not part of the fits.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(5);

    /// <summary>Memory target: flat within 1 MB per 10 minutes after <see cref="Settle"/>.</summary>
    private const double MemorySlopeTarget = 1.0;

    /// <summary>A backlog that grows by less than a second of faults in 10 minutes, and ends under 10 s of them, does not grow.</summary>
    private const double BacklogSlopeTarget = Rate;

    private const long BacklogEndTarget = 10 * Rate;

    /// <summary>A sender that fell behind (a stalled machine) sends at most this many at once and skips the rest, rather than a burst.</summary>
    private const int MostPerTick = 5;

    private const int MostInFlight = 500;

    private static readonly string[] Services = ["tickets", "sla-timer", "scoring"];

    private static readonly string[] Systems = ["智慧政务云平台", "综合一窗受理平台", "政务数据协同审批管理平台", "事项清单管理平台", "政务服务网", "好差评"];

    /// <summary>The length asked for with <c>--soak</c> (<c>90s</c>, <c>10m</c>, <c>30m</c>, <c>1h</c>), or why it cannot be used.</summary>
    public static (TimeSpan Length, string? Error) Length(string[] args)
    {
        const string Usage = "--soak needs how long to run: a whole number of seconds, minutes or hours (s, m or h) from 1 minute to 24 hours, such as 90s, 10m, 30m or 1h";
        if (args.Any(a => a is "--quick" or "--only"))
        {
            return (default, "--soak runs on its own: leave out --quick and --only.");
        }

        var value = args.SkipWhile(a => a != "--soak").Skip(1).FirstOrDefault();
        if (value is null || LengthPattern().Match(value) is not { Success: true } match)
        {
            return (default, $"{Usage}; got {(value is null ? "nothing" : $"'{value}'")}.");
        }

        var number = int.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        var length = match.Groups["unit"].Value switch
        {
            "s" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            _ => TimeSpan.FromHours(number),
        };
        return length < TimeSpan.FromMinutes(1) || length > TimeSpan.FromHours(24)
            ? (default, $"{Usage}; got '{value}', which is {(length < TimeSpan.FromMinutes(1) ? "shorter" : "longer")} than that.")
            : (length, null);
    }

    [GeneratedRegex("^(?<number>[0-9]{1,6})(?<unit>[smh])$")]
    private static partial Regex LengthPattern();

    private enum Act
    {
        Acknowledge,
        Resolve,
    }

    /// <summary>What happens to one fault: reported this far back, acknowledged and resolved this long after it was sent (or never).</summary>
    private sealed record Fate(TimeSpan Backdated, bool Severe, TimeSpan? AcknowledgeAfter, TimeSpan? ResolveAfter);

    /// <summary>
    /// Four in five are acknowledged 1–4 minutes after they are logged, three in five resolved 4–5 minutes after; one in
    /// five is logged 26–29 minutes after the call (its clocks start in the past), so those nobody acknowledges breach
    /// their 30-minute response 1–4 minutes after they are logged. Every delay ends within the first 5 minutes, so from
    /// then on the mix of work is the same each minute and the fits measure the system, not a load still growing (the
    /// faults nobody acknowledges that were logged on time breach from the 30th minute on).
    /// </summary>
    private static Fate NextFate(Random random) => new(
        random.Next(5) == 0 ? TimeSpan.FromMinutes(26 + random.NextDouble() * 3) : TimeSpan.Zero,
        random.Next(10) == 0,
        random.Next(5) < 4 ? TimeSpan.FromMinutes(1 + random.NextDouble() * 3) : null,
        random.Next(5) < 3 ? TimeSpan.FromMinutes(4 + random.NextDouble()) : null);

    /// <summary>One minute of load: reports accepted, their latencies, acknowledgements and resolutions done.</summary>
    private sealed class Minute
    {
        public List<double> Latencies { get; } = [];

        public int Acknowledged;

        public int Resolved;
    }

    /// <param name="GcCommittedMb">What the GC held committed after its last collection (its /metrics), NaN when it did not answer: resident memory less this is the native part.</param>
    private sealed record Sample(double Minutes, Dictionary<string, double> ResidentMb, Dictionary<string, double> GcCommittedMb, Dictionary<string, long> Backlog, Dictionary<string, (double Db, double Wal)> FilesMb);

    public static async Task<int> RunAsync(TimeSpan length, string repository, string data, BenchStores stores)
    {
        var started = DateTime.UtcNow;
        var broker = new Broker(repository);
        await broker.StartAsync();
        Console.Error.WriteLine($"bench: soak of {Format(length)} at {Rate} faults/s; broker on {broker.Port}, data in {data} and {stores.Describe()}");

        // The services as the benchmark's other parts start them, except that the report schedule stays on, as deployed.
        var slaTimer = new ServiceProcess("sla-timer", "SlaTimer", repository, data, broker);
        var scoring = new ServiceProcess("scoring", "Scoring", repository, data, broker);
        var tickets = new ServiceProcess("tickets", "Tickets", repository, data, broker);
        tickets.Settings["Intake__RateLimit__PermitsPerSecond"] = "100000";
        tickets.Settings["Intake__RateLimit__Burst"] = "1000000";
        var slaTimerStore = await stores.ForAsync(slaTimer, data, "sla-timer");
        var scoringStore = await stores.ForAsync(scoring, data, "scoring");
        await stores.ForAsync(tickets, data, "tickets");
        var console = new ServiceProcess("console", "Console", repository, data, broker);
        var processes = new Dictionary<string, ServiceProcess> { ["tickets"] = tickets, ["sla-timer"] = slaTimer, ["scoring"] = scoring, ["console"] = console };
        try
        {
            foreach (var service in new[] { slaTimer, scoring, tickets })
            {
                service.Settings["Logging__LogLevel__Default"] = "Warning";
                await service.StartAsync();
            }

            console.Settings["Console__Tickets"] = tickets.BaseAddress.ToString();
            console.Settings["Console__SlaTimer"] = slaTimer.BaseAddress.ToString();
            console.Settings["Console__Scoring"] = scoring.BaseAddress.ToString();
            console.Settings["Logging__LogLevel__Default"] = "Warning";
            await console.StartAsync("tickets", "sla-timer", "scoring");

            var run = new Run(length, processes, stores.Provider == SqlProvider.Sqlite ? data : null);
            await run.LoadAsync();

            // Afterwards: every outbox empty at once, and every accepted fault with its two clocks in the sla-timer. Clocks go on
            // breaching after the load (faults of its last 30 minutes that nobody acknowledged), so the queues are never idle for long.
            var afterwards = new List<string>();
            var missing = -1;
            var breached = -1L;
            var deductions = (Deductions: -1L, Clocks: -1L);
            try
            {
                var drained = Stopwatch.StartNew();
                afterwards.Add(await run.DrainAsync(TimeSpan.FromMinutes(2)) ? $"outboxes all empty {drained.Elapsed.TotalSeconds:0.0} s after the load" : "outboxes not all empty at once within 2 minutes of the load");
                while (drained.Elapsed < TimeSpan.FromMinutes(4))
                {
                    var withBothClocks = (await slaTimerStore.ReadAsync(c => c.QueryAsync<Guid>(BenchSql.TicketsWithBothClocks))).ToHashSet();
                    missing = run.Reported.Count(id => !withBothClocks.Contains(id));
                    if (missing == 0)
                    {
                        break;
                    }

                    await Task.Delay(5000);
                }

                afterwards.Add($"accepted faults without both clocks in the sla-timer {drained.Elapsed.TotalSeconds:0} s after the load: {missing:N0}");
                deductions = await scoringStore.ReadAsync(c => c.QuerySingleAsync<(long Deductions, long Clocks)>(BenchSql.BreachDeductions));
                breached = await slaTimerStore.ReadAsync(c => c.ExecuteScalarAsync<long>(BenchSql.BreachedClockCount));
                afterwards.Add($"breach deductions in scoring's ledger: {deductions.Deductions:N0}, of {deductions.Clocks:N0} clocks; clocks breached in the sla-timer, read just after: {breached:N0}");
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException or System.Data.Common.DbException)
            {
                afterwards.Add($"not checked to the end: {e.Message}");
            }

            var report = run.Report(started, stores.Describe(), afterwards, missing, breached, deductions);
            foreach (var line in report.Lines)
            {
                Console.WriteLine(line);
            }

            // A figure not measured (a process that did not answer) is NaN, written as "NaN".
            var json = JsonSerializer.Serialize(report.Figures, new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals });
            await File.WriteAllLinesAsync(Path.Combine(data, "soak.txt"), [.. report.Lines, json]);
            await File.WriteAllTextAsync(Path.Combine(data, "soak.json"), JsonSerializer.Serialize(new { figures = report.Figures, minutes = report.MinuteRows, samples = run.Samples },
                new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            Console.WriteLine(json);
            return 0;
        }
        finally
        {
            foreach (var service in processes.Values.Reverse())
            {
                await service.DisposeAsync();
            }

            await broker.StopAsync();
        }
    }

    private static string Format(TimeSpan length) =>
        length.TotalHours >= 1 && length.Minutes == 0 && length.Seconds == 0 ? $"{length.TotalHours:0}h"
        : length.Seconds == 0 ? $"{length.TotalMinutes:0}m" : $"{length.TotalSeconds:0}s";

    /// <summary>The least-squares slope of <paramref name="y"/> over <paramref name="x"/>, and its standard error (NaN with fewer than 3 points).</summary>
    internal static (double Slope, double Error) LeastSquares(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var n = x.Count;
        if (n < 3)
        {
            return (double.NaN, double.NaN);
        }

        var (meanX, meanY) = (x.Average(), y.Average());
        var sxx = x.Sum(v => (v - meanX) * (v - meanX));
        var sxy = x.Select((v, i) => (v - meanX) * (y[i] - meanY)).Sum();
        var slope = sxy / sxx;
        var residuals = x.Select((v, i) => y[i] - meanY - slope * (v - meanX)).Sum(r => r * r);
        return (slope, Math.Sqrt(residuals / (n - 2) / sxx));
    }

    /// <summary>One soak: the load, the samples, and what they add up to.</summary>
    private sealed class Run(TimeSpan length, IReadOnlyDictionary<string, ServiceProcess> processes, string? sqliteDirectory)
    {
        private readonly Minute[] minutes = [.. Enumerable.Range(0, (int)Math.Ceiling(length.TotalMinutes)).Select(_ => new Minute())];
        private readonly PriorityQueue<(Guid Ticket, Act Act), TimeSpan> later = new();
        private readonly ConcurrentDictionary<string, int> refused = new();
        private readonly Stopwatch clock = new();
        private long due;
        private long behind;
        private long crowded;
        private int inFlight;
        private double sentFor;

        public ConcurrentBag<Guid> Reported { get; } = [];

        public List<Sample> Samples { get; } = [];

        private readonly List<double> pageTimes = [];

        private Minute MinuteAt(TimeSpan at) => minutes[Math.Clamp((int)at.TotalMinutes, 0, minutes.Length - 1)];

        /// <summary>Sends the load for the run's length while sampling every 5 s and a manager opens the console's pages.</summary>
        public async Task LoadAsync()
        {
            using var hotline = processes["tickets"].Anonymous().As(Roles.Intake, "soak hotline");
            using var engineer = processes["tickets"].Anonymous().As(Roles.Engineer, "soak engineer");
            using var pages = new ConsolePages(processes["console"].BaseAddress);
            await pages.SignInAsync(processes["tickets"], "manager");
            using var stop = new CancellationTokenSource();
            clock.Start();
            var sampling = SampleAsync(stop.Token);
            var manager = VisitPagesAsync(pages, stop.Token);
            await SendAsync(hotline, engineer);
            sentFor = clock.Elapsed.TotalSeconds;
            var until = Stopwatch.StartNew();
            while (Volatile.Read(ref inFlight) > 0 && until.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(50);
            }

            await stop.CancelAsync();
            await Task.WhenAll(sampling, manager);
        }

        /// <summary>The sender: a periodic timer that reports the faults due by now (one a tick at the steady rate) and does the acknowledgements and resolutions due.</summary>
        private async Task SendAsync(HttpClient hotline, HttpClient engineer)
        {
            var random = new Random(20261202);
            using var timer = new PeriodicTimer(Tick);
            long scheduled = 0;
            while (await timer.WaitForNextTickAsync() && clock.Elapsed < length)
            {
                var now = clock.Elapsed;
                var owed = (long)(now.TotalSeconds * Rate) - scheduled;
                Interlocked.Add(ref due, owed);
                scheduled += owed;
                if (owed > MostPerTick)
                {
                    behind += owed - MostPerTick;
                    owed = MostPerTick;
                }

                for (; owed > 0; owed--)
                {
                    if (Volatile.Read(ref inFlight) >= MostInFlight)
                    {
                        crowded++;
                        continue;
                    }

                    _ = ReportAsync(hotline, NextFate(random), now);
                }

                lock (later)
                {
                    for (var n = 0; n < MostPerTick * 2 && later.TryPeek(out _, out var at) && at <= now; n++)
                    {
                        var (ticket, act) = later.Dequeue();
                        _ = ActAsync(engineer, ticket, act);
                    }
                }
            }
        }

        private async Task ReportAsync(HttpClient hotline, Fate fate, TimeSpan sent)
        {
            Interlocked.Increment(ref inFlight);
            try
            {
                var call = Stopwatch.StartNew();
                using var response = await hotline.PostAsJsonAsync("api/tickets", new
                {
                    channel = "phone",
                    severity = fate.Severe ? "severe" : "general",
                    siteCode = Random.Shared.Next(4) == 0 ? "SHM" : "OTQ",
                    system = Systems[Random.Shared.Next(Systems.Length)],
                    title = $"窗口{Random.Shared.Next(1, 30)}号机无法出件",
                    reporter = new { name = "测试员", phone = "13800001111" },
                    reportedAt = fate.Backdated > TimeSpan.Zero ? DateTimeOffset.UtcNow - fate.Backdated : (DateTimeOffset?)null,
                });
                var elapsed = call.Elapsed.TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    refused.AddOrUpdate($"report {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    return;
                }

                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                Reported.Add(id);
                var minute = MinuteAt(sent);
                lock (minute)
                {
                    minute.Latencies.Add(elapsed);
                }

                lock (later)
                {
                    if (fate.AcknowledgeAfter is { } acknowledge)
                    {
                        later.Enqueue((id, Act.Acknowledge), sent + acknowledge);
                    }

                    if (fate.ResolveAfter is { } resolve)
                    {
                        later.Enqueue((id, Act.Resolve), sent + resolve);
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                refused.AddOrUpdate($"report {e.GetType().Name}", 1, (_, n) => n + 1);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        private async Task ActAsync(HttpClient engineer, Guid ticket, Act act)
        {
            Interlocked.Increment(ref inFlight);
            try
            {
                using var response = act == Act.Acknowledge
                    ? await engineer.PostAsync($"api/tickets/{ticket}/acknowledge", null)
                    : await engineer.PostAsJsonAsync($"api/tickets/{ticket}/resolve", new { resolution = "重启出件服务后恢复，已回访报修人确认。" });
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    refused.AddOrUpdate($"{act.ToString().ToLowerInvariant()} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    return;
                }

                var minute = MinuteAt(clock.Elapsed);
                if (act == Act.Acknowledge)
                {
                    Interlocked.Increment(ref minute.Acknowledged);
                }
                else
                {
                    Interlocked.Increment(ref minute.Resolved);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                refused.AddOrUpdate($"{act.ToString().ToLowerInvariant()} {e.GetType().Name}", 1, (_, n) => n + 1);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        /// <summary>A manager with the console open: the dashboard and the assessment every 15 s, as the console renders them.</summary>
        private async Task VisitPagesAsync(ConsolePages pages, CancellationToken stop)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    foreach (var page in new[] { "dashboard", "assessment" })
                    {
                        try
                        {
                            var ms = await pages.VisitAsync(page);
                            lock (pageTimes)
                            {
                                pageTimes.Add(ms);
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                        {
                            refused.AddOrUpdate($"console /{page} {e.GetType().Name}", 1, (_, n) => n + 1);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        /// <summary>Every 5 s: resident memory of each process, each service's outbox backlog and its SQLite files.</summary>
        private async Task SampleAsync(CancellationToken stop)
        {
            using var timer = new PeriodicTimer(SampleEvery);
            var clients = processes.ToDictionary(p => p.Key, p => p.Value.Anonymous());
            try
            {
                do
                {
                    var at = clock.Elapsed.TotalMinutes;
                    var resident = processes.ToDictionary(p => p.Key, p => Measure.ResidentMb(p.Value.ProcessId));
                    var committed = new Dictionary<string, double>();
                    foreach (var (name, client) in clients)
                    {
                        committed[name] = await GcCommittedMbAsync(client);
                    }

                    var backlog = new Dictionary<string, long>();
                    foreach (var name in Services)
                    {
                        backlog[name] = await BacklogAsync(clients[name]);
                    }

                    var files = sqliteDirectory is null ? [] : Services.ToDictionary(s => s, s => (FileMb(s, ".db"), FileMb(s, ".db-wal")));
                    lock (Samples)
                    {
                        Samples.Add(new Sample(Math.Round(at, 3), resident, committed, backlog, files));
                    }

                    if (Samples.Count % (int)(TimeSpan.FromMinutes(1) / SampleEvery) == 0)
                    {
                        Console.Error.WriteLine($"bench: soak {at:0.0} min: {Interlocked.Read(ref due):N0} faults due, {Reported.Count:N0} accepted; resident MB "
                            + string.Join(", ", resident.Select(r => $"{r.Key} {r.Value:0.0}")) + "; outbox " + string.Join(", ", backlog.Select(b => $"{b.Key} {b.Value}")));
                    }
                }
                while (await timer.WaitForNextTickAsync(stop));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            finally
            {
                foreach (var client in clients.Values)
                {
                    client.Dispose();
                }
            }
        }

        private double FileMb(string service, string suffix)
        {
            var file = new FileInfo(Path.Combine(sqliteDirectory!, service + suffix));
            return file.Exists ? file.Length / 1048576.0 : 0;
        }

        /// <summary>The GC's committed memory after its last collection, in MB, from the process's Prometheus metrics (NaN when it did not answer).</summary>
        private static async Task<double> GcCommittedMbAsync(HttpClient client)
        {
            try
            {
                var committed = PrometheusText.Value(await PrometheusText.ScrapeAsync(client), "dotnet_gc_last_collection_memory_committed_size_bytes");
                return committed is { } bytes ? bytes / 1048576.0 : double.NaN;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
            {
                return double.NaN;
            }
        }

        /// <summary>The unpublished events in the service's outbox table, as its readiness check counts them (-1 when it did not answer).</summary>
        private static async Task<long> BacklogAsync(HttpClient client)
        {
            try
            {
                // Degraded or unhealthy answers carry the same figures.
                using var response = await client.GetAsync("health/ready");
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return body.RootElement.GetProperty("checks").GetProperty("outbox").GetProperty("data").GetProperty("unpublished").GetInt64();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return -1;
            }
        }

        /// <summary>After the load: whether every service's outbox was empty at once within <paramref name="limit"/>.</summary>
        public async Task<bool> DrainAsync(TimeSpan limit)
        {
            var clients = Services.Select(s => processes[s].Anonymous()).ToList();
            var until = Stopwatch.StartNew();
            while (true)
            {
                var backlogs = new List<long>();
                foreach (var client in clients)
                {
                    backlogs.Add(await BacklogAsync(client));
                }

                if (backlogs.All(b => b == 0) || until.Elapsed > limit)
                {
                    clients.ForEach(c => c.Dispose());
                    return backlogs.All(b => b == 0);
                }

                await Task.Delay(200);
            }
        }

        public sealed record Outcome(List<string> Lines, Dictionary<string, object> Figures, List<Dictionary<string, object>> MinuteRows);

        /// <summary>The printed report: the load, a line a minute, the fits and a verdict per target; and its figures.</summary>
        public Outcome Report(DateTime started, string stores, List<string> afterwards, int missing, long breached, (long Deductions, long Clocks) deductions)
        {
            var lines = new List<string>();
            var figures = new Dictionary<string, object>();
            var rows = new List<Dictionary<string, object>>();
            var verdicts = new List<string>();
            var settle = length >= 2 * Settle ? Settle : length / 2; // a short run (a trial) fits its second half
            var accepted = Reported.Count;
            var acknowledged = minutes.Sum(m => m.Acknowledged);
            var resolved = minutes.Sum(m => m.Resolved);
            var rate = accepted / sentFor;
            var steady = minutes.Skip((int)settle.TotalMinutes).Sum(m => m.Latencies.Count) / (sentFor - Math.Floor(settle.TotalMinutes) * 60);
            static string N(double value, int decimals = 0) => double.IsNaN(value) ? "n/a" : value.ToString($"N{decimals}", CultureInfo.InvariantCulture);

            lines.Add("");
            lines.Add($"Ops SLA soak ({Format(length)} at {Rate} faults/s, {Environment.ProcessorCount} cores, services on {stores}, {started:yyyy-MM-dd HH:mm}–{DateTime.UtcNow:HH:mm} UTC)");
            lines.Add($"load: {N(accepted)} faults accepted of {N(Interlocked.Read(ref due))} due in {N(sentFor, 1)} s = {N(rate, 2)} faults/s; not sent: {N(behind)} as the sender fell behind, {N(crowded)} with {MostInFlight} calls in flight; "
                + $"{N(acknowledged)} acknowledged, {N(resolved)} resolved through the API; refused: {(refused.IsEmpty ? "none" : string.Join(", ", refused.OrderBy(r => r.Key).Select(r => $"{r.Key} ×{r.Value}")))}");
            lines.Add($"afterwards: {string.Join("; ", afterwards)}");
            lines.Add($"console pages opened by the manager: {pageTimes.Count}, p50 {N(Measure.Percentile(pageTimes, 0.5), 1)} ms, p99 {N(Measure.Percentile(pageTimes, 0.99), 1)} ms");
            lines.Add("outbox backlog: unpublished events in each service's outbox_messages table, as its /health/ready reports them (checks.outbox.data.unpublished), sampled every 5 s; the highest of each minute");
            lines.Add("resident memory: VmRSS from /proc, and the GC's committed memory after its last collection (/metrics), sampled every 5 s; the last sample of each minute. SQLite files: the last sample of each minute.");
            lines.Add("");
            var header = $"{"min",3} {"faults/s",8} {"acks",5} {"resolved",8} {"p50 ms",8} {"p99 ms",8} | {"RSS MB tickets/sla-timer/scoring/console",-40} | {"outbox max tickets/sla-timer/scoring",-36} | db+wal MB tickets / sla-timer / scoring";
            lines.Add(header);
            for (var i = 0; i < minutes.Length; i++)
            {
                var inMinute = Samples.Where(s => s.Minutes >= i && s.Minutes < i + 1).ToList();
                if (inMinute.Count == 0)
                {
                    continue;
                }

                var last = inMinute[^1];
                var minute = minutes[i];
                var seconds = Math.Min(60, sentFor - i * 60);
                var backlog = Services.ToDictionary(s => s, s => inMinute.Max(x => x.Backlog[s]));
                var p50 = Measure.Percentile(minute.Latencies, 0.5);
                var p99 = Measure.Percentile(minute.Latencies, 0.99);
                lines.Add($"{i + 1,3} {N(minute.Latencies.Count / seconds, 1),8} {minute.Acknowledged,5} {minute.Resolved,8} {N(p50, 1),8} {N(p99, 1),8} | "
                    + $"{string.Join(" / ", processes.Keys.Select(p => N(last.ResidentMb[p], 1))),-40} | {string.Join(" / ", Services.Select(s => backlog[s])),-36} | "
                    + (last.FilesMb.Count == 0 ? "(SQL Server)" : string.Join(" / ", Services.Select(s => $"{N(last.FilesMb[s].Db, 1)}+{N(last.FilesMb[s].Wal, 1)}"))));
                rows.Add(new Dictionary<string, object>
                {
                    ["minute"] = i + 1,
                    ["faults_per_s"] = Math.Round(minute.Latencies.Count / seconds, 1),
                    ["acknowledged"] = minute.Acknowledged,
                    ["resolved"] = minute.Resolved,
                    ["intake_p50_ms"] = Math.Round(p50, 1),
                    ["intake_p99_ms"] = Math.Round(p99, 1),
                    ["rss_mb"] = last.ResidentMb.ToDictionary(r => r.Key, r => Math.Round(r.Value, 1)),
                    ["gc_committed_mb"] = last.GcCommittedMb.ToDictionary(r => r.Key, r => Math.Round(r.Value, 1)),
                    ["outbox_max"] = backlog,
                    ["db_mb"] = last.FilesMb.ToDictionary(f => f.Key, f => Math.Round(f.Value.Db, 1)),
                    ["wal_mb"] = last.FilesMb.ToDictionary(f => f.Key, f => Math.Round(f.Value.Wal, 1)),
                });
            }

            var fitted = Samples.Where(s => s.Minutes >= settle.TotalMinutes && s.Minutes <= sentFor / 60).ToList();
            var x = fitted.Select(s => s.Minutes / 10).ToList();
            lines.Add("");
            lines.Add($"least-squares slopes over the {fitted.Count} samples after the first {settle.TotalMinutes:0.#} minutes (± standard error), per 10 minutes:");
            figures["soak_minutes"] = Math.Round(length.TotalMinutes, 1);
            figures["soak_faults_per_s"] = Math.Round(rate, 2);
            figures["soak_faults_accepted"] = accepted;
            figures["soak_acknowledged"] = acknowledged;
            figures["soak_resolved"] = resolved;
            figures["soak_refused"] = refused.Values.Sum();
            figures["soak_clocks_breached"] = breached;
            figures["soak_breach_deductions"] = deductions.Deductions;
            figures["soak_breach_deduction_clocks"] = deductions.Clocks;
            figures["soak_faults_without_clocks"] = missing;
            figures["soak_intake_p99_ms_worst_minute"] = Math.Round(minutes.Where(m => m.Latencies.Count > 0).Select(m => Measure.Percentile(m.Latencies, 0.99)).DefaultIfEmpty(double.NaN).Max(), 1);
            figures["soak_faults_per_s_after_settle"] = Math.Round(steady, 2);
            verdicts.Add(Verdict(steady >= 0.99 * Rate, $"a steady {Rate} faults/s after {Math.Floor(settle.TotalMinutes):0} min (at least {0.99 * Rate:0}/s accepted)", $"{N(steady, 2)} faults/s ({N(rate, 2)} over the whole run)"));
            foreach (var name in processes.Keys)
            {
                var (slope, error) = LeastSquares(x, [.. fitted.Select(s => s.ResidentMb[name])]);
                var key = name.Replace('-', '_');
                figures[$"soak_rss_mb_start_{key}"] = Math.Round(fitted.FirstOrDefault()?.ResidentMb[name] ?? double.NaN, 1);
                figures[$"soak_rss_mb_end_{key}"] = Math.Round(fitted.LastOrDefault()?.ResidentMb[name] ?? double.NaN, 1);
                figures[$"soak_rss_slope_mb_per_10min_{key}"] = Math.Round(slope, 2);
                var measured = fitted.Where(s => !double.IsNaN(s.GcCommittedMb[name])).ToList();
                var (gcSlope, _) = LeastSquares([.. measured.Select(s => s.Minutes / 10)], [.. measured.Select(s => s.GcCommittedMb[name])]);
                figures[$"soak_gc_committed_slope_mb_per_10min_{key}"] = Math.Round(gcSlope, 2);
                lines.Add($"  resident memory of {name,-9} {(slope >= 0 ? "+" : "")}{N(slope, 2)} ± {N(error, 2)} MB ({N(fitted.FirstOrDefault()?.ResidentMb[name] ?? double.NaN, 1)} → {N(fitted.LastOrDefault()?.ResidentMb[name] ?? double.NaN, 1)} MB); "
                    + $"of it the GC's committed memory {(gcSlope >= 0 ? "+" : "")}{N(gcSlope, 2)} MB ({N(measured.FirstOrDefault()?.GcCommittedMb[name] ?? double.NaN, 1)} → {N(measured.LastOrDefault()?.GcCommittedMb[name] ?? double.NaN, 1)} MB)");
                verdicts.Add(Verdict(Math.Abs(slope) <= MemorySlopeTarget, $"resident memory of {name} flat within {MemorySlopeTarget:0} MB/10 min after {settle.TotalMinutes:0.#} min", $"{(slope >= 0 ? "+" : "")}{N(slope, 2)} MB/10 min"));
            }

            foreach (var name in Services)
            {
                var (slope, error) = LeastSquares(x, [.. fitted.Select(s => (double)s.Backlog[name])]);
                var end = Samples.Where(s => s.Minutes >= sentFor / 60 - 1).Select(s => s.Backlog[name]).DefaultIfEmpty(-1).Max();
                var key = name.Replace('-', '_');
                figures[$"soak_outbox_max_{key}"] = Samples.Max(s => s.Backlog[name]);
                figures[$"soak_outbox_last_minute_max_{key}"] = end;
                figures[$"soak_outbox_slope_per_10min_{key}"] = Math.Round(slope, 1);
                lines.Add($"  outbox backlog of {name,-9} {(slope >= 0 ? "+" : "")}{N(slope, 1)} ± {N(error, 1)} events (highest sample {Samples.Max(s => s.Backlog[name])}, {end} in the last minute)");
                verdicts.Add(Verdict(slope <= BacklogSlopeTarget && end is >= 0 and < BacklogEndTarget, $"outbox backlog of {name} does not grow (slope under {BacklogSlopeTarget:0} events/10 min, last minute under {BacklogEndTarget:N0})",
                    $"{(slope >= 0 ? "+" : "")}{N(slope, 1)} events/10 min, {end} at most in the last minute"));
            }

            if (Samples.LastOrDefault()?.FilesMb is { Count: > 0 } files)
            {
                foreach (var name in Services)
                {
                    var key = name.Replace('-', '_');
                    figures[$"soak_db_mb_end_{key}"] = Math.Round(files[name].Db, 1);
                    figures[$"soak_wal_mb_max_{key}"] = Math.Round(Samples.Max(s => s.FilesMb[name].Wal), 1);
                    var (slope, _) = LeastSquares(x, [.. fitted.Select(s => s.FilesMb[name].Db)]);
                    lines.Add($"  SQLite file of {name,-9} {(slope >= 0 ? "+" : "")}{N(slope, 1)} MB (the data itself: {N(files[name].Db, 1)} MB at the end, write-ahead log at most {N(Samples.Max(s => s.FilesMb[name].Wal), 1)} MB)");
                }
            }

            lines.Add("");
            lines.Add("verdicts (intake p99 and file sizes have no target here; on a shared machine the latency is noisy):");
            lines.AddRange(verdicts);
            return new Outcome(lines, figures, rows);
        }

        private static string Verdict(bool met, string target, string figure) => $"  {(met ? "met    " : "NOT MET")}  {target}: {figure}";
    }
}
