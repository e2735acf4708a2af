using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;

namespace Ops.SlaTimer.WeCom;

/// <summary>
/// A contract's WeCom self-built app (企业微信自建应用, <c>Contracts:{code}:WeComApp</c>): it sends the on-duty
/// engineer a card with a 确认响应 button and calls the sla-timer back when it is pressed. The secret, the
/// callback token and the EncodingAESKey come from the environment
/// (<c>Contracts__{code}__WeComApp__Secret</c>), never from a file in the repository.
/// </summary>
public sealed class WeComApp
{
    public string CorpId { get; set; } = "";

    public int AgentId { get; set; }

    public string Secret { get; set; } = "";

    public string Token { get; set; } = "";

    public string EncodingAESKey { get; set; } = "";

    public WeComCrypto Crypto() => new(Token, EncodingAESKey, CorpId);
}

/// <summary>Where the sla-timer reaches WeCom's server API (<c>WeCom:ApiBaseUrl</c>); tests point it at a local receiver.</summary>
public sealed class WeComOptions
{
    public const string Section = "WeCom";

    [System.ComponentModel.DataAnnotations.Url]
    public string ApiBaseUrl { get; set; } = "https://qyapi.weixin.qq.com";
}

/// <summary>The WeCom apps of the contracts that configure one; every setting is checked at start.</summary>
public sealed class WeComApps(IReadOnlyDictionary<string, WeComApp> apps)
{
    private static readonly string[] Secrets = [nameof(WeComApp.Secret), nameof(WeComApp.Token), nameof(WeComApp.EncodingAESKey)];

    /// <summary>The contract's app; null when it configures none.</summary>
    public WeComApp? For(string contract) => apps.GetValueOrDefault(contract);

    public static WeComApps From(IConfiguration configuration)
    {
        var failures = new List<string>();
        var apps = new Dictionary<string, WeComApp>();
        foreach (var contract in configuration.GetSection("Contracts").GetChildren())
        {
            var section = contract.GetSection("WeComApp");
            if (!section.Exists())
            {
                continue;
            }

            WeComApp app;
            try
            {
                app = section.Get<WeComApp>() ?? new WeComApp();
            }
            catch (InvalidOperationException e)
            {
                failures.Add(Settings.BindFailure(e));
                continue;
            }

            Require(app.CorpId, "CorpId", "the corp id (企业ID)");
            Require(app.Secret, "Secret", "the app's secret");
            Require(app.Token, "Token", "the callback's token");
            if (app.AgentId <= 0)
            {
                failures.Add($"{Settings.Name($"{section.Path}:AgentId")} must be the app's AgentId, a positive number.");
            }

            if (WeComCrypto.Key(app.EncodingAESKey) is null)
            {
                failures.Add($"{Settings.Name($"{section.Path}:EncodingAESKey")} must be the 43 characters of the callback's EncodingAESKey.");
            }

            foreach (var secret in Secrets.Where(s => InAFile(configuration, $"{section.Path}:{s}")))
            {
                failures.Add($"{Settings.Name($"{section.Path}:{secret}")} is a secret: give it in the environment, not in a file.");
            }

            apps[contract.Key] = app;

            void Require(string value, string key, string what)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    failures.Add($"{Settings.Name($"{section.Path}:{key}")} must be {what}.");
                }
            }
        }

        return failures.Count == 0 ? new WeComApps(apps) : throw new OptionsValidationException("Contracts", typeof(WeComApp), failures);
    }

    /// <summary>Whether a file (appsettings.json, contracts.json) sets <paramref name="key"/>.</summary>
    private static bool InAFile(IConfiguration configuration, string key) =>
        configuration is IConfigurationRoot root && root.Providers.OfType<FileConfigurationProvider>().Any(p => p.TryGet(key, out var value) && !string.IsNullOrEmpty(value));
}
