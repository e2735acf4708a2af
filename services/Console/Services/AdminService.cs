using System.Net.Http.Json;

namespace Ops.Console.Services;

/// <summary>A local user as the tickets service lists it.</summary>
public sealed record LocalUser(string Username, string DisplayName, string Role, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, IReadOnlyList<string>? Contracts, IReadOnlyList<string>? Sites);

/// <summary>The tickets service's administration API (<c>/api/admin</c>), for administrators.</summary>
public sealed class AdminService(HttpClient http)
{
    public async Task<IReadOnlyList<LocalUser>> UsersAsync(CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<List<LocalUser>>("api/admin/users", cancellationToken) ?? [];
}
