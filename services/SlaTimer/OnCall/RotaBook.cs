using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;
using Ops.Hosting.Contracts;

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

    /// <summary>Every contract's rota from the contracts file; a rota with no engineers, an unknown engineer id or a bad hand-over time stops the service at start, naming the setting.</summary>
    public static RotaBook From(ContractsFile file)
    {
        var failures = new List<string>();
        var rotas = new Dictionary<string, SavedRota?>(StringComparer.Ordinal);
        foreach (var (code, contract) in file.Usable)
        {
            var onCall = contract.OnCall;
            if (onCall.Engineers.Count == 0 && onCall.Rotations.Count == 0)
            {
                rotas[code] = null;
                continue;
            }

            var (people, turns, errors) = RotaRules.Check(onCall.Engineers, onCall.Rotations);
            failures.AddRange(errors.Select(e => $"{Settings.Name(e.Setting($"{ContractsFile.Section}:{code}:OnCall"))}: {e.English}"));
            rotas[code] = errors.Count == 0 ? new SavedRota(people, turns) : null;
        }

        return failures.Count == 0 ? new RotaBook(rotas) : throw new OptionsValidationException("Contracts", typeof(RotaBook), failures);
    }
}
