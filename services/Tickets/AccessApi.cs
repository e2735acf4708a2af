using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Tickets.Access;

namespace Ops.Tickets;

/// <summary>Sign in with a local user's password.</summary>
public sealed record SignInRequest
{
    /// <example>wang.wei</example>
    public string? Username { get; init; }

    public string? Password { get; init; }
}

/// <summary>A bearer token, to send as <c>Authorization: Bearer …</c> to every service.</summary>
public sealed record SignInResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string DisplayName, string Role);

/// <summary>A new local user.</summary>
public sealed record CreateUserRequest
{
    /// <summary>Letters, digits, dot, dash and underscore; 3 to 64 characters.</summary>
    /// <example>wang.wei</example>
    public string? Username { get; init; }

    /// <summary>The name the timeline records, at most 100 characters.</summary>
    /// <example>王伟</example>
    public string? DisplayName { get; init; }

    /// <summary>intake, operator, engineer, manager, auditor or admin.</summary>
    /// <example>engineer</example>
    public string? Role { get; init; }

    /// <summary>At least 12 characters.</summary>
    public string? Password { get; init; }

    /// <summary>The contracts the user may see and act on; left out (with <c>sites</c>): every contract, for administrators of the whole deployment.</summary>
    /// <example>["OTQ-2026-OPS"]</example>
    public IReadOnlyList<string>? Contracts { get; init; }

    /// <summary>Optionally, the sites within those contracts (each contract needs at least one of its sites here); left out: every site. Sites alone imply their contracts.</summary>
    /// <example>["OTQ"]</example>
    public IReadOnlyList<string>? Sites { get; init; }
}

/// <summary>A local user, without the password hash. <c>contracts</c> null: every contract; <c>sites</c> null: every site of them.</summary>
public sealed record UserView(string Username, string DisplayName, string Role, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, IReadOnlyList<string>? Contracts, IReadOnlyList<string>? Sites)
{
    public static UserView Of(User u) => new(u.Username, u.DisplayName, u.Role, u.CreatedAt, u.DisabledAt, ScopeView.Contracts(u.Scope), ScopeView.Sites(u.Scope));
}

/// <summary>A scope as the API shows it: null for every contract, or every site.</summary>
public static class ScopeView
{
    public static IReadOnlyList<string>? Contracts(Scope scope) => scope.Unlimited ? null : scope.Contracts;

    public static IReadOnlyList<string>? Sites(Scope scope) => scope.Unlimited || scope.Sites.Count == 0 ? null : scope.Sites;
}

/// <summary>A new API key for a machine client.</summary>
public sealed record CreateApiKeyRequest
{
    /// <summary>What the client is, at most 100 characters; the timeline records it.</summary>
    /// <example>hotline gateway</example>
    public string? Name { get; init; }

    /// <summary>Usually intake.</summary>
    /// <example>intake</example>
    public string? Role { get; init; }

    /// <summary>The contracts the key may file for and read; left out (with <c>sites</c>): every contract, for administrators of the whole deployment.</summary>
    /// <example>["OTQ-2026-OPS"]</example>
    public IReadOnlyList<string>? Contracts { get; init; }

    /// <summary>Optionally, the sites within those contracts (each contract needs at least one of its sites here); left out: every site. Sites alone imply their contracts.</summary>
    /// <example>["OTQ"]</example>
    public IReadOnlyList<string>? Sites { get; init; }
}

/// <summary>An API key, without the key itself. <c>contracts</c> null: every contract; <c>sites</c> null: every site of them.</summary>
public sealed record ApiKeyView(Guid KeyId, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, IReadOnlyList<string>? Contracts, IReadOnlyList<string>? Sites)
{
    public static ApiKeyView Of(ApiKey k) => new(k.KeyId, k.Name, k.Role, k.CreatedAt, k.RevokedAt, ScopeView.Contracts(k.Scope), ScopeView.Sites(k.Scope));
}

