using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.Console.Services;

/// <summary>SLA compliance as scoring's dashboard answers it (<c>GET /api/dashboard/sla</c>): rates in percent, times in minutes.</summary>
public sealed record SlaFigures(
    DateTimeOffset From, DateTimeOffset To, string? SiteCode, string? System, string? Severity,
    long Faults, long Responded, long RespondedOnTime, decimal? ResponseRate, long Repaired, long RepairedOnTime, decimal? RepairRate,
    long OpenBreaches, long Reopened, decimal? MeanAcknowledgeMinutes, decimal? P90AcknowledgeMinutes, decimal? MeanRepairMinutes, decimal? P90RepairMinutes,
    long Requests, long Completed, long CompletedOnTime, decimal? CompletionRate);

/// <summary>The figures split by month, site or system (<c>GET /api/dashboard/sla/breakdown</c>).</summary>
public sealed record SlaRows(string By, List<SlaFigures> Rows);

/// <summary>The contract's running assessment, as much of it as the dashboard shows (<c>GET /api/assessment</c>).</summary>
public sealed record AssessmentFigures(string Contract, string Title, decimal Amount, decimal TotalDeduction, decimal Score, string Tier, decimal FeeReduction, bool RectificationRequired);

/// <summary>The dashboard's contract and filters as scoring's query takes them; empty values are left out.</summary>
public sealed record DashboardQuery(string? Contract, DateTimeOffset? From, DateTimeOffset? To, string? SiteCode, string? System, string? Severity)
{
    public string QueryString => string.Join("&", new (string Name, string? Value)[]
        {
            ("contract", Contract),
            ("from", From?.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)),
            ("to", To?.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)),
            ("siteCode", SiteCode),
            ("system", System),
            ("severity", Severity),
        }
        .Where(p => !string.IsNullOrEmpty(p.Value))
        .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
}

/// <summary>An answer of scoring, or its refusal in Chinese (the problem's detail and errors).</summary>
public sealed record Answer<T>(T? Value, string? Refusal) where T : class;

/// <summary>Scoring's dashboard and assessment, as the signed-in manager or auditor.</summary>
public sealed class DashboardService(HttpClient http)
{
    public Task<Answer<SlaFigures>> ComplianceAsync(DashboardQuery query, CancellationToken cancellationToken = default) =>
        GetAsync<SlaFigures>($"api/dashboard/sla?{query.QueryString}", cancellationToken);

    /// <summary><paramref name="by"/>: month, site or system.</summary>
    public Task<Answer<SlaRows>> BreakdownAsync(string by, DashboardQuery query, CancellationToken cancellationToken = default) =>
        GetAsync<SlaRows>($"api/dashboard/sla/breakdown?by={by}&{query.QueryString}", cancellationToken);

    /// <summary>The contract's assessment without its evidence: the dashboard shows the totals only.</summary>
    public Task<Answer<AssessmentFigures>> AssessmentAsync(string? contract, CancellationToken cancellationToken = default) =>
        GetAsync<AssessmentFigures>("api/assessment?evidence=0" + (string.IsNullOrEmpty(contract) ? "" : $"&contract={Uri.EscapeDataString(contract)}"), cancellationToken);

    private async Task<Answer<T>> GetAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
        {
            return new(null, await RefusalAsync(response, cancellationToken));
        }

        response.EnsureSuccessStatusCode();
        return new(await response.Content.ReadFromJsonAsync<T>(cancellationToken), null);
    }

    /// <summary>The problem's detail and each error's words, as the API wrote them.</summary>
    private static async Task<string> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var words = new List<string>();
            if (problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                words.Add(detail.GetString()!);
            }

            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                words.AddRange(errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString() ?? ""));
            }

            return words.Count > 0 ? string.Join(" ", words) : "服务拒绝了这个请求。";
        }
        catch (JsonException)
        {
            return "服务拒绝了这个请求。";
        }
    }
}
