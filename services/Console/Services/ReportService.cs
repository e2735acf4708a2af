using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>A stored report as scoring lists it: which period, which version, who made it and the SHA-256 of its workbook.</summary>
/// <param name="SiteCode">One site's report; null for the whole contract (全合同).</param>
/// <param name="InProgress">Made before its period ended (未结束).</param>
public sealed record ReportSummary(
    Guid Id, string Contract, string Kind, string Period, string PeriodName, DateTimeOffset From, DateTimeOffset To, string? SiteCode,
    int Version, bool InProgress, DateTimeOffset GeneratedAt, string GeneratedBy, string Sha256, long Bytes);

/// <summary>What scoring answered to "generate now": the report, and whether it is a new version or the newest one unchanged.</summary>
public sealed record Generated(ReportSummary Report, bool IsNew);

/// <summary>What scoring answered to a file checked against the stored reports: the report and version it is, or none and its SHA-256.</summary>
public sealed record Verification(bool Matches, ReportSummary? Report, string? Sha256);

/// <summary>Scoring's report API (<c>/api/reports</c>): managers and auditors list, read, download and verify; managers generate.</summary>
public sealed class ReportService(HttpClient http)
{
    private sealed record ReportList(List<ReportSummary> Items);

    /// <summary>The contract's reports, newest period first and then newest version; <paramref name="kind"/> month|quarter|year, <paramref name="site"/> a site's code.</summary>
    public async Task<Answer<List<ReportSummary>>> ListAsync(string contract, string? kind, string? site, CancellationToken cancellationToken = default)
    {
        var query = $"api/reports?contract={Uri.EscapeDataString(contract)}"
            + (string.IsNullOrEmpty(kind) ? "" : $"&kind={Uri.EscapeDataString(kind)}")
            + (string.IsNullOrEmpty(site) ? "" : $"&site={Uri.EscapeDataString(site)}");
        using var response = await http.GetAsync(query, cancellationToken);
        if (await RefusalAsync(response, cancellationToken) is { } refusal)
        {
            return new(null, refusal);
        }

        return new((await response.Content.ReadFromJsonAsync<ReportList>(cancellationToken))?.Items ?? [], null);
    }

    /// <summary>A report with its figures (<c>GET /api/reports/{id}</c>); none when scoring knows no such report.</summary>
    public async Task<Answer<ReportDocument>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/reports/{id}", cancellationToken);
        if (await RefusalAsync(response, cancellationToken) is { } refusal)
        {
            return new(null, refusal);
        }

        return new(await response.Content.ReadFromJsonAsync<ReportDocument>(cancellationToken), null);
    }

    /// <summary>Generates the period's report now in the signed-in manager's name: 201 a new version, 200 the newest one when nothing changed.</summary>
    public async Task<(Generated? Generated, string? Refusal)> GenerateAsync(string contract, string kind, string period, string? site, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/reports", new { contract, kind, period, site = string.IsNullOrEmpty(site) ? null : site }, cancellationToken);
        if (await RefusalAsync(response, cancellationToken) is { } refusal)
        {
            return (null, refusal);
        }

        var report = await response.Content.ReadFromJsonAsync<ReportSummary>(cancellationToken)
            ?? throw new InvalidOperationException("Scoring answered a generated report with no body.");
        return (new Generated(report, response.StatusCode == System.Net.HttpStatusCode.Created), null);
    }

    /// <summary>Checks a file against every stored report's SHA-256, streaming it to scoring as the form field <c>file</c>.</summary>
    public async Task<(Verification? Verification, string? Refusal)> VerifyAsync(Stream file, string fileName, CancellationToken cancellationToken = default)
    {
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", fileName);
        using var response = await http.PostAsync("api/reports/verify", content, cancellationToken);
        if (await RefusalAsync(response, cancellationToken) is { } refusal)
        {
            return (null, refusal);
        }

        return (await response.Content.ReadFromJsonAsync<Verification>(cancellationToken), null);
    }

    /// <summary>The refusal in scoring's own words (400/403/404/409/413/422), none for a success; any other failure throws to the status page.</summary>
    private static async Task<string?> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        if ((int)response.StatusCode is 400 or 403 or 404 or 409 or 413 or 422)
        {
            return await TicketService.RefusalAsync(response, cancellationToken) is var words && words == "操作被拒绝。" && response.StatusCode == System.Net.HttpStatusCode.Forbidden
                ? "无权执行此操作。"
                : words;
        }

        response.EnsureSuccessStatusCode();
        return null;
    }
}
