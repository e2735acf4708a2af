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
/// Usernames are unique regardless of case, and found regardless of case (sign-in, look-up, disabling).
/// </summary>
public sealed class UserStore(Database database, DisabledUsers disabledUsers, TimeProvider time)
{
    private static readonly PasswordHasher<User> Hasher = new();

    private readonly UserSql sql = UserSql.For(database.Provider);

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
            await database.WriteAsync(t => t.ExecuteAsync(sql.Insert, new { user.Username, UsernameKey = Key(username), user.DisplayName, user.Role, user.PasswordHash, user.CreatedAt, user.Contracts, user.Sites }), cancellationToken);
            return user;
        }
        catch (Exception e) when (database.Provider.IsUniqueViolation(e))
        {
            return null;
        }
    }

    /// <summary>
    /// The user whose password this is, or why not (for the log only: the caller hears the same answer for every
    /// refusal). The username is matched regardless of case.
    /// </summary>
    public async Task<(User? User, string? Refusal)> SignInAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(username, cancellationToken);
        var verdict = Hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? DecoyHash, password);
        return user is null ? (null, "unknown user")
            : verdict == PasswordVerificationResult.Failed ? (null, "wrong password")
            : user.DisabledAt is not null ? (null, "disabled user")
            : (user, null);
    }

    /// <summary>The user with this name, regardless of case; null when there is none.</summary>
    public Task<User?> FindAsync(string username, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<User>(sql.ByKey, new { Key = Key(username) }), cancellationToken);

    /// <summary>
    /// Disables an enabled user; every service refuses the tokens issued to them until now within seconds
    /// (<see cref="DisabledUsers"/>). False when there is no such enabled user.
    /// </summary>
    public async Task<bool> DisableAsync(string username, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var disabled = await database.WriteAsync(async t =>
        {
            var user = await t.QuerySingleOrDefaultAsync<User>(sql.ByKey, new { Key = Key(username) });
            if (user is null || await t.ExecuteAsync(sql.Disable, new { user.Username, At = now }) == 0)
            {
                return false;
            }

            await disabledUsers.DisableAsync(t, Subject(user.Username), now);
            return true;
        }, cancellationToken);
        disabledUsers.Changed();
        return disabled;
    }

    /// <summary>Refuses everywhere the tokens of case variants that a schema script disabled and no service has heard of yet.</summary>
    public async Task RefuseTokensOfSupersededAsync(CancellationToken cancellationToken = default)
    {
        foreach (var user in await database.ReadAsync(c => c.QueryAsync<User>(sql.Superseded), cancellationToken))
        {
            if (await disabledUsers.DisabledAtAsync(Subject(user.Username), cancellationToken) is null)
            {
                await database.WriteAsync(t => disabledUsers.DisableAsync(t, Subject(user.Username), user.DisabledAt!.Value), cancellationToken);
                disabledUsers.Changed();
            }
        }
    }

    /// <summary>The subject (<c>sub</c>) of the tokens a user is issued at sign-in.</summary>
    public static string Subject(string username) => $"user:{username}";

    /// <summary>What makes usernames unique: the name in lower case (usernames are ASCII).</summary>
    private static string Key(string username) => username.ToLowerInvariant();

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => c.QueryAsync<User>(sql.All), cancellationToken)).AsList();
}

/// <summary>The SQL of <see cref="UserStore"/>: the same statements on every provider but the list's order.</summary>
internal abstract class UserSql : SqlStatements
{
    public static UserSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteUserSql(),
        SqlProvider.SqlServer => new SqlServerUserSql(),
        SqlProvider.Postgres => new PostgresUserSql(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    protected const string Columns = "username AS Username, display_name AS DisplayName, role AS Role, password_hash AS PasswordHash, created_at AS CreatedAt, disabled_at AS DisabledAt, contracts AS Contracts, sites AS Sites";

    public string Insert => """
        INSERT INTO users (username, username_key, display_name, role, password_hash, created_at, contracts, sites)
        VALUES (@Username, @UsernameKey, @DisplayName, @Role, @PasswordHash, @CreatedAt, @Contracts, @Sites)
        """;

    public string ByKey => $"SELECT {Columns} FROM users WHERE username_key = @Key";

    public virtual string All => $"SELECT {Columns} FROM users ORDER BY username";

    /// <summary>Case variants of a name taken before names were unique regardless of case: their key holds '~', which no name may.</summary>
    public string Superseded => $"SELECT {Columns} FROM users WHERE username_key LIKE '%~%' AND disabled_at IS NOT NULL";

    public string Disable => "UPDATE users SET disabled_at = @At WHERE username = @Username AND disabled_at IS NULL";
}

internal sealed class SqliteUserSql : UserSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;
}

internal sealed class SqlServerUserSql : UserSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;
}

internal sealed class PostgresUserSql : UserSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    /// <summary>In byte order, as SQLite lists them, whatever the database's collation.</summary>
    public override string All => $"SELECT {Columns} FROM users ORDER BY username COLLATE \"C\"";
}
