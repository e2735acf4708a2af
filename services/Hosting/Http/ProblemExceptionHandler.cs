using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Ops.Hosting.Http;

/// <summary>
/// Turns what goes wrong before or inside an endpoint into problem+json: a body that is not JSON, a
/// value of the wrong type (naming the field), a body too large; anything else is a 500 that says
/// nothing about the data (exception messages stay in the log, which never holds personal data).
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
        else
        {
            logger.LogError(exception, "Unhandled {Exception} on {Method} {Path}", exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "Nothing was changed. Quote the traceId when reporting this.",
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            // The reader's own exception means the text is not JSON at all; anything else is one value of the wrong shape.
            var malformed = json.GetType().Name == "JsonReaderException" || json.InnerException?.GetType().Name == "JsonReaderException";
            var field = malformed ? "body" : FieldOf(json.Path);
            var detail = field == "body"
                ? "The body is not valid JSON."
                : $"The value of '{field}' is not valid: " + (json.Message.StartsWith("Expected", StringComparison.Ordinal) ? json.Message : "it has the wrong type.");
            return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body could not be read.",
                Detail = detail,
            };
        }

        return bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => new ProblemDetails { Status = bad.StatusCode, Title = "The request body is too large." },
            StatusCodes.Status415UnsupportedMediaType => new ProblemDetails { Status = bad.StatusCode, Title = "The body must be JSON (Content-Type: application/json)." },
            _ when bad.Message.Contains("was not provided from body", StringComparison.Ordinal) || bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) =>
                new ValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request body is missing.",
                },
            _ when ParameterOf(bad.Message) is { } parameter => new ValidationProblemDetails(new Dictionary<string, string[]>
            {
                [parameter] = [bad.Message.StartsWith("Required", StringComparison.Ordinal) ? $"'{parameter}' is required." : $"'{parameter}' is not valid."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more validation errors occurred.",
            },
            _ => new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read.", Detail = Sanitize(bad.Message) },
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
