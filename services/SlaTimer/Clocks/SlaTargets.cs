using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;

namespace Ops.SlaTimer.Clocks;

/// <summary>A contract's promises (from <c>contracts.json</c>, <c>Contracts:{code}:Sla</c>).</summary>
public sealed class SlaTargets
{
    /// <summary>From report to acknowledgement; the contract says 30 minutes.</summary>
    public TimeSpan Response { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>From report to resolution of a severe fault (严重故障); the contract says 4 hours.</summary>
    public TimeSpan RepairSevere { get; set; } = TimeSpan.FromHours(4);

    /// <summary>From report to resolution of a general fault (一般故障); the contract says 24 hours.</summary>
    public TimeSpan RepairGeneral { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan For(ClockKind clock, Severity severity) => clock switch
    {
        ClockKind.Response => Response,
        _ => severity == Severity.Severe ? RepairSevere : RepairGeneral,
    };
}

/// <summary>The targets of every configured contract.</summary>
public sealed class ContractTargets(IReadOnlyDictionary<string, SlaTargets> contracts)
{
    public SlaTargets For(string contract) =>
        contracts.TryGetValue(contract, out var targets)
            ? targets
            : throw new InvalidOperationException($"Contract {contract} is not configured in contracts.json; its tickets' clocks cannot start.");
}
