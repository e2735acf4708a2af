using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Ops.Console.Services;

/// <summary>
/// The signed-in person: the cookie carries their name, their role and the API token the tickets service
/// issued, which every call to an API sends. The console decides nothing with the role but what to show;
/// the APIs check the token on every call.
/// </summary>
public static class Session
{
    public const string TokenName = "access_token";

    public static async Task SignInAsync(HttpContext context, SignedIn person, TimeSpan lifetime, TimeProvider time)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, person.Username), new Claim(ClaimTypes.Name, person.Name), new Claim(ClaimTypes.Role, person.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        var now = time.GetUtcNow();
        var properties = new AuthenticationProperties
        {
            IsPersistent = false,
            IssuedUtc = now,
            // A shift at most, and never longer than the token inside: a session whose token the APIs refuse is no session.
            ExpiresUtc = person.ExpiresAt < now + lifetime ? person.ExpiresAt : now + lifetime,
        };
        properties.StoreTokens([new AuthenticationToken { Name = TokenName, Value = person.AccessToken }]);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
    }

    public static Task<string?> TokenAsync(HttpContext context) => context.GetTokenAsync(CookieAuthenticationDefaults.AuthenticationScheme, TokenName);

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
}
