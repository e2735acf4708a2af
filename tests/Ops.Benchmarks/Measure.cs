using System.Diagnostics;
using System.Globalization;

namespace Ops.Benchmarks;

/// <summary>Percentiles of a set of samples (nearest rank), and the resident memory and CPU time of a process.</summary>
internal static class Measure
{
    public static double Percentile(IReadOnlyList<double> samples, double fraction)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToList();
        return sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }

    /// <summary>Resident memory in MB from /proc (Linux), or NaN when the process is gone.</summary>
    public static double ResidentMb(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/status"))
        {
            return double.NaN;
        }

        var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>The most resident memory the process has held since it started (VmHWM, Linux), in MB, or NaN when it is gone.</summary>
    public static double PeakResidentMb(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/status"))
        {
            return double.NaN;
        }

        var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>
    /// The CPU time a process has used (user and system, from /proc/{pid}/stat, in the kernel's 1/100 s), or
    /// NaN when it is gone. Differences of it say what a workload cost each process, which varies far less
    /// from run to run than a rate on a shared machine.
    /// </summary>
    public static double CpuSeconds(int? pid) => Stat(pid) is { } fields ? Ticks(fields, 11, 12) : double.NaN;

    /// <summary>
    /// The CPU time of a server together with its children (PostgreSQL's postmaster and its server processes): its
    /// own, its ended children's, and each running child's. A child that ends during a measurement counts whole.
    /// </summary>
    public static double CpuSecondsWithChildren(int? pid)
    {
        if (Stat(pid) is not { } server)
        {
            return double.NaN;
        }

        var parent = pid!.Value.ToString(CultureInfo.InvariantCulture);
        var children = Directory.EnumerateDirectories("/proc")
            .Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0]))
            .Select(d => Stat(int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture)))
            .Where(f => f is not null && f[1] == parent);
        return Ticks(server, 11, 12, 13, 14) + children.Sum(f => Ticks(f!, 11, 12));
    }

    /// <summary>The fields of /proc/{pid}/stat after the command name (field 2, in parentheses, may hold spaces), or null when it is gone.</summary>
    private static string[]? Stat(int? pid)
    {
        try
        {
            var stat = pid is { } id ? File.ReadAllText($"/proc/{id}/stat") : null;
            return stat?[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null; // it ended meanwhile
        }
    }

    private static double Ticks(string[] fields, params int[] indexes) =>
        indexes.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture)) / 100.0;

    /// <summary>Samples the resident memory of the processes every 200 ms until disposed, keeping each one's maximum.</summary>
    public sealed class MemoryWatch : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task sampling;

        public MemoryWatch(IReadOnlyDictionary<string, Func<int?>> processes)
        {
            sampling = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var (name, pid) in processes)
                    {
                        var mb = ResidentMb(pid());
                        if (!double.IsNaN(mb))
                        {
                            Max[name] = Math.Max(Max.GetValueOrDefault(name), mb);
                        }
                    }

                    try
                    {
                        await Task.Delay(200, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            });
        }

        public Dictionary<string, double> Max { get; } = [];

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await sampling;
            stop.Dispose();
        }
    }

    public static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed;
    }
}
