using System.Globalization;

namespace Ops.Testing;

/// <summary>What <c>GET /metrics</c> answers, read as Prometheus reads it.</summary>
public static class PrometheusText
{
    /// <summary>
    /// The sum of the samples of <paramref name="metric"/> whose labels include every one of <paramref name="labels"/>
    /// (written <c>name=value</c>); null when it has none.
    /// </summary>
    public static double? Value(string text, string metric, params string[] labels)
    {
        double? sum = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (line.StartsWith('#') || nameEnd < 0 || line[..nameEnd] != metric)
            {
                continue;
            }

            // The last brace: a label's value may hold braces of its own (http_route="api/tickets/{id}").
            var labelsEnd = line[nameEnd] == '{' ? line.LastIndexOf('}') : nameEnd;
            var present = line[nameEnd] == '{' ? line[(nameEnd + 1)..labelsEnd].Split(',') : [];
            if (!labels.All(l => present.Contains($"{l[..l.IndexOf('=')]}=\"{l[(l.IndexOf('=') + 1)..]}\"")))
            {
                continue;
            }

            var value = line[(labelsEnd + 1)..].Trim().Split(' ')[0];
            sum = (sum ?? 0) + double.Parse(value, CultureInfo.InvariantCulture);
        }

        return sum;
    }

    /// <summary>The service's metrics now, read without credentials as Prometheus reads them.</summary>
    public static async Task<string> ScrapeAsync(HttpClient anonymous)
    {
        using var response = await anonymous.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
