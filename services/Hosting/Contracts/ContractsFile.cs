using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;

namespace Ops.Hosting.Contracts;

/// <summary>
/// <c>contracts.json</c> as one typed model, read once at start from the service's configuration (the file, then the
/// environment's <c>Contracts__…</c> overrides) and checked by <see cref="ContractsFileValidation"/>. Each service
/// takes its own view of it (the sla-timer's targets, scoring's terms, the tickets' sites).
/// </summary>
public sealed class ContractsFile
{
    /// <summary>The name errors give the file, whatever path it was read from.</summary>
    public const string FileName = "contracts.json";

    public const string Section = "Contracts";

    /// <summary>The contracts by code (OTQ-2026-OPS), as the file spells them.</summary>
    public IReadOnlyDictionary<string, ContractEntry> Contracts { get; init; } = new Dictionary<string, ContractEntry>();

    /// <summary>What could not be read at all (a value the binder could not parse), each naming the file, the contract and the key.</summary>
    public IReadOnlyList<string> ReadFailures { get; init; } = [];

    /// <summary>Reads the <c>Contracts</c> section contract by contract, so one that cannot be read does not hide the others.</summary>
    public static ContractsFile Read(IConfiguration configuration)
    {
        var contracts = new Dictionary<string, ContractEntry>(StringComparer.OrdinalIgnoreCase);
        var failures = new List<string>();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            try
            {
                contracts[section.Key] = section.Get<ContractEntry>() ?? new ContractEntry();
            }
            catch (InvalidOperationException e)
            {
                failures.Add($"{FileName}: {section.Key}: {Settings.BindFailure(e)}");
            }
        }

        return new ContractsFile { Contracts = contracts, ReadFailures = failures };
    }

    /// <summary>Every error of the file: what could not be read, then what breaks a rule.</summary>
    public IReadOnlyList<string> Errors() => [.. ReadFailures, .. ContractsFileValidation.Check(this)];

    /// <summary>The file, refused with every error at once when it has any.</summary>
    public ContractsFile Checked() =>
        Errors() is { Count: > 0 } errors ? throw new OptionsValidationException(Section, typeof(ContractsFile), errors) : this;
}

/// <summary>One contract of the file.</summary>
public sealed class ContractEntry
{
    public string Title { get; set; } = "";
    public string Bureau { get; set; } = "";
    public string Contractor { get; set; } = "";

    /// <summary>The contract amount in yuan.</summary>
    public decimal Amount { get; set; }

    public DateOnly ServiceStart { get; set; }
    public DateOnly ServiceEnd { get; set; }

    /// <summary>The sites by code (OTQ → its name).</summary>
    public Dictionary<string, string> Sites { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The systems a report may name.</summary>
    public List<string> Systems { get; set; } = [];

    public SlaEntry Sla { get; set; } = new();
    public AssessmentEntry Assessment { get; set; } = new();
    public EscalationEntry Escalation { get; set; } = new();
}

/// <summary>The contract's promises (<c>Sla</c>).</summary>
public sealed class SlaEntry
{
    public TimeSpan Response { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan RepairSevere { get; set; } = TimeSpan.FromHours(4);
    public TimeSpan RepairGeneral { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The warning points in percent; 50 and 80 when left out (no default list: configuration would add to it).</summary>
    public List<int>? WarnAt { get; set; }

    /// <summary>The warning points in force.</summary>
    public IReadOnlyList<int> WarningPercents => WarnAt ?? [50, 80];

    public PausesEntry Pauses { get; set; } = new();
    public RequestsEntry Requests { get; set; } = new();
}

/// <summary>Which tickets may be paused, and for which reasons.</summary>
public sealed class PausesEntry
{
    public bool Faults { get; set; }
    public bool Requests { get; set; }
    public List<string> Reasons { get; set; } = [];
}

/// <summary>Service requests: office hours and grades.</summary>
public sealed class RequestsEntry
{
    public List<string>? WorkingHours { get; set; }
    public Dictionary<string, GradeEntry> Grades { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One grade of service request; each of its fields must be given.</summary>
public sealed class GradeEntry
{
    public string? Name { get; set; }
    public TimeSpan? Response { get; set; }
    public TimeSpan? Completion { get; set; }
    public string? Calendar { get; set; }
}

/// <summary>The assessment table and how deductions turn into money.</summary>
public sealed class AssessmentEntry
{
    public List<ItemEntry> Items { get; set; } = [];
    public decimal FreeDeduction { get; set; } = 20;
    public decimal FeePercentPerPoint { get; set; } = 1;
    public decimal RectificationAbove { get; set; } = 40;
    public List<DeductionRuleEntry> DeductionRules { get; set; } = [];
}

public sealed class ItemEntry
{
    public int Number { get; set; }
    public string Name { get; set; } = "";
    public decimal MaxPoints { get; set; }
}

public sealed class DeductionRuleEntry
{
    public string Kind { get; set; } = "Fault";
    public string Clock { get; set; } = "";
    public string? Severity { get; set; }
    public int Item { get; set; }
    public decimal Points { get; set; }
}

/// <summary>The escalation chain's levels; the sla-timer reads the rest of each level (its URL, its secret).</summary>
public sealed class EscalationEntry
{
    public List<LevelEntry> Levels { get; set; } = [];
}

public sealed class LevelEntry
{
    public string Name { get; set; } = "";
    public string Channel { get; set; } = "Webhook";
    public int From { get; set; } = 100;
    public string? Target { get; set; }
}
