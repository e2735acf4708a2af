using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ops.Benchmarks;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Testing;

// The benchmark of Ops SLA: the real system (a private broker, the three services on SQLite, on PostgreSQL with
// --database postgres, or on SQL Server when OPS_BENCH_SQLSERVER names one the benchmark may create databases on)
// under intake load, breach precision with many running clocks, catch-up after an outage, queries over a
// contract year, footprint, and the machine's own ceilings measured in the same run.
// ./deploy/bench.sh [--quick] [--only intake|breach|catchup|queries|export] [--database postgres [--instances 2]];
// the last line printed is one JSON object with every figure. --only runs one part (and the ceilings), to look at
// one figure at a time; --instances runs that many instances of each service on the service's one database.
// ./deploy/bench.sh --soak 30m runs the soak instead (Soak.cs): a steady load for that long.
var soak = args.Contains("--soak") ? Soak.Length(args) : ((TimeSpan, string?)?)null;
if (soak is (_, { } soakError))
{
    Console.Error.WriteLine($"bench: {soakError}");
    return 2;
}

var quick = args.Contains("--quick");
var only = Option("--only");
var database = Option("--database");
var instances = Option("--instances") is { } count ? (int.TryParse(count, out var n) && n >= 1 ? n : 0) : 1;
if (database is not (null or "sqlite" or "postgres") || instances == 0)
{
    Console.Error.WriteLine("bench: --database sqlite|postgres, --instances a number from 1");
    return 2;
}

if (instances > 1 && database != "postgres")
{
    Console.Error.WriteLine("bench: --instances needs --database postgres: the instances of a service share its database, and a SQLite file is one process's");
    return 2;
}

bool Runs(string part) => only is null || only == part;
var sizes = quick
    ? new Sizes(Intake: 1_000, WarmUp: 500, Concurrency: 16, Clocks: [10_000], CatchUp: 10_000, Tickets: 100_000, Queries: 30, RabbitCeiling: 20_000, InsertCeiling: 50_000, Export: 20_000)
    : new Sizes(Intake: 20_000, WarmUp: 15_000, Concurrency: 32, Clocks: [10_000, 100_000, 1_000_000], CatchUp: 100_000, Tickets: 1_000_000, Queries: 50, RabbitCeiling: 100_000, InsertCeiling: 200_000, Export: 100_000);

var repository = FindRepository();
var run = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var data = Path.Combine(repository, ".local", "bench", run);
Directory.CreateDirectory(data);
var figures = new Dictionary<string, object>();
var table = new List<(string Measure, string Workload, string Value)>();
void Report(string key, double value, string measure, string workload, string unit, int decimals = 0)
{
    figures[key] = Math.Round(value, decimals);
    table.Add((measure, workload, $"{value.ToString($"N{decimals}", CultureInfo.InvariantCulture)} {unit}"));
    Console.Error.WriteLine($"  {measure} ({workload}): {value.ToString($"N{decimals}", CultureInfo.InvariantCulture)} {unit}");
}

await using var stores = BenchStores.From(database, run);
if (soak is ({ } soakLength, null))
{
    return await Soak.RunAsync(soakLength, repository, data, stores);
}

figures["store"] = stores.Name;
figures["instances"] = instances;
var broker = new Broker(repository);
await broker.StartAsync();
var runsOn = $"{stores.Describe()}{(instances > 1 ? $", {instances} instances of each" : "")}";
Console.Error.WriteLine($"bench: broker on {broker.Port}, data in {data} and {runsOn}, {(quick ? "quick" : "full")} run");

// 6. The machine's own ceilings.
var rabbitCeiling = await Ceiling.RabbitPublishPerSecondAsync(broker, sizes.RabbitCeiling);
Report("rabbit_ceiling_per_s", rabbitCeiling, "raw RabbitMQ.Client publish with confirms", $"{sizes.RabbitCeiling:N0} persistent messages, batches of 500", "msg/s");
var insertCeiling = await Ceiling.InsertsPerSecondAsync(await stores.OwnAsync(data, "ceiling"), sizes.InsertCeiling);
Report($"{stores.Name}_ceiling_rows_per_s", insertCeiling, $"raw {stores.Product} inserts through Dapper", $"{sizes.InsertCeiling:N0} rows, 100 per transaction", "rows/s");

