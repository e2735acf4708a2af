using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ops.Hosting.Audit;
using Ops.Hosting.Http;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Hosting;

/// <summary>
/// The administrator's commands, run with the service's own configuration instead of starting it:
/// <c>dotnet Ops.Tickets.dll admin issue-token --display-name "Wang Wei" --role manager [--days 30]</c>,
/// <c>admin create-key --name hotline --role intake</c>, each with an optional scope
/// (<c>--contract OTQ-2026-OPS [--site OTQ]</c>, several codes separated by commas; none: every contract), <c>admin revoke-key --id ID</c>, <c>admin list-keys</c>,
/// <c>admin check-key</c> (the key in <c>OPS_API_KEY</c>),
/// <c>admin verify-chains</c>, <c>admin migrate</c>, plus what the service adds (the tickets service: <c>admin create-user</c>).
/// </summary>
public static class AdminCommand
{
    /// <summary>A service's own command: gets the services and the options given after the command's name; returns the exit code.</summary>
    public delegate Task<int> Handler(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output);

    /// <summary>
    /// The commands before which the schema is not brought up to date: those that touch no store, and backup and restore,
    /// which copy a store as it is (a newer build's backup taken before an upgrade must not upgrade the running store first).
    /// </summary>
    public static readonly HashSet<string> WithoutDatabase = new(StringComparer.Ordinal) { Admin.CheckConfig.Verb, MigrateVerb, "backup", "restore", Archive.ArchiveCommands.NewKeyVerb, Archive.ArchiveCommands.KeyVerb, Archive.ArchiveCommands.VerifyVerb };

    /// <summary>Brings the schema up to date and nothing else: an upgrade's first step, before any instance of the new build starts.</summary>
    public const string MigrateVerb = "migrate";

    public static bool IsRequested(string[] args) => args is ["admin", ..];

    /// <summary>Runs the command in <paramref name="args"/> when they start with <c>admin</c>; null when they don't (start the service).</summary>
    public static async Task<int?> RunAsync(WebApplication app, string[] args, IReadOnlyDictionary<string, Handler>? serviceCommands = null)
    {
        if (!IsRequested(args))
        {
            return null;
        }

        // An operator's command line speaks English, like the logs, whatever the machine's language.
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        var output = Console.Out;
        var commands = new Dictionary<string, Handler>
        {
            ["issue-token"] = IssueToken,
            ["create-key"] = CreateKey,
            ["revoke-key"] = RevokeKey,
            ["list-keys"] = ListKeys,
            ["check-key"] = CheckKey,
            ["verify-chains"] = VerifyChains,
            [MigrateVerb] = Migrate,
            [Admin.CheckConfig.Verb] = Admin.CheckConfig.RunAsync,
            ["backup"] = Admin.BackupCommands.Backup,
            ["restore"] = Admin.BackupCommands.Restore,
            [Archive.ArchiveCommands.NewKeyVerb] = Archive.ArchiveCommands.NewKey,
            [Archive.ArchiveCommands.VerifyVerb] = Archive.ArchiveCommands.Verify,
        };
        foreach (var (name, handler) in serviceCommands ?? new Dictionary<string, Handler>())
        {
            commands[name] = handler;
        }

        if (args.Length < 2 || !commands.TryGetValue(args[1], out var command))
        {
            await Console.Error.WriteLineAsync($"Commands: {string.Join(", ", commands.Keys)}");
            return 64;
        }

        try
        {
            var options = Options(args[2..]);
            // Only the schema is brought up to date; the bus and the other background services stay off.
            if (!WithoutDatabase.Contains(args[1]))
            {
                await app.Services.GetRequiredService<SchemaMigration>().StartingAsync(CancellationToken.None);
            }

            return await command(app.Services, options, output);
        }
        catch (Exception e) when (e is ArgumentException or OptionsValidationException or FormatException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 64;
        }
    }

