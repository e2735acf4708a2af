using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Http;

/// <summary>
/// Turns what goes wrong before or inside an endpoint into problem+json: a body that is not JSON, a
/// value of the wrong type (naming the field), a body too large, a store that refuses for a while (a 503
/// with <c>Retry-After</c>); anything else is a 500 that says nothing about the data (exception messages
/// stay in the log, which never holds personal data).
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = Describe(bad);
        }
        else if (StoreFault.Of(exception) is { } fault)
        {
            logger.LogWarning("The store refused {Method} {Path}: {Fault} ({Code}), outcome {Outcome}", httpContext.Request.Method, httpContext.Request.Path, fault.Kind, fault.Code, fault.OutcomeUnknown ? "unknown" : "not stored");
            problem = Describe(fault);
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds(fault).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            logger.LogError(exception, "Unhandled {Exception} on {Method} {Path}", exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = L10n.Of("发生了意外错误。", "An unexpected error occurred."),
                Detail = L10n.Of("没有任何改动。报告此问题时请附上 traceId。", "Nothing was changed. Quote the traceId when reporting this."),
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// A store that refuses for a while. Mostly the request changed nothing (its transaction was rolled back whole, or
    /// never began) and may be sent again; when the connection broke while its COMMIT was in flight nobody knows, and
    /// the answer says so: send it again with the same <c>Idempotency-Key</c>, or look before repeating an action.
    /// </summary>
    internal static ProblemDetails Describe(StoreFault fault) => fault.OutcomeUnknown ? DescribeUnknown(fault) : new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = L10n.Of("数据库暂时无法保存，请稍后重试。", "The database cannot store anything for now; try again later."),
        Detail = fault.Kind switch
        {
            StoreFaultKind.Full => L10n.Of(
                "服务器的数据磁盘已满，本次请求没有保存任何内容。请稍后重试；运维人员腾出磁盘空间后即恢复，无需重启。",
                "The server's data disk is full; nothing of this request was stored. Try again later: it resumes once space is freed, without a restart."),
            StoreFaultKind.Locked => L10n.Of(
                "数据库正被其他操作锁定或响应超时，本次请求没有保存任何内容。请稍后重试。",
                "The database is locked by another operation or did not answer in time; nothing of this request was stored. Try again later."),
            _ => L10n.Of(
                "数据库暂时无法访问，本次请求没有保存任何内容。请稍后重试。",
                "The database cannot be reached for now; nothing of this request was stored. Try again later."),
        },
        Extensions =
        {
            ["storeFault"] = JsonNamingPolicy.CamelCase.ConvertName(fault.Kind.ToString()),
            ["outcome"] = "notStored",
        },
    };

    private static ProblemDetails DescribeUnknown(StoreFault fault) => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = L10n.Of("与数据库的连接中断或超时，无法确认本次请求是否已保存。", "The connection to the database broke or timed out; whether this request was stored is not known."),
        Detail = L10n.Of(
            "本次请求可能已经保存，也可能没有。请用相同的 Idempotency-Key 重新提交（报告工单时，重复提交不会重复登记）；其他操作请先查看工单，确认没有生效后再重做。",
            "The request may or may not have been stored. Send it again with the same Idempotency-Key (a report sent again with its key never files a second ticket), or look at the ticket before repeating any other action."),
        Extensions =
        {
            ["storeFault"] = JsonNamingPolicy.CamelCase.ConvertName(fault.Kind.ToString()),
            ["outcome"] = "unknown",
        },
    };

    /// <summary>A lock passes in seconds; space is freed or a server brought back by a person, in minutes at best.</summary>
    internal static int RetryAfterSeconds(StoreFault fault) => fault.Kind == StoreFaultKind.Locked ? 5 : 30;

    private static ProblemDetails Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            // The reader's own exception means the text is not JSON at all; anything else is one value of the wrong shape.
            var malformed = json.GetType().Name == "JsonReaderException" || json.InnerException?.GetType().Name == "JsonReaderException";
            var field = malformed ? "body" : FieldOf(json.Path);
            // The product's converters say what they expect; the framework's own messages are not for people.
            var expected = json is RefusedJsonValueException ? json.Message : null;
            var detail = field == "body"
                ? L10n.Of("请求正文不是有效的 JSON。", "The body is not valid JSON.")
                : L10n.Of($"“{field}”的值无效：{expected ?? "类型不对。"}", $"The value of '{field}' is not valid: {expected ?? "it has the wrong type."}");
            return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = L10n.Of("无法读取请求正文。", "The request body could not be read."),
                Detail = detail,
            };
        }

        return bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => new ProblemDetails { Status = bad.StatusCode, Title = L10n.Of("请求正文过大。", "The request body is too large.") },
            StatusCodes.Status415UnsupportedMediaType => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = L10n.Of("请求正文须为 JSON（Content-Type: application/json）。", "The body must be JSON (Content-Type: application/json)."),
            },
            _ when bad.Message.Contains("was not provided from body", StringComparison.Ordinal) || bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) =>
                new ValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [L10n.Of("需要 JSON 请求正文。", "A JSON body is required.")] })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = L10n.Of("缺少请求正文。", "The request body is missing."),
                },
            _ when ParameterOf(bad.Message) is { } parameter => new ValidationProblemDetails(new Dictionary<string, string[]>
            {
                [parameter] = [bad.Message.StartsWith("Required", StringComparison.Ordinal)
                    ? L10n.Of($"“{parameter}”为必填项。", $"'{parameter}' is required.")
                    : L10n.Of($"“{parameter}”的值无效。", $"'{parameter}' is not valid.")],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = ValidationErrors.Title,
            },
            _ => new ProblemDetails { Status = bad.StatusCode, Title = L10n.Of("无法读取请求。", "The request could not be read."), Detail = Sanitize(bad.Message) },
        };
    }

    /// <summary>
    /// The parameter a binding failure names (a route or query value of the wrong type, a required one left out):
    /// 'Failed to bind parameter "Guid id" from "…".' → "id". The value itself is never repeated.
    /// </summary>
    internal static string? ParameterOf(string message)
    {
        if (!message.StartsWith("Failed to bind parameter \"", StringComparison.Ordinal) && !message.StartsWith("Required parameter \"", StringComparison.Ordinal))
        {
            return null;
        }

        var start = message.IndexOf('"', StringComparison.Ordinal) + 1;
        var end = message.IndexOf('"', start);
        var declaration = end > start ? message[start..end] : "";
        var name = declaration[(declaration.LastIndexOf(' ') + 1)..];
        return name.Length is > 0 and <= 64 ? name : null;
    }

    /// <summary>"$.reporter.phone" → "reporter.phone"; "$" → "body".</summary>
    internal static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    // The framework's messages name parameters and types, never values; keep them short anyway.
    private static string Sanitize(string message) => message.Length > 300 ? message[..300] : message;
}
