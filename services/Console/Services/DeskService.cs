using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ops.Console.Services;

/// <summary>A code and the name people read, e.g. <c>OTQ</c> 鄂托克前旗政务服务与数据管理局, or <c>urgent</c> 紧急.</summary>
public sealed record NamedCode(string Code, string Name);

/// <summary>What a report to one contract may name, as the tickets service lists it (only the caller's sites).</summary>
public sealed record ContractEntry(string Code, string Name, List<NamedCode> Sites, List<string> Systems, List<NamedCode> Grades, List<NamedCode> Channels, List<NamedCode> Kinds);

/// <summary>A report as the hotline desk files it; <c>severity</c> for a fault, <c>grade</c> for a service request.</summary>
public sealed record DeskReport(
    string? Channel, string? Kind, string? Severity, string? Grade, string? SiteCode, string? System,
    string? Title, string? Description, string? ReporterName, string? ReporterPhone);

/// <summary>
/// What the tickets service answered to a report: the ticket's number (a new ticket, or the one this form already
/// made with the same words), or its field errors, or why it refused. <c>FiledEarlier</c> is the ticket the form's key
/// already made with other words: this report is not stored.
/// </summary>
public sealed record DeskOutcome(string? Number, bool AlreadyFiled, IReadOnlyDictionary<string, string[]> Errors, string? Refusal, string? FiledEarlier = null)
{
    public static DeskOutcome Filed(string number, bool alreadyFiled) => new(number, alreadyFiled, new Dictionary<string, string[]>(), null);

    public static DeskOutcome Invalid(IReadOnlyDictionary<string, string[]> errors, string? refusal) => new(null, false, errors, refusal);

    public static DeskOutcome KeyUsed(string earlier) =>
        new(null, false, new Dictionary<string, string[]>(), $"这张表单已登记为工单 {earlier}，以上内容与它不同，尚未登记。核对后再点“登记工单”，即登记为新工单。", earlier);
}

/// <summary>
/// The tickets service as the hotline desk uses it: the contracts' book (<c>/api/contracts</c>) and reports (<c>POST /api/tickets</c>).
/// A store that refuses (503) is said on the form, which keeps its key: a report whose outcome is unknown is sent again safely.
/// </summary>
public sealed class DeskService(HttpClient http)
{
    /// <summary>The contracts the signed-in person may report to, each with its sites, systems, grades, channels and kinds.</summary>
    public async Task<IReadOnlyList<ContractEntry>> ContractsAsync(CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<List<ContractEntry>>("api/contracts", cancellationToken) ?? [];

    /// <summary>
    /// Files the report under the form's idempotency key: the same key with the same words answers with the same ticket
    /// however often the form is sent; the key with other words is refused, naming the ticket it made.
    /// </summary>
    public async Task<DeskOutcome> ReportAsync(DeskReport report, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/tickets")
        {
            Content = JsonContent.Create(new
            {
                channel = report.Channel,
                kind = report.Kind,
                severity = report.Kind == "fault" ? report.Severity : null,
                grade = report.Kind == "request" ? report.Grade : null,
                siteCode = report.SiteCode,
                system = report.System,
                title = report.Title,
                description = report.Description,
                reporter = new { name = report.ReporterName, phone = report.ReporterPhone },
            }),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var ticket = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var header) && header.Contains("true", StringComparer.OrdinalIgnoreCase);
            return DeskOutcome.Filed(ticket.GetProperty("number").GetString()!, replayed);
        }

        if ((int)response.StatusCode is not (400 or 403 or 422 or 429 or 503))
        {
            response.EnsureSuccessStatusCode();
        }

        var problem = await ProblemAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity && Has(problem, "ticketNumber", out var number) && number.GetString() is { } filed)
        {
            return DeskOutcome.KeyUsed(filed);
        }

        // The store refused: the form stays, with its key, so that sending it again files the call at most once.
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && Has(problem, "outcome", out var outcome) && outcome.ValueKind == JsonValueKind.String && outcome.GetString() == "unknown")
        {
            return DeskOutcome.Invalid(new Dictionary<string, string[]>(), OutcomeUnknown);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        if (Has(problem, "errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Array))
            {
                errors[field.Name] = [.. field.Value.EnumerateArray().Select(m => m.GetString()).OfType<string>()];
            }
        }

        var said = Has(problem, "detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null;
        return DeskOutcome.Invalid(errors, errors.Count > 0 ? null : said ?? Refusal(response.StatusCode));
    }

    /// <summary>The tickets service could not tell whether its store kept the report: this form's key makes a second click safe.</summary>
    public const string OutcomeUnknown = "与数据库的连接中断，无法确认这张表单是否已登记。请再点一次“登记工单”：同一张表单不会重复登记，已登记的会显示原编号。";

    private static string Refusal(HttpStatusCode status) => status switch
    {
        HttpStatusCode.ServiceUnavailable => "工单未登记：服务暂时不可用，请稍后再点“登记工单”。",
        HttpStatusCode.TooManyRequests => "提交过于频繁，请稍候再提交。",
        HttpStatusCode.Forbidden => "你无权登记工单。",
        _ => "工单未登记：请求被拒绝。",
    };

    private static bool Has(JsonElement problem, string name, out JsonElement value)
    {
        value = default;
        return problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty(name, out value);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (JsonException)
        {
            return default; // not a problem document: the refusal is said without its words
        }
    }
}
