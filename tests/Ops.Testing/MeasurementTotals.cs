using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Ops.Testing;

/// <summary>
/// Adds up what one instrument of a service in memory records, from that service's own meters only: several services
/// in one test process each have meters of the same names, which a scrape of one may not tell apart.
/// </summary>
public sealed class MeasurementTotals : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(double Value, string[] Labels)> measurements = new();

    public MeasurementTotals(IServiceProvider services, string instrument)
    {
        var meters = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (published, l) =>
        {
            if (published.Name == instrument && ReferenceEquals(published.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(published);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Record(value, tags));
        listener.Start();
    }

    /// <summary>The sum of the measurements with every one of <paramref name="labels"/> (<c>name=value</c>).</summary>
    public double Total(params string[] labels) =>
        measurements.Where(m => labels.All(m.Labels.Contains)).Sum(m => m.Value);

    private void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = $"{tags[i].Key}={tags[i].Value}";
        }

        measurements.Enqueue((value, labels));
    }

    public void Dispose() => listener.Dispose();
}
