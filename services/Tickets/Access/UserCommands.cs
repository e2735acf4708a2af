using Ops.Hosting;

namespace Ops.Tickets.Access;

/// <summary>
/// <c>dotnet Ops.Tickets.dll admin create-user --username wang.wei --display-name 王伟 --role engineer [--contract OTQ-2026-OPS] [--site OTQ]</c>
/// (no <c>--contract</c> nor <c>--site</c>: every contract); the
/// password is read from the environment variable named by <c>--password-env</c> (default
/// <c>OPS_NEW_PASSWORD</c>), never from the command line, where other users of the machine could see it.
/// </summary>
public static class UserCommands
{
    public static async Task<int> CreateUser(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var variable = options.GetValueOrDefault("password-env", "OPS_NEW_PASSWORD");
        var password = Environment.GetEnvironmentVariable(variable);
        if (password is not { Length: >= 12 and <= 200 })
        {
            throw new ArgumentException($"The environment variable {variable} must hold the password, 12 to 200 characters.");
        }

        var username = options.Required("username");
        if (!AccessApi.IsUsername(username))
        {
            throw new ArgumentException("--username must be 3 to 64 letters, digits, '.', '-' or '_'.");
        }

        var user = await services.GetRequiredService<UserStore>().CreateAsync(username, options.RequiredName("display-name", 100), options.Role(), password, options.Scope(services));
        await output.WriteLineAsync(user is null ? "A user with this name exists." : $"Created {user.Username} ({user.Role}, {user.Scope}).");
        return user is null ? 1 : 0;
    }
}
