using Microsoft.AspNetCore.Http;

namespace Ops.Hosting.Http;

/// <summary>
/// The titles the framework gives a problem by itself (a 401 without a token, an unknown route, a validation
/// problem), in the caller's language; a title the product wrote stays as it is.
/// </summary>
internal static class ProblemTitles
{
    private static readonly Dictionary<string, string> Chinese = new(StringComparer.Ordinal)
    {
        ["One or more validation errors occurred."] = "请求有误，请按各字段的说明更正。",
        ["Bad Request"] = "请求有误。",
        ["Unauthorized"] = "未登录：请提供有效的令牌或 API 密钥。",
        ["Forbidden"] = "无权执行此操作。",
        ["Not Found"] = "未找到该地址。",
        ["Method Not Allowed"] = "该地址不支持此请求方法。",
        ["Not Acceptable"] = "无法以所要求的格式应答。",
        ["Request Timeout"] = "请求超时。",
        ["Conflict"] = "与当前状态冲突。",
        ["Precondition Failed"] = "前提条件不满足。",
        ["Unsupported Media Type"] = "不支持该内容类型。",
        ["Unprocessable Entity"] = "请求内容无法处理。",
        ["Too Many Requests"] = "请求过多。",
        ["An error occurred while processing your request."] = "处理请求时出错。",
        ["Bad Gateway"] = "上游服务出错。",
        ["Service Unavailable"] = "服务暂不可用。",
        ["Gateway Timeout"] = "上游服务超时。",
    };

    public static void Translate(ProblemDetailsContext context)
    {
        if (L10n.IsChinese && context.ProblemDetails.Title is { } title && Chinese.TryGetValue(title, out var chinese))
        {
            context.ProblemDetails.Title = chinese;
        }
    }
}
