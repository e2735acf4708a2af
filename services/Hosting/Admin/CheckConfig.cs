using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;

namespace Ops.Hosting.Admin;

/// <summary>
/// <c>admin check-config</c>: prints the service's effective configuration, secrets masked, and checks it as a start
/// would (every setting and <c>contracts.json</c>) without starting anything: no schema migration, no bus.
/// Exit code 0 when the service would start; 1, with one line per refusal on standard error, when it would not.
/// </summary>
public static class CheckConfig
{
    public const string Verb = "check-config";

    /// <summary>What ends the output when every check passes.</summary>
    public const string Valid = "The configuration is valid.";

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyDictionary<string, string> options, TextWriter output)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var sections = services.GetServices<SettingsSection>().DistinctBy(s => s.Section).OrderBy(s => s.Section, StringComparer.Ordinal).ToList();
        var covered = new List<string>();
        foreach (var section in sections)
        {
            var values = Values(services, section).ToList();
            foreach (var (key, value) in values)
            {
                await output.WriteLineAsync($"{key} = {Secrets.Shown(key, value)}");
            }

            if (values.Count > 0)
            {
                covered.Add(section.Section + ":");
            }
        }

        // The rest as configured (contracts.json and its overrides, connection strings, a section that could not be bound), beside the settings above.
        foreach (var (key, value) in configuration.AsEnumerable().Where(e => e.Value is not null && e.Key.Contains(':', StringComparison.Ordinal))
            .Where(e => !covered.Any(c => e.Key.StartsWith(c, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"{key} = {Secrets.Shown(key, value)}");
        }

        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (Settings.Failures(e) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync(failure);
            }

            return 1;
        }

        await output.WriteLineAsync(Valid);
        return 0;
    }

    /// <summary>A settings class's values as bound, defaults included; none when it cannot be bound (the check says why).</summary>
    private static IEnumerable<(string Key, string? Value)> Values(IServiceProvider services, SettingsSection section) =>
        Bound(services, section.Type) is { } settings
            ? section.Type.GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.CanWrite)
                .Select(p => ($"{section.Section}:{p.Name}", Text(p.GetValue(settings))))
            : [];

    private static object? Bound(IServiceProvider services, Type type)
    {
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
        try
        {
            return options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
        }
        catch (System.Reflection.TargetInvocationException)
        {
            return null;
        }
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        TimeSpan span => Settings.Format(span),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Text)),
        _ => value.ToString(),
    };
}
