using System.Net;
using System.Net.Http.Headers;

namespace Ops.Console.Services;

/// <summary>Every API call goes as the signed-in person, with their token; a token the API refuses ends the session.</summary>
public sealed class BearerTokenHandler(IHttpContextAccessor http) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = http.HttpContext ?? throw new InvalidOperationException("An API is called outside a request.");
        var token = await Session.TokenAsync(context) ?? throw new SessionEndedException();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new SessionEndedException();
        }

        return response;
    }
}

/// <summary>The API refused the person's token (expired, or the user disabled): they must sign in again.</summary>
public sealed class SessionEndedException() : Exception("The API refused the session's token.");