// The system: each service once, or as several instances on the first one's database (sla-timer, sla-timer-2, …).
List<ServiceProcess> Instances(string name, string folder) =>
    [.. Enumerable.Range(1, instances).Select(k => new ServiceProcess(k == 1 ? name : $"{name}-{k}", folder, repository, data, broker))];
var slaTimerInstances = Instances("sla-timer", "SlaTimer");
var scoringInstances = Instances("scoring", "Scoring");
var ticketsInstances = Instances("tickets", "Tickets");
var (slaTimer, scoring, tickets) = (slaTimerInstances[0], scoringInstances[0], ticketsInstances[0]);
ServiceProcess[] everyInstance = [.. ticketsInstances, .. slaTimerInstances, .. scoringInstances];
var slaTimerStore = await stores.ForAsync(slaTimer, data, "sla-timer");
await stores.ForAsync(scoring, data, "scoring");
await stores.ForAsync(tickets, data, "tickets");
foreach (var service in new[] { slaTimerInstances, scoringInstances, ticketsInstances })
{
    foreach (var other in service.Skip(1))
    {
        other.ShareStoreOf(service[0]);
    }
}

foreach (var service in everyInstance)
{
    service.Settings["Logging__LogLevel__Default"] = "Warning";
}

foreach (var instance in ticketsInstances)
{
    instance.Settings["Intake__RateLimit__PermitsPerSecond"] = "100000";
    instance.Settings["Intake__RateLimit__Burst"] = "1000000";
}

foreach (var instance in scoringInstances)
{
    instance.Settings["Reports__Schedule"] = "false"; // its runs would fall inside the measurements; the report is measured on demand
}

foreach (var service in new[] { slaTimerInstances, scoringInstances, ticketsInstances }.SelectMany(i => i))
{
    await service.StartAsync();
    Report($"startup_s_{Key(service.Name)}", service.StartUpTime.TotalSeconds, $"start-up of {service.Name}", "process start to ready", "s", 2);
}

await Task.Delay(2000);
foreach (var service in everyInstance)
{
    Report($"rss_mb_idle_{Key(service.Name)}", Measure.ResidentMb(service.ProcessId), $"resident memory of {service.Name}, idle", "after start", "MB");
}

// Breaches are timed where the issue asks: on the bus, by a queue of the benchmark's own.
var watch = await BreachWatch.StartAsync(broker);
var breaches = watch.Arrivals;