/// <summary>A new API key; its <c>key</c> is shown this once and stored nowhere.</summary>
public sealed record IssuedApiKey(Guid KeyId, string Name, string Role, string Key, IReadOnlyList<string>? Contracts, IReadOnlyList<string>? Sites);

/// <summary>Sign-in for local users; API keys and users for administrators.</summary>
public static partial class AccessApi
{
    public const string SignInLimit = "sign-in";

    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", SignIn)
            .AllowAnonymous()
            .RequireRateLimiting(SignInLimit)
            .WithTags("Access")
            .WithName("SignIn")
            .WithSummary("Sign in a local user: a bearer token for every service")
            .WithDescription("For the embedded default; where the bureau's single sign-on issues tokens, its users sign in there. 401 for an unknown user, a wrong password or a disabled user alike. Limited to a few attempts per minute per address.");

        var admin = app.MapGroup("/api/admin").WithTags("Administration").RequireAuthorization(Policies.Administer);
        admin.MapGet("keys", async (ApiKeyStore keys, CancellationToken ct) => TypedResults.Ok((await keys.ListAsync(ct)).Select(ApiKeyView.Of)))
            .WithName("ListApiKeys").WithSummary("API keys (without the keys)");
        admin.MapGet("keys/{id:guid}", GetKey)
            .WithName("GetApiKey").WithSummary("One API key (without the key)")
            .WithDescription("Where the Location of a new key leads. 404 when no key has this id.");
        admin.MapPost("keys", CreateKey)
            .WithName("CreateApiKey").WithSummary("Issue an API key")
            .WithDescription("The key is in the answer once and stored only as its SHA-256 hash; every service learns it within seconds. `contracts` and `sites` limit what it may file for and read (left out: every contract); unknown codes are a 400 naming the field.");
        admin.MapDelete("keys/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, ApiKeyStore keys, CancellationToken ct) =>
                await keys.RevokeAsync(id, ct) ? TypedResults.NoContent() : TypedResults.Problem(statusCode: 404, title: L10n.Of("没有此 id 的有效 API 密钥。", "No live API key has this id.")))
            .WithName("RevokeApiKey").WithSummary("Revoke an API key in every service");
        admin.MapGet("users", async (UserStore users, CancellationToken ct) => TypedResults.Ok((await users.ListAsync(ct)).Select(UserView.Of)))
            .WithName("ListUsers").WithSummary("Local users");
        admin.MapGet("users/{username}", GetUser)
            .WithName("GetUser").WithSummary("One local user (without the password hash)")
            .WithDescription("Where the Location of a new user leads; the username is matched regardless of case. 404 when there is no such user.");
        admin.MapPost("users", CreateUser)
            .WithName("CreateUser").WithSummary("Create a local user")
            .WithDescription("`contracts` and `sites` limit what the user may see and act on, and go into every token the user signs in to (left out: every contract); unknown codes are a 400 naming the field.");
        admin.MapDelete("users/{username}", async Task<Results<NoContent, ProblemHttpResult>> (string username, UserStore users, CancellationToken ct) =>
                await users.DisableAsync(username, ct) ? TypedResults.NoContent() : TypedResults.Problem(statusCode: 404, title: L10n.Of("没有此名称的在用用户。", "No enabled user has this name.")))
            .WithName("DisableUser").WithSummary("Disable a local user: every service refuses their tokens within seconds")
            .WithDescription("The user can no longer sign in, and the tokens issued to them until now are refused by every service. Users are never deleted: the evidence names them.");
        return app;
    }

    public static async Task<Results<Ok<SignInResponse>, ValidationProblem, ProblemHttpResult>> SignIn(
        SignInRequest request, UserStore users, TokenIssuer tokens, IOptions<AuthOptions> auth, TimeProvider time, HttpContext http, ILoggerFactory log, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().RequireText("username", request.Username, 64).RequireText("password", request.Password, 200, TextKind.Secret);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var (user, refusal) = await users.SignInAsync(request.Username!, request.Password!, cancellationToken);
        if (user is null)
        {
            log.CreateLogger(typeof(AccessApi)).LogWarning("Sign-in of {Username} refused from {RemoteAddress}: {Reason}",
                request.Username, BearerTokenEvents.RemoteAddress(http), refusal);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: L10n.Of("用户不存在或密码错误。", "Unknown user or wrong password."));
        }

        var token = tokens.Issue(UserStore.Subject(user.Username), user.DisplayName, user.Role, scope: user.Scope);
        return TypedResults.Ok(new SignInResponse(token, "Bearer", time.GetUtcNow() + auth.Value.TokenLifetime, user.DisplayName, user.Role));
    }

    public static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> CreateUser(
        CreateUserRequest request, UserStore users, ScopeCatalog catalog, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().RequireText("displayName", request.DisplayName, 100);
        if (!IsUsername(request.Username))
        {
            errors.Add("username", L10n.Of("“username”须为 3 至 64 个字母、数字、“.”、“-”或“_”。", "'username' must be 3 to 64 letters, digits, '.', '-' or '_'."));
        }

        CheckRole(errors, request.Role);
        if (request.Password is not { Length: >= 12 and <= 200 })
        {
            errors.Add("password", L10n.Of("“password”须为 12 至 200 个字符。", "'password' must be 12 to 200 characters."));
        }

        var scope = catalog.Check(request.Contracts, request.Sites, errors);
        if (scope is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var user = await users.CreateAsync(request.Username!, request.DisplayName!.Trim(), request.Role!, request.Password!, scope, cancellationToken);
        return user is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: L10n.Of("已有同名用户。", "A user with this name exists."))
            : TypedResults.Created(UserPath(user.Username), UserView.Of(user));
    }

    public static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetUser(string username, UserStore users, CancellationToken cancellationToken) =>
        await users.FindAsync(username, cancellationToken) is { } user
            ? TypedResults.Ok(UserView.Of(user))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: L10n.Of("没有此名称的用户。", "No user has this name."));

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> GetKey(Guid id, ApiKeyStore keys, CancellationToken cancellationToken) =>
        await keys.GetAsync(id, cancellationToken) is { } key
            ? TypedResults.Ok(ApiKeyView.Of(key))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: L10n.Of("没有此 id 的 API 密钥。", "No API key has this id."));

    /// <summary>Where <see cref="GetUser"/> answers for this user.</summary>
    public static string UserPath(string username) => $"/api/admin/users/{Uri.EscapeDataString(username)}";

    /// <summary>Where <see cref="GetKey"/> answers for this key.</summary>
    public static string KeyPath(Guid keyId) => $"/api/admin/keys/{keyId}";

    public static async Task<Results<Created<IssuedApiKey>, ValidationProblem>> CreateKey(
        CreateApiKeyRequest request, ApiKeyStore keys, ScopeCatalog catalog, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().RequireText("name", request.Name, 100);
        CheckRole(errors, request.Role);
        var scope = catalog.Check(request.Contracts, request.Sites, errors);
        if (scope is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var (key, secret) = await keys.IssueAsync(request.Name!.Trim(), request.Role!, scope, cancellationToken);
        return TypedResults.Created(KeyPath(key.KeyId), new IssuedApiKey(key.KeyId, key.Name, key.Role, secret, ScopeView.Contracts(scope), ScopeView.Sites(scope)));
    }

    private static void CheckRole(ValidationErrors errors, string? role)
    {
        if (role is null || !Roles.All.Contains(role))
        {
            errors.Add("role", L10n.Of($"“role”须为以下之一：{L10n.List(Roles.All)}。", $"'role' must be one of {L10n.List(Roles.All)}."));
        }
    }

    /// <summary>Letters, digits, '.', '-' and '_' (ASCII, so that case folds the same everywhere), 3 to 64 of them.</summary>
    public static bool IsUsername(string? username) => username is not null && UsernameShape().IsMatch(username);

    [GeneratedRegex(@"^[A-Za-z0-9._-]{3,64}\z")]
    private static partial Regex UsernameShape();
}
