using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;
using Ops.Hosting.Contracts;

namespace Ops.SlaTimer.WeCom;

/// <summary>
/// A contract's WeCom self-built app (企业微信自建应用, <c>Contracts:{code}:WeComApp</c>): it sends the on-duty
/// engineer a card with a 确认响应 button and calls the sla-timer back when it is pressed. The secret, the
/// callback token and the EncodingAESKey come from the environment
/// (<c>Contracts__{code}__WeComApp__Secret</c>), never from a file in the repository.
/// </summary>
public static class WeComAppCrypto
{
    /// <summary>What opens and seals the app's callbacks.</summary>
    public static WeComCrypto Crypto(this WeComAppEntry app) => new(app.Token, app.EncodingAESKey, app.CorpId);
}

/// <summary>Where the sla-timer reaches WeCom's server API (<c>WeCom:ApiBaseUrl</c>); tests point it at a local receiver.</summary>
public sealed class WeComOptions
{
    public const string Section = "WeCom";

    [System.ComponentModel.DataAnnotations.Url]
    public string ApiBaseUrl { get; set; } = "https://qyapi.weixin.qq.com";
}

/// <summary>The WeCom apps of the contracts that configure one; every setting is checked at start.</summary>
public sealed class WeComApps(IReadOnlyDictionary<string, WeComAppEntry> apps)
{
    private static readonly string[] Secrets = [nameof(WeComAppEntry.Secret), nameof(WeComAppEntry.Token), nameof(WeComAppEntry.EncodingAESKey)];

    /// <summary>The contract's app; null when it configures none.</summary>
    public WeComAppEntry? For(string contract) => apps.GetValueOrDefault(contract);

    /// <summary>The apps the contracts file gives, each checked: they work only with every value, and their secrets come from the environment.</summary>
    public static WeComApps From(ContractsFile file, IConfiguration configuration)
    {
        var failures = new List<string>();
        var apps = new Dictionary<string, WeComAppEntry>();
        foreach (var (code, contract) in file.Usable)
        {
            if (contract.WeComApp is not { } app)
            {
                continue;
            }

            var section = $"{ContractsFile.Section}:{code}:WeComApp";
            Require(app.CorpId, "CorpId", "the corp id (企业ID)");
            Require(app.Secret, "Secret", "the app's secret");
            Require(app.Token, "Token", "the callback's token");
            if (app.AgentId <= 0)
            {
                failures.Add($"{Settings.Name($"{section}:AgentId")} must be the app's AgentId, a positive number.");
            }

            if (WeComCrypto.Key(app.EncodingAESKey) is null)
            {
                failures.Add($"{Settings.Name($"{section}:EncodingAESKey")} must be the 43 characters of the callback's EncodingAESKey.");
            }

            foreach (var secret in Secrets.Where(s => InAFile(configuration, $"{section}:{s}")))
            {
                failures.Add($"{Settings.Name($"{section}:{secret}")} is a secret: give it in the environment, not in a file.");
            }

            apps[code] = app;

            void Require(string value, string key, string what)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    failures.Add($"{Settings.Name($"{section}:{key}")} must be {what}.");
                }
            }
        }

        return failures.Count == 0 ? new WeComApps(apps) : throw new OptionsValidationException("Contracts", typeof(WeComAppEntry), failures);
    }

    /// <summary>Whether a file (appsettings.json, contracts.json) sets <paramref name="key"/>.</summary>
    private static bool InAFile(IConfiguration configuration, string key) =>
        configuration is IConfigurationRoot root && root.Providers.OfType<FileConfigurationProvider>().Any(p => p.TryGet(key, out var value) && !string.IsNullOrEmpty(value));
}
