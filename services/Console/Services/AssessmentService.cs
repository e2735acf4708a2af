using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.Console.Services;

/// <summary>A contract's running assessment, as the scoring service computes it: every figure is the API's own.</summary>
public sealed record ContractAssessment(
    string Contract, string Title, string Bureau, string Contractor, decimal Amount, DateOnly ServiceStart, DateOnly ServiceEnd,
    decimal TotalDeduction, decimal Score, string Tier, decimal FeeReduction, bool RectificationRequired, List<AssessmentItem> Items);

/// <summary>One of the contract's items: its maximum, the points that count (capped), the ledger's sum, how many entries, and the newest of them.</summary>
public sealed record AssessmentItem(int Item, string Name, decimal MaxPoints, decimal Deducted, decimal Recorded, long Entries, List<LedgerEntry> Evidence);

/// <summary>
/// A ledger entry: a deduction (positive points: <c>breach</c> or <c>manual</c>) or an entry taking one back
/// (negative: <c>waiver</c> or <c>retraction</c>, naming it in <see cref="Compensates"/>).
/// </summary>
public sealed record LedgerEntry(
    Guid Id, int Item, decimal Points, string Source, string Reason, Guid? TicketId, string? TicketNumber, string? Clock,
    DateTimeOffset? Deadline, DateTimeOffset? BreachedAt, Guid? Compensates, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string RecordedBy);

/// <summary>What the scoring service answered for an assessment: the assessment, or its refusal.</summary>
public sealed record AssessmentAnswer(ContractAssessment? Assessment, string? Refusal);

/// <summary>The scoring service's assessment API (<c>/api/assessment</c>): managers and auditors read it, managers change it.</summary>
public sealed class AssessmentService(HttpClient http)
{
    /// <summary>The most entries one item shows at once; the API keeps at most 1,000 per item.</summary>
    public const int MostEvidence = 1000;

    /// <summary>The assessment of <paramref name="contract"/> (or of the caller's only one), with the newest <paramref name="evidence"/> entries of each item.</summary>
    public async Task<AssessmentAnswer> GetAsync(string? contract, int evidence, CancellationToken cancellationToken = default)
    {
        var query = $"api/assessment?evidence={evidence}" + (string.IsNullOrWhiteSpace(contract) ? "" : $"&contract={Uri.EscapeDataString(contract)}");
        using var response = await http.GetAsync(query, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var assessment = await response.Content.ReadFromJsonAsync<ContractAssessment>(cancellationToken)
                ?? throw new InvalidOperationException("The scoring service answered an assessment with no body.");
            return new AssessmentAnswer(assessment, null);
        }

        if ((int)response.StatusCode is 400 or 403 or 404)
        {
            return new AssessmentAnswer(null, await Problems.ReadAsync(response, cancellationToken));
        }

        response.EnsureSuccessStatusCode();
        return new AssessmentAnswer(null, null);
    }

    /// <summary>Records a manual deduction in the signed-in manager's name.</summary>
    public Task<ChangeRefusal?> AddDeductionAsync(string contract, int? item, decimal? points, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync("api/assessment/deductions", new { contract, item, points, reason }, cancellationToken);

    /// <summary>Waives a deduction: the ledger keeps it and adds a compensating entry with the reason, in the signed-in manager's name.</summary>
    public Task<ChangeRefusal?> WaiveAsync(Guid deduction, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync("api/assessment/waivers", new { deduction, reason }, cancellationToken);

    private async Task<ChangeRefusal?> ChangeAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        if ((int)response.StatusCode is 400 or 403 or 404 or 409 or 422)
        {
            return new ChangeRefusal(await Problems.ReadAsync(response, cancellationToken));
        }

        response.EnsureSuccessStatusCode();
        return null;
    }

    /// <summary>A problem+json answer in the scoring service's words (Chinese).</summary>
    private static class Problems
    {
        public static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    var messages = errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString()).OfType<string>().ToList();
                    if (messages.Count > 0)
                    {
                        return string.Join(" ", messages);
                    }
                }

                foreach (var name in (string[])["detail", "title"])
                {
                    if (problem.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(text.GetString()))
                    {
                        return text.GetString()!;
                    }
                }
            }
            catch (JsonException)
            {
                // Not a problem document: the refusal is said without its words below.
            }

            return response.StatusCode == HttpStatusCode.Forbidden ? "无权执行此操作。" : "操作被拒绝。";
        }
    }
}