try
{
    // 1. Intake throughput, end to end: a report counts once both its clocks exist in the sla-timer's store
    // (read from its store; an observer of SlaClockStarted would add two deliveries per fault to the broker's work).
    if (Runs("intake"))
    {
        // The clients are spread evenly over the tickets instances, as behind a load balancer.
        var hotlines = ticketsInstances.Select(t => t.Anonymous().As(Roles.Intake, "bench hotline")).ToList();

        // Reports `count` faults from `Concurrency` clients and checks that each has its two clocks; returns each
        // call's latency, and the times until the API had accepted them all and until the sla-timer had stored all their clocks.
        async Task<(List<double> Latencies, TimeSpan Accepted, TimeSpan EndToEnd)> ReportFaultsAsync(int count)
        {
            var latencies = new ConcurrentBag<double>();
            var ids = new ConcurrentBag<Guid>();
            var clocksBefore = await ClockCountAsync(slaTimerStore);
            var next = -1;
            var intake = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, sizes.Concurrency).Select(async client =>
            {
                var hotline = hotlines[client % hotlines.Count];
                while (Interlocked.Increment(ref next) < count)
                {
                    var call = Stopwatch.StartNew();
                    using var response = await hotline.PostAsJsonAsync("api/tickets", new
                    {
                        channel = "phone",
                        severity = "general",
                        siteCode = "OTQ",
                        system = "综合一窗受理平台",
                        title = "压测故障",
                        reporter = new { name = "测试员", phone = "13800001111" },
                    });
                    latencies.Add(call.Elapsed.TotalMilliseconds);
                    response.EnsureSuccessStatusCode();
                    ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
                }
            }));
            var accepted = intake.Elapsed;
            await UntilAsync(async () => await ClockCountAsync(slaTimerStore) >= clocksBefore + 2L * count, TimeSpan.FromMinutes(10), "every reported fault has its two clocks");
            var endToEnd = intake.Elapsed;
            var withBothClocks = (await slaTimerStore.ReadAsync(c => c.QueryAsync<Guid>(BenchSql.TicketsWithBothClocks))).ToHashSet();
            if (!ids.All(withBothClocks.Contains))
            {
                throw new InvalidOperationException("A reported fault does not have its two clocks in the sla-timer.");
            }

            return ([.. latencies], accepted, endToEnd);
        }

        // Warm-up, not counted: the runtime compiles the hot paths again, optimised, during the first few
        // thousand faults (a quarter of the machine's time while it lasts), and was still compiling tens of
        // methods a second in each service after 5,000. The figures below are the services' steady state, as in
        // a deployment that has been running; scoring finishes the warm-up's events first.
        await ReportFaultsAsync(sizes.WarmUp);
        await broker.WaitUntilIdleAsync(TimeSpan.FromMinutes(5));
        Report("intake_warm_up_faults", sizes.WarmUp, "intake warm-up (not counted)", $"{sizes.WarmUp:N0} faults before the measured ones", "faults");

        var running = everyInstance.ToDictionary(s => s.Name, s => (Func<int?>)(() => s.ProcessId));
        await using (var memory = new Measure.MemoryWatch(running))
        {
            // Each instance, the broker, the benchmark, and on PostgreSQL the database server with its server processes.
            var processes = running.ToDictionary(p => p.Key, p => (Func<double>)(() => Measure.CpuSeconds(p.Value())));
            processes["broker"] = () => Measure.CpuSeconds(broker.VirtualMachine()?.ProcessId);
            processes["benchmark"] = () => Measure.CpuSeconds(Environment.ProcessId);
            if (stores.ServerProcessId() is { } server)
            {
                processes[stores.Name] = () => Measure.CpuSecondsWithChildren(server);
            }

            var cpuBefore = processes.ToDictionary(p => p.Key, p => p.Value());
            var (latencies, accepted, endToEnd) = await ReportFaultsAsync(sizes.Intake);
            var cpu = processes.ToDictionary(p => p.Key, p => p.Value() - cpuBefore[p.Key]);
            Report("intake_per_s", sizes.Intake / endToEnd.TotalSeconds, "intake, end to end (both clocks stored by the sla-timer)", $"{sizes.Intake:N0} faults, {sizes.Concurrency} clients", "faults/s");
            Report("intake_http_per_s", sizes.Intake / accepted.TotalSeconds, "intake, accepted by the API", $"{sizes.Intake:N0} faults, {sizes.Concurrency} clients", "faults/s");
            Report("intake_p50_ms", Measure.Percentile([.. latencies], 0.5), "intake HTTP latency p50", $"{sizes.Intake:N0} faults", "ms", 1);
            Report("intake_p99_ms", Measure.Percentile([.. latencies], 0.99), "intake HTTP latency p99", $"{sizes.Intake:N0} faults", "ms", 1);
            Report("intake_ratio_of_rabbit_ceiling", sizes.Intake / endToEnd.TotalSeconds / rabbitCeiling, "intake ÷ raw publish ceiling", "", "", 3);

            // What a fault cost each process in CPU time: steadier from run to run than the rate, and it says where the time goes.
            foreach (var (name, seconds) in cpu)
            {
                Report($"intake_cpu_us_per_fault_{Key(name)}", seconds * 1e6 / sizes.Intake, $"intake CPU per fault: {name}", $"{sizes.Intake:N0} faults", "µs");
            }

            Report("intake_cpu_us_per_fault", cpu.Values.Sum() * 1e6 / sizes.Intake, "intake CPU per fault, all of the above", $"{sizes.Intake:N0} faults", "µs");
            Report("intake_cpu_busy_percent", cpu.Values.Sum() / (endToEnd.TotalSeconds * Environment.ProcessorCount) * 100, "intake: the machine's CPU in use", $"{Environment.ProcessorCount} cores", "%");
            foreach (var (name, mb) in memory.Max)
            {
                Report($"rss_mb_load_{Key(name)}", mb, $"resident memory of {name}, under intake load", "maximum sampled", "MB");
            }
        }

        hotlines.ForEach(h => h.Dispose());
    }

    // 2. Breach precision with N running clocks, seeded into the sla-timer's store; 200 of them fall due during the run.
    var seeded = 0;
    foreach (var size in Runs("breach") ? sizes.Clocks : [])
    {
        var far = DateTimeOffset.UtcNow.AddDays(30);
        await Seeding.RunningClocksAsync(slaTimerStore, [.. Enumerable.Range(0, size - seeded - 200).Select(i => far.AddSeconds(i % 86_400))]);
        var due = DateTimeOffset.UtcNow.AddSeconds(4);
        var watched = await Seeding.RunningClocksAsync(slaTimerStore, [.. Enumerable.Range(0, 200).Select(i => due.AddMilliseconds(i * 25))]);
        seeded = size;
        await Until(() => watched.All(c => breaches.ContainsKey(c.Id)), TimeSpan.FromMinutes(2), $"the 200 due clocks among {size:N0} are breached");
        var delays = watched.Select(c => (breaches[c.Id].Min() - c.Deadline).TotalMilliseconds).ToList();
        Report($"breach_p50_ms_at_{size}", Measure.Percentile(delays, 0.5), "breach delay p50 (deadline → SlaBreached on the bus)", $"{size:N0} running clocks", "ms");
        Report($"breach_p99_ms_at_{size}", Measure.Percentile(delays, 0.99), "breach delay p99", $"{size:N0} running clocks", "ms");
        Report($"breach_max_ms_at_{size}", delays.Max(), "breach delay max", $"{size:N0} running clocks", "ms");
    }

    // 3. Catch-up: the sla-timer is down while deadlines pass. Scoring is stopped first so that it does not
    // compete for the two cores with the service being measured (its deductions are not what is timed). With
    // several instances, once with one sla-timer restarted and once with all of them, on missed deadlines of their own.
    if (Runs("catchup"))
    {
        foreach (var service in scoringInstances)
        {
            await service.KillAsync();
        }

        foreach (var restarted in instances == 1 ? [slaTimerInstances] : new[] { slaTimerInstances[..1], slaTimerInstances })
        {
            var prefix = restarted.Count == 1 ? "catchup" : $"catchup_{restarted.Count}_sla_timers";
            var workload = $"{sizes.CatchUp:N0} missed deadlines{(restarted.Count == 1 ? "" : $", {restarted.Count} sla-timers")}";
            foreach (var service in slaTimerInstances)
            {
                await service.KillAsync();
            }

            var missed = await Seeding.RunningClocksAsync(slaTimerStore,
                [.. Enumerable.Range(0, sizes.CatchUp).Select(i => DateTimeOffset.UtcNow.AddMinutes(-60).AddMilliseconds(i))]);

            // The breaches reach only scoring's queue meanwhile, as in a deployment; the watch counts them there and
            // reads them once all have arrived.
            await watch.StandAsideAsync(scoring.Name);
            var target = await watch.WaitingAsync() + sizes.CatchUp;
            var serverCpu = Measure.CpuSecondsWithChildren(stores.ServerProcessId());
            var catchUp = Stopwatch.StartNew();
            await using (var memory = new Measure.MemoryWatch(restarted.ToDictionary(s => s.Name, s => (Func<int?>)(() => s.ProcessId))))
            {
                await Task.WhenAll(restarted.Select(s => s.StartAsync()));
                await UntilAsync(async () => await watch.WaitingAsync() >= target, TimeSpan.FromMinutes(10), $"all {sizes.CatchUp:N0} missed deadlines are published");
                Report($"{prefix}_s_{sizes.CatchUp}", catchUp.Elapsed.TotalSeconds, "catch-up: start to the last missed breach published", workload, "s", 2);

                // What each instance spent from its start to the last breach, and what the database server did meanwhile.
                foreach (var service in restarted)
                {
                    Report($"{prefix}_cpu_s_{Key(service.Name)}", Measure.CpuSeconds(service.ProcessId), $"catch-up CPU: {service.Name}", workload, "s", 2);
                }

                if (stores.ServerProcessId() is { } server)
                {
                    Report($"{prefix}_cpu_s_{stores.Name}", Measure.CpuSecondsWithChildren(server) - serverCpu, $"catch-up CPU: {stores.Name}", workload, "s", 2);
                }

                // Not among the footprint figures (idle and under intake load), so not in rss_mb_max: a burst, shown on its own.
                foreach (var (name, mb) in memory.Max)
                {
                    Report($"{prefix}_rss_mb_{Key(name)}", mb, $"resident memory of {name}, catching up", "maximum sampled", "MB");
                }
            }

            await watch.ReadStandInAsync();
            await Until(() => missed.All(c => breaches.ContainsKey(c.Id)), TimeSpan.FromMinutes(2), $"all {sizes.CatchUp:N0} missed breaches are read");
            await Task.Delay(2000);
            var twice = missed.Count(c => breaches[c.Id].Count != 1);
            Report($"{prefix}_published_twice_{sizes.CatchUp}", twice, "catch-up: breaches published more than once", workload, "");
        }
    }

    // 4. Queries over a contract year, on a scoring process of its own (no broker: nothing else runs in it).
    if (Runs("queries"))
    {
        var queryData = Path.Combine(data, "queries");
        Directory.CreateDirectory(queryData);
        var queries = new ServiceProcess("scoring-queries", "Scoring", repository, queryData, broker);
        queries.Settings["RabbitMq__Port"] = "1";
        queries.Settings["Logging__LogLevel__Default"] = "Warning";
        queries.Settings["Reports__Schedule"] = "false";
        var queryStore = await stores.ForAsync(queries, queryData, "scoring");
        await queries.StartAsync("database");
        try
        {
            var (clocks, deductions) = await Seeding.ContractYearAsync(queryStore, sizes.Tickets);
            Console.Error.WriteLine($"bench: seeded {clocks:N0} clocks and {deductions:N0} deductions of {sizes.Tickets:N0} faults");
            var rebuild = Stopwatch.StartNew();
            var (exitCode, output) = await queries.AdminAsync("rebuild-dashboard");
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"admin rebuild-dashboard failed: {output}");
            }

            Report("dashboard_rebuild_s", rebuild.Elapsed.TotalSeconds, "dashboard roll-ups built (admin rebuild-dashboard)", $"{clocks:N0} clocks", "s", 1);
            using var manager = queries.Client();
            foreach (var (key, path) in new[] { ("dashboard", "api/dashboard/sla"), ("assessment", "api/assessment") })
            {
                var samples = new List<double>();
                for (var i = 0; i < sizes.Queries + 5; i++)
                {
                    var call = Stopwatch.StartNew();
                    using var response = await manager.GetAsync(path);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                    if (i >= 5)
                    {
                        samples.Add(call.Elapsed.TotalMilliseconds);
                    }
                }

                Report($"{key}_p50_ms", Measure.Percentile(samples, 0.5), $"GET /{path} p50", $"{sizes.Tickets:N0} faults, a contract year", "ms", 1);
                Report($"{key}_p99_ms", Measure.Percentile(samples, 0.99), $"GET /{path} p99", $"{sizes.Tickets:N0} faults, a contract year", "ms", 1);
            }

            Report("rss_mb_queries", Measure.ResidentMb(queries.ProcessId), "resident memory of scoring after the queries", $"{sizes.Tickets:N0} faults", "MB");

            // The report of the busiest month that has ended, generated on demand (the schedule is off here, so this is version 1).
            var thisMonth = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var months = (await queryStore.ReadAsync(c => c.QueryAsync<(string Month, long Clocks)>(BenchSql.ClocksByMonth))).ToList();
            var (busiest, monthClocks) = months.Where(m => string.CompareOrdinal(m.Month, thisMonth) < 0).DefaultIfEmpty(months.MaxBy(m => m.Clocks)).MaxBy(m => m.Clocks);
            var generate = Stopwatch.StartNew();
            using (var generated = await manager.PostAsJsonAsync("api/reports", new { contract = "OTQ-2026-OPS", kind = "month", period = busiest }))
            {
                generated.EnsureSuccessStatusCode();
            }

            Report("report_month_s", generate.Elapsed.TotalSeconds, $"POST /api/reports, the month {busiest}", $"{monthClocks / 2:N0} faults in the month", "s", 2);
            Report("report_peak_mb", Measure.PeakResidentMb(queries.ProcessId), "peak resident memory of scoring, up to the month's report", "VmHWM since start", "MB");

            // The console's pages over that contract year, signed in as a manager: add a page here to measure it too.
            var console = new ServiceProcess("console", "Console", repository, queryData, broker);
            console.Settings["Console__Tickets"] = tickets.BaseAddress.ToString();
            console.Settings["Console__SlaTimer"] = slaTimer.BaseAddress.ToString();
            console.Settings["Console__Scoring"] = queries.BaseAddress.ToString();
            console.Settings["Logging__LogLevel__Default"] = "Warning";
            await console.StartAsync("tickets", "sla-timer", "scoring");
            try
            {
                using var pages = new ConsolePages(console.BaseAddress);
                await pages.SignInAsync(tickets, "manager");
                foreach (var (key, path) in new[] { ("dashboard", "dashboard"), ("assessment", "assessment") })
                {
                    var cost = await pages.MeasureAsync(path, sizes.Queries);
                    Report($"console_{key}_p50_ms", Measure.Percentile(cost.Times, 0.5), $"console GET /{path} p50 (signed in, whole page)", $"{sizes.Tickets:N0} faults, a contract year", "ms", 1);
                    Report($"console_{key}_p99_ms", Measure.Percentile(cost.Times, 0.99), $"console GET /{path} p99", $"{sizes.Tickets:N0} faults, a contract year", "ms", 1);
                    Report($"console_{key}_first_visit_kb", cost.FirstVisitBytes / 1024.0, $"console /{path} first visit, compressed (br)", "the page and every asset it names", "KB", 1);
                    Report($"console_{key}_repeat_visit_kb", cost.RepeatVisitBytes / 1024.0, $"console /{path} repeat visit, with the browser cache", "what Cache-Control/ETag do not keep", "KB", 1);
                }

                figures["console_first_visit_kb"] = figures.Where(f => f.Key.StartsWith("console_", StringComparison.Ordinal) && f.Key.EndsWith("_first_visit_kb", StringComparison.Ordinal)).Max(f => Convert.ToDouble(f.Value, CultureInfo.InvariantCulture));
                figures["console_repeat_visit_kb"] = figures.Where(f => f.Key.StartsWith("console_", StringComparison.Ordinal) && f.Key.EndsWith("_repeat_visit_kb", StringComparison.Ordinal)).Max(f => Convert.ToDouble(f.Value, CultureInfo.InvariantCulture));
            }
            finally
            {
                await console.DisposeAsync();
            }
        }
        finally
        {
            await queries.DisposeAsync();
        }
    }

    // 5. An export of the ticket list as CSV and as XLSX, from a tickets process of its own (no broker): rows per
    // second as the client receives them, and the process's peak resident memory while it writes them.
    if (Runs("export"))
    {
        var exportData = Path.Combine(data, "export");
        Directory.CreateDirectory(exportData);
        var exporter = new ServiceProcess("tickets-export", "Tickets", repository, exportData, broker);
        exporter.Settings["RabbitMq__Port"] = "1";
        exporter.Settings["Logging__LogLevel__Default"] = "Warning";
        var exportStore = await stores.ForAsync(exporter, exportData, "tickets");
        try
        {
            await exporter.StartAsync("database"); // its schema
            await exporter.KillAsync();
            await Seeding.TicketsAsync(exportStore, sizes.Export);
            await exporter.StartAsync("database"); // encrypts the seeded phones at start, as it does rows stored before encryption
            Console.Error.WriteLine($"bench: seeded {sizes.Export:N0} tickets for the export");
            using var manager = exporter.Client();
            manager.Timeout = TimeSpan.FromMinutes(10);
            var rates = new List<double>();
            var peaks = new List<double>();
            foreach (var format in new[] { "csv", "xlsx" })
            {
                var memory = new Measure.MemoryWatch(new Dictionary<string, Func<int?>> { ["tickets"] = () => exporter.ProcessId });
                var clock = Stopwatch.StartNew();
                var file = Path.Combine(exportData, $"tickets.{format}");
                using (var response = await manager.GetAsync($"api/tickets/export?format={format}", HttpCompletionOption.ResponseHeadersRead))
                {
                    response.EnsureSuccessStatusCode();
                    await using var saved = File.Create(file);
                    await response.Content.CopyToAsync(saved);
                }

                var elapsed = clock.Elapsed;
                await memory.DisposeAsync();
                var rows = format == "csv"
                    ? CsvText.Parse(await File.ReadAllBytesAsync(file)).Count - 1
                    : MiniExcelLibs.MiniExcel.Query(file, useHeaderRow: true).Count();
                if (rows != sizes.Export)
                {
                    throw new InvalidOperationException($"The {format} export holds {rows:N0} tickets, not {sizes.Export:N0}.");
                }

                rates.Add(rows / elapsed.TotalSeconds);
                peaks.Add(memory.Max.GetValueOrDefault("tickets", double.NaN));
                Report($"export_rows_per_s_{format}", rates[^1], $"GET /api/tickets/export?format={format}", $"{sizes.Export:N0} tickets, {new FileInfo(file).Length / 1048576.0:N1} MB", "rows/s");
                Report($"export_peak_mb_{format}", peaks[^1], $"peak resident memory of tickets, {format} export", $"{sizes.Export:N0} tickets", "MB");
            }

            figures["export_rows_per_s"] = Math.Round(rates.Min());
            figures["export_peak_mb"] = Math.Round(peaks.Max());
        }
        finally
        {
            await exporter.DisposeAsync();
        }
    }

    figures["rss_mb_max"] = figures.Where(f => f.Key.StartsWith("rss_mb_", StringComparison.Ordinal)).Max(f => Convert.ToDouble(f.Value, CultureInfo.InvariantCulture));
}
finally
{
    await watch.DisposeAsync();
    foreach (var service in everyInstance)
    {
        await service.DisposeAsync();
    }

    await broker.StopAsync();
}