    /// <summary>The value of a required option.</summary>
    public static string Required(this IReadOnlyDictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException($"--{name} is required.");

    /// <summary>The value of a required option that names someone or something: one line of at most <paramref name="maxLength"/> characters (<see cref="PlainText"/>).</summary>
    public static string RequiredName(this IReadOnlyDictionary<string, string> options, string name, int maxLength)
    {
        var value = options.Required(name).Trim();
        return value.Length > maxLength ? throw new ArgumentException($"--{name} must be at most {maxLength} characters.")
            : PlainText.Problem($"--{name}", value, TextKind.Line) is { } problem ? throw new ArgumentException(problem)
            : value;
    }

    /// <summary>The value of a role option, checked.</summary>
    public static string Role(this IReadOnlyDictionary<string, string> options) =>
        options.Required("role") is var role && Roles.All.Contains(role) ? role : throw new ArgumentException($"--role must be one of {string.Join(", ", Roles.All)}.");

    /// <summary>The scope of <c>--contract</c> and <c>--site</c> (several codes separated by commas), checked against contracts.json; neither: every contract.</summary>
    public static Scope Scope(this IReadOnlyDictionary<string, string> options, IServiceProvider services)
    {
        var errors = new ValidationErrors();
        var scope = services.GetRequiredService<ScopeCatalog>().Check(
            [.. Security.Scope.Split(options.GetValueOrDefault("contract"))],
            [.. Security.Scope.Split(options.GetValueOrDefault("site"))],
            errors,
            "--contract",
            "--site");
        return scope ?? throw new ArgumentException(string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)));
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --option value, found '{args[i]}'.");
            }

            options[args[i][2..]] = args[++i];
        }

        return options;
    }

    private static async Task<int> IssueToken(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var name = options.RequiredName("display-name", 100);
        var days = options.TryGetValue("days", out var text) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 1;
        if (days is < 1 or > 366)
        {
            throw new ArgumentException("--days must be between 1 and 366.");
        }

        _ = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        await output.WriteLineAsync(services.GetRequiredService<TokenIssuer>().Issue($"admin-cli:{name}", name, options.Role(), TimeSpan.FromDays(days), options.Scope(services)));
        return 0;
    }

    private static async Task<int> CreateKey(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var name = options.RequiredName("name", 100);
        var (key, secret) = await services.GetRequiredService<ApiKeyStore>().IssueAsync(name, options.Role(), options.Scope(services));
        await Console.Error.WriteLineAsync($"API key {key.KeyId} ({key.Name}, {key.Role}, {key.Scope}); it is shown once, below:");
        await output.WriteLineAsync(secret);
        return 0;
    }

    private static async Task<int> RevokeKey(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var id = Guid.Parse(options.Required("id"));
        var revoked = await services.GetRequiredService<ApiKeyStore>().RevokeAsync(id);
        await output.WriteLineAsync(revoked ? $"Revoked {id}." : $"No live key {id}.");
        return revoked ? 0 : 1;
    }

    private static async Task<int> ListKeys(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        foreach (var key in await services.GetRequiredService<ApiKeyStore>().ListAsync())
        {
            await output.WriteLineAsync(KeyLine(key));
        }

        return 0;
    }

    /// <summary>
    /// Whether the store holds the key in the environment variable named by <c>--key-env</c> (default <c>OPS_API_KEY</c>;
    /// never on the command line, where other users of the machine could see it) as a live key: exit code 0 and its line, or 1.
    /// </summary>
    private static async Task<int> CheckKey(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var variable = options.GetValueOrDefault("key-env", "OPS_API_KEY");
        var presented = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(presented))
        {
            throw new ArgumentException($"The environment variable {variable} must hold the API key.");
        }

        var key = await services.GetRequiredService<ApiKeyStore>().FindAsync(presented.Trim());
        await output.WriteLineAsync(key is null ? "No live key matches." : KeyLine(key));
        return key is null ? 1 : 0;
    }

    /// <summary>One line of <c>list-keys</c>: id, role, name, and its times as people read them (Asia/Shanghai).</summary>
    public static string KeyLine(ApiKey key) =>
        $"{key.KeyId}  {key.Role,-8}  {key.Name}  [{key.Scope}]  created {ShanghaiTimeConverter.Format(key.CreatedAt)}{(key.RevokedAt is { } r ? $"  revoked {ShanghaiTimeConverter.Format(r)}" : "")}";

    /// <summary>
    /// Applies the schema scripts the store lacks, under the same lock as a start (so a starting instance waits, and
    /// each script runs once), and prints each one it applied.
    /// </summary>
    private static async Task<int> Migrate(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var database = services.GetRequiredService<Database>();
        var applied = await SchemaMigrator.MigrateAsync(database, services.GetRequiredService<SchemaMigration>().Assemblies);
        foreach (var script in applied)
        {
            await output.WriteLineAsync($"Applied schema script {script.Component} {script.Name}");
        }

        await output.WriteLineAsync(applied.Count == 0 ? $"The schema is up to date: {database.Describe()}" : $"{applied.Count} schema script(s) applied: {database.Describe()}");
        return 0;
    }

    private static async Task<int> VerifyChains(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var intact = true;
        foreach (var chain in await services.GetRequiredService<EvidenceVerifier>().VerifyAsync())
        {
            intact &= chain.Intact;
            await output.WriteLineAsync(chain.Intact
                ? $"{chain.Chain}: intact, {chain.Entries} entries"
                : $"{chain.Chain}: BROKEN at entry {chain.FirstBroken!.Seq} ({chain.FirstBroken.Entry}): {chain.FirstBroken.Problem}");
        }

        return intact ? 0 : 2;
    }
}
