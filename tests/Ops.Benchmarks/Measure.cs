using System.Diagnostics;
using System.Globalization;

namespace Ops.Benchmarks;

/// <summary>Percentiles of a set of samples (nearest rank), and the resident memory of a process.</summary>
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
