using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ops.Hosting.Configuration;

/// <summary>
/// Settings bound from one configuration section and checked when the service starts: a value out of its
/// range, a value that does not parse, or a rule of the settings class that fails stops the service with a
/// message naming the key (<c>Scanner:BatchSize</c>), its environment variable (<c>Scanner__BatchSize</c>)
/// and what is allowed.
/// </summary>
public static class Settings
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/>, checked at start by its attributes ([Range], [Required]) and its <see cref="IValidatableObject"/> rules.</summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidation<T>(section));
        services.AddSingleton(new SettingsSection(section, typeof(T)));
        return services.AddOptions<T>()
            .Configure<IConfiguration>((settings, configuration) => Bind(settings, configuration, section))
            .ValidateOnStart();
    }

    /// <summary>Builds <typeparamref name="T"/> when the settings are checked at start, so a configuration it refuses (an <see cref="OptionsValidationException"/>) stops the service like a bad setting.</summary>
    public static IServiceCollection BuildOnStart<T>(this IServiceCollection services)
        where T : class
    {
        // Built when the settings are checked, not when the check is set up, so its refusal joins the others.
        services.AddOptions<Built<T>>().Configure<IServiceProvider>((_, provider) => provider.GetRequiredService<T>()).ValidateOnStart();
        return services;
    }

    /// <summary>The key of a setting as an environment variable: <c>Intake:RateLimit:Burst</c> → <c>Intake__RateLimit__Burst</c>.</summary>
    public static string EnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>How a failure names its setting: <c>Scanner:BatchSize (Scanner__BatchSize)</c>.</summary>
    public static string Name(string key) => $"{key} ({EnvironmentVariable(key)})";

    /// <summary>A duration as it is written in configuration, without trailing zeros: <c>00:00:00.010</c> → <c>00:00:00.01</c>.</summary>
    public static string Format(TimeSpan span)
    {
        var text = span.ToString("c", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) && text.LastIndexOf('.') > text.LastIndexOf(':') ? text.TrimEnd('0') : text;
    }

    /// <summary>Why a value could not be bound: the binder names the key, its inner exception says why.</summary>
    public static string BindFailure(Exception e) => $"{e.Message} {e.InnerException?.Message}".Trim();

    /// <summary>The bytes of a key written in Base64; none when it is missing or not Base64.</summary>
    public static byte[] Base64Key(string? text)
    {
        try
        {
            return Convert.FromBase64String(text ?? "");
        }
        catch (FormatException)
        {
            return [];
        }
    }

    /// <summary>The failures of the settings refused in <paramref name="exception"/>; empty when it is not about settings.</summary>
    public static IReadOnlyList<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException refused => refused.Failures.ToList(),
        // A setting that something built at start reads too (the database's) fails there again: said once.
        AggregateException all => [.. all.InnerExceptions.SelectMany(Failures).Distinct(StringComparer.Ordinal)],
        _ => [],
    };

    private static void Bind<T>(T settings, IConfiguration configuration, string section)
    {
        try
        {
            configuration.GetSection(section).Bind(settings);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(section, typeof(T), [BindFailure(e)]);
        }
    }

    private sealed class Built<T>;
}

/// <summary>A settings class and the section it is bound to, so <c>admin check-config</c> can print its values, defaults included.</summary>
public sealed record SettingsSection(string Section, Type Type);

/// <summary>Checks one settings class: each property's attributes, then the class's own rules, with messages that name the keys.</summary>
public sealed class SettingsValidation<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = new List<string>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var value = property.GetValue(options);
            var key = $"{section}:{property.Name}";
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = key };
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (attribute.GetValidationResult(value, context) is not null)
                {
                    failures.Add(Describe(key, attribute, value));
                }
            }
        }

        if (failures.Count == 0 && options is IValidatableObject rules)
        {
            failures.AddRange(rules.Validate(new ValidationContext(options))
                .Select(r => r.ErrorMessage ?? $"{string.Join(", ", r.MemberNames.Select(m => Settings.Name($"{section}:{m}")))} is not valid."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Describe(string key, ValidationAttribute attribute, object? value) => attribute switch
    {
        _ when attribute.ErrorMessage is { Length: > 0 } message => message,
        RangeAttribute range => $"{Settings.Name(key)} must be from {Format(range.Minimum)} to {Format(range.Maximum)}; it is {Format(value)}.",
        RequiredAttribute => $"{Settings.Name(key)} is required.",
        _ => $"{Settings.Name(key)}: {attribute.FormatErrorMessage(key)}",
    };

    private static string Format(object? value) => value switch
    {
        null => "empty",
        TimeSpan span => Settings.Format(span),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
