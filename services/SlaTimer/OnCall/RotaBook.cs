using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;

namespace Ops.SlaTimer.OnCall;

/// <summary>
/// The contracts the sla-timer knows, and the rota each may give in <c>contracts.json</c>
/// (<c>Contracts:{code}:OnCall</c> with <c>Engineers</c> and <c>Rotations</c>). Mobiles are personal data: give them
/// in the environment (<c>Contracts__{code}__OnCall__Engineers__0__Mobile</c>) rather than in the repository.
/// A rota a manager saved through the API wins over this one.
/// </summary>
public sealed class RotaBook(IReadOnlyDictionary<string, SavedRota?> contracts)
{
    public static RotaBook None { get; } = new(new Dictionary<string, SavedRota?>());

    public bool Knows(string contract) => contracts.ContainsKey(contract);

    /// <summary>The rota <c>contracts.json</c> gives the contract; null when it gives none.</summary>
    public SavedRota? Configured(string contract) => contracts.GetValueOrDefault(contract);

    /// <summary>Every contract's <c>OnCall</c> section; a rota with no engineers, an unknown engineer id or a bad hand-over time stops the service at start, naming the setting.</summary>
    public static RotaBook From(IConfiguration configuration)
    {
        var failures = new List<string>();
        var rotas = new Dictionary<string, SavedRota?>(StringComparer.Ordinal);
        foreach (var contract in configuration.GetSection("Contracts").GetChildren())
        {
            var section = contract.GetSection("OnCall");
            if (!section.GetChildren().Any())
            {
                rotas[contract.Key] = null;
                continue;
            }

            try
            {
                var engineers = section.GetSection("Engineers").GetChildren().Select(e => e.Get<EngineerInput>() ?? new EngineerInput()).ToList();
                var rotations = section.GetSection("Rotations").GetChildren().Select(r => r.Get<RotationInput>() ?? new RotationInput()).ToList();
                var (people, turns, errors) = RotaRules.Check(engineers, rotations);
                failures.AddRange(errors.Select(e => $"{Settings.Name(e.Setting(section.Path))}: {e.English}"));
                rotas[contract.Key] = errors.Count == 0 ? new SavedRota(people, turns) : null;
            }
            catch (InvalidOperationException e)
            {
                failures.Add(Settings.BindFailure(e));
            }
        }

        return failures.Count == 0 ? new RotaBook(rotas) : throw new OptionsValidationException("Contracts", typeof(RotaBook), failures);
    }
}
