using Dapper;
using Microsoft.AspNetCore.Identity;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Tickets.Access;

/// <summary>A local user of the embedded sign-in (when the bureau's single sign-on is not used).</summary>
public sealed record User
{
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public required string Role { get; init; }
    public required string PasswordHash { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>The contracts the user may see and act on, space-separated; null: every contract.</summary>
    public string? Contracts { get; init; }

    /// <summary>The sites within them, space-separated; null: every site of the contracts.</summary>
    public string? Sites { get; init; }

    public Scope Scope => Scope.FromColumns(Contracts, Sites);
}

/// <summary>
/// Local users with passwords hashed by ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2-HMAC-SHA512, salted, 100,000 iterations). Users are disabled, never deleted: the timeline names them.
/// </summary>
public sealed class UserStore(Database database, TimeProvider time)
{
    private static readonly PasswordHasher<User> Hasher = new();

    private readonly UserSql sql = new(database.Provider);

    /// <summary>Checked against every sign-in of an unknown user too, so the answer takes as long either way.</summary>
    private static readonly string DecoyHash = Hasher.HashPassword(null!, "decoy password of nobody");

    public Task<User?> CreateAsync(string username, string displayName, string role, string password, CancellationToken cancellationToken = default) =>
        CreateAsync(username, displayName, role, password, Scope.All, cancellationToken);

    /// <summary>A user limited to <paramref name="scope"/>; null when the name is taken.</summary>
    public async Task<User?> CreateAsync(string username, string displayName, string role, string password, Scope scope, CancellationToken cancellationToken = default)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role {role}.", nameof(role));
        }

        var (contracts, sites) = scope.ToColumns();
        var user = new User { Username = username, DisplayName = displayName, Role = role, PasswordHash = "", CreatedAt = time.GetUtcNow(), Contracts = contracts, Sites = sites };
        user = user with { PasswordHash = Hasher.HashPassword(user, password) };
        try
        {
            await database.WriteAsync(t => t.ExecuteAsync(sql.Insert, user), cancellationToken);
            return user;
        }
        catch (Exception e) when (database.Provider.IsUniqueViolation(e))
        {
            return null;
        }
    }

    /// <summary>The user whose password this is; null for an unknown or disabled user or a wrong password.</summary>
    public async Task<User?> SignInAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var user = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<User>(sql.ByName, new { Username = username }), cancellationToken);
        var verdict = Hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? DecoyHash, password);
        return user is { DisabledAt: null } && verdict != PasswordVerificationResult.Failed ? user : null;
    }

    public async Task<bool> DisableAsync(string username, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(t => t.ExecuteAsync(sql.Disable, new { Username = username, At = time.GetUtcNow() }), cancellationToken) > 0;

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => c.QueryAsync<User>(sql.All), cancellationToken)).AsList();
}

/// <summary>The same statements on both providers.</summary>
internal sealed class UserSql(SqlProvider provider) : SqlStatements
{
    public override SqlProvider Provider => provider;

    private const string Columns = "username AS Username, display_name AS DisplayName, role AS Role, password_hash AS PasswordHash, created_at AS CreatedAt, disabled_at AS DisabledAt, contracts AS Contracts, sites AS Sites";

    public string Insert => """
        INSERT INTO users (username, display_name, role, password_hash, created_at, contracts, sites)
        VALUES (@Username, @DisplayName, @Role, @PasswordHash, @CreatedAt, @Contracts, @Sites)
        """;

    public string ByName => $"SELECT {Columns} FROM users WHERE username = @Username";

    public string All => $"SELECT {Columns} FROM users ORDER BY username";

    public string Disable => "UPDATE users SET disabled_at = @At WHERE username = @Username AND disabled_at IS NULL";
}
