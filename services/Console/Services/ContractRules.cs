namespace Ops.Console.Services;

/// <summary>
/// What the ticket page needs of a contract's rules (<c>contracts.json</c>, the file the services read): how long a
/// resolved ticket may be reopened, and whether and why its clock may stand still. They only choose which buttons
/// a page shows; the tickets API decides every change.
/// </summary>
public sealed class ContractRules(IConfiguration configuration)
{
    /// <summary>The tickets service's default when a contract names none.</summary>
    private static readonly TimeSpan DefaultReopenWindow = TimeSpan.FromDays(7);

    /// <summary>Until when a ticket resolved at <paramref name="resolvedAt"/> may be reopened.</summary>
    public DateTimeOffset ReopenableUntil(string contract, DateTimeOffset resolvedAt) =>
        resolvedAt + (Sla(contract).GetValue<TimeSpan?>("ReopenWindow") ?? DefaultReopenWindow);

    /// <summary>The reasons a ticket of this kind (fault|request) may give for a pause; none when its contract allows no pause.</summary>
    public IReadOnlyList<string> PauseReasons(string contract, string kind)
    {
        var pauses = Sla(contract).GetSection("Pauses");
        var allowed = pauses.GetValue<bool>(kind == "fault" ? "Faults" : "Requests");
        return allowed ? pauses.GetSection("Reasons").Get<string[]>() ?? [] : [];
    }

    private IConfigurationSection Sla(string contract) => configuration.GetSection("Contracts").GetSection(contract).GetSection("Sla");
}