Console.WriteLine();
Console.WriteLine($"Ops SLA benchmark ({(quick ? "quick" : "full")} run, {Environment.ProcessorCount} cores, services on {runsOn}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
Console.WriteLine($"{"measure",-58} {"workload",-46} value");
foreach (var (measure, workload, value) in table)
{
    Console.WriteLine($"{measure,-58} {workload,-46} {value}");
}

Console.WriteLine(JsonSerializer.Serialize(figures));
return 0;

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static string Key(string name) => name.Replace('-', '_');

static Task<long> ClockCountAsync(Database store) =>
    store.ReadAsync(c => c.ExecuteScalarAsync<long>(BenchSql.ClockCount));

static Task Until(Func<bool> condition, TimeSpan limit, string what) => UntilAsync(() => Task.FromResult(condition()), limit, what);

static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
{
    var watch = Stopwatch.StartNew();
    while (!await condition())
    {
        if (watch.Elapsed > limit)
        {
            throw new TimeoutException($"Not within {limit}: {what}.");
        }

        await Task.Delay(20);
    }
}

static string FindRepository()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ops.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
}

/// <summary>The workload sizes of a run.</summary>
internal sealed record Sizes(int Intake, int WarmUp, int Concurrency, int[] Clocks, int CatchUp, int Tickets, int Queries, int RabbitCeiling, int InsertCeiling, int Export);
