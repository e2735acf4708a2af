using System.Net;
using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>Why a sign-in did not happen.</summary>
public enum SignInRefusal
{
    /// <summary>An unknown user, a wrong password or a disabled user: the API does not say which.</summary>
    WrongCredentials,

    /// <summary>Too many attempts from the person's address within a minute (the tickets service limits sign-in per address).</summary>
    TooManyAttempts,

    /// <summary>The tickets service cannot be reached or failed: nothing is known about the person.</summary>
    Unavailable,
}

/// <summary>A person signed in: the tickets service's token for them, with their name and role.</summary>
public sealed record SignedIn(string Username, string AccessToken, DateTimeOffset ExpiresAt, string Name, string Role);

/// <summary>Sign-in of local users through the tickets service's <c>POST /api/auth/token</c> (the one call made without a token).</summary>
public sealed class SignInService(HttpClient http)
{
    private sealed record TokenAnswer(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string DisplayName, string Role);

    /// <summary>The signed-in person, or why not. <paramref name="from"/> is the person's address, which the tickets service limits sign-in by.</summary>
    public async Task<(SignedIn? Person, SignInRefusal? Refusal)> SignInAsync(string username, string password, IPAddress? from, CancellationToken cancellationToken = default)
    {
        using var response = await PostAsync(username, password, from, cancellationToken);
        if (response is null)
        {
            return (null, SignInRefusal.Unavailable);
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
        {
            return (null, SignInRefusal.WrongCredentials);
        }

        if (response.StatusCode is HttpStatusCode.TooManyRequests)
        {
            return (null, SignInRefusal.TooManyAttempts);
        }

        if (!response.IsSuccessStatusCode)
        {
            return (null, SignInRefusal.Unavailable);
        }

        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(cancellationToken) ?? throw new InvalidOperationException("The tickets service answered sign-in with no body.");
        return (new SignedIn(username, answer.AccessToken, answer.ExpiresAt, answer.DisplayName, answer.Role), null);
    }

    /// <summary>The tickets service's answer; none when it cannot be reached or does not answer in time.</summary>
    private async Task<HttpResponseMessage?> PostAsync(string username, string password, IPAddress? from, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/auth/token") { Content = JsonContent.Create(new { username, password }) };
        if (from is not null)
        {
            // Set, never passed on: the address is the one this console believes (its trusted proxies'), not what a caller wrote.
            request.Headers.Add("X-Forwarded-For", (from.IsIPv4MappedToIPv6 ? from.MapToIPv4() : from).ToString());
        }

        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // the client's timeout
        }
    }
}
