using System.Net;
using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>A local user as the tickets service lists it.</summary>
public sealed record LocalUser(string Username, string DisplayName, string Role, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, IReadOnlyList<string>? Contracts, IReadOnlyList<string>? Sites);

/// <summary>An API key as the tickets service lists it: never the key itself.</summary>
public sealed record ApiKeyInfo(Guid KeyId, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, IReadOnlyList<string>? Contracts, IReadOnlyList<string>? Sites);

/// <summary>A new API key: its <c>Key</c> is in this answer once and stored nowhere.</summary>
public sealed record IssuedApiKey(Guid KeyId, string Name, string Role, string Key, IReadOnlyList<string>? Contracts, IReadOnlyList<string>? Sites);

/// <summary>A new local user, as the tickets service takes it.</summary>
public sealed record CreateUserRequest(string? Username, string? DisplayName, string? Role, string Password, IReadOnlyList<string>? Contracts, IReadOnlyList<string>? Sites);

/// <summary>A new API key, as the tickets service takes it.</summary>
public sealed record CreateApiKeyRequest(string? Name, string? Role, IReadOnlyList<string>? Contracts, IReadOnlyList<string>? Sites);

/// <summary>The tickets service's administration API (<c>/api/admin</c>), for administrators.</summary>
public sealed class AdminService(HttpClient http)
{
    public async Task<IReadOnlyList<LocalUser>> UsersAsync(CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<List<LocalUser>>("api/admin/users", cancellationToken) ?? [];

    /// <summary>A user by name (any case); none when there is no such user.</summary>
    public Task<LocalUser?> UserAsync(string username, CancellationToken cancellationToken = default) =>
        FindAsync<LocalUser>($"api/admin/users/{Uri.EscapeDataString(username)}", cancellationToken);

    /// <summary>The new user, or the API's refusal (409 for a name taken, 400 naming the fields).</summary>
    public Task<(LocalUser? Created, AdminRefusal? Refusal)> CreateUserAsync(CreateUserRequest user, CancellationToken cancellationToken = default) =>
        CreateAsync<LocalUser>("api/admin/users", user, "username", cancellationToken);

    /// <summary>Disables a user: they can no longer sign in, and every service refuses their tokens within seconds.</summary>
    public Task<AdminRefusal?> DisableUserAsync(string username, CancellationToken cancellationToken = default) =>
        DeleteAsync($"api/admin/users/{Uri.EscapeDataString(username)}", cancellationToken);

    public async Task<IReadOnlyList<ApiKeyInfo>> KeysAsync(CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<List<ApiKeyInfo>>("api/admin/keys", cancellationToken) ?? [];

    /// <summary>A key by id (without the key); none when there is no such key.</summary>
    public Task<ApiKeyInfo?> KeyAsync(Guid keyId, CancellationToken cancellationToken = default) =>
        FindAsync<ApiKeyInfo>($"api/admin/keys/{keyId}", cancellationToken);

    /// <summary>The new key with its secret, or the API's refusal (400 naming the fields).</summary>
    public Task<(IssuedApiKey? Created, AdminRefusal? Refusal)> CreateKeyAsync(CreateApiKeyRequest key, CancellationToken cancellationToken = default) =>
        CreateAsync<IssuedApiKey>("api/admin/keys", key, "name", cancellationToken);

    /// <summary>Revokes a key in every service.</summary>
    public Task<AdminRefusal?> RevokeKeyAsync(Guid keyId, CancellationToken cancellationToken = default) =>
        DeleteAsync($"api/admin/keys/{keyId}", cancellationToken);

    private async Task<T?> FindAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
    }

    /// <param name="conflictField">The field a 409 is about: the name that is taken.</param>
    private async Task<(T? Created, AdminRefusal? Refusal)> CreateAsync<T>(string path, object body, string conflictField, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.PostAsJsonAsync(path, body, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<T>(cancellationToken), null);
        }

        return (null, await AdminRefusal.ReadAsync(response, conflictField, cancellationToken));
    }

    private async Task<AdminRefusal?> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(path, cancellationToken);
        return response.IsSuccessStatusCode ? null : await AdminRefusal.ReadAsync(response, null, cancellationToken);
    }
}
