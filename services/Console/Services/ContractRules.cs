using Ops.Hosting.Contracts;

namespace Ops.Console.Services;

/// <summary>
/// What the ticket page needs of a contract's rules (<c>contracts.json</c>, the file the services read): how long a
/// resolved ticket may be reopened, and whether and why its clock may stand still. They only choose which buttons
/// a page shows; the tickets API decides every change.
/// </summary>
public sealed class ContractRules(ContractsFile file)
{
    /// <summary>Until when a ticket resolved at <paramref name="resolvedAt"/> may be reopened.</summary>
    public DateTimeOffset ReopenableUntil(string contract, DateTimeOffset resolvedAt) => resolvedAt + Sla(contract).ReopenWindow;

    /// <summary>The reasons a ticket of this kind (fault|request) may give for a pause; none when its contract allows no pause.</summary>
    public IReadOnlyList<string> PauseReasons(string contract, string kind)
    {
        var pauses = Sla(contract).Pauses;
        return (kind == "fault" ? pauses.Faults : pauses.Requests) ? pauses.Reasons : [];
    }

    /// <summary>The contract's terms; the defaults (as the tickets service has them) for a contract the file does not name.</summary>
    private SlaEntry Sla(string contract) => file.Usable.GetValueOrDefault(contract)?.Sla ?? new SlaEntry();
}
