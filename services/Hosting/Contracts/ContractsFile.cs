using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;

namespace Ops.Hosting.Contracts;

/// <summary>
/// <c>contracts.json</c> as one typed model, read once at start from the service's configuration (the file, then the
/// environment's <c>Contracts__…</c> overrides) and checked by <see cref="ContractsFileValidation"/>. Each service
/// takes its own view of it (the sla-timer's targets, chains, rotas and WeCom apps, scoring's terms, the tickets' sites and
/// rules, the console's choices): a contract is parsed here only.
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

    private IReadOnlyList<string>? errors;

    /// <summary>The contracts a service may use: none when the file has errors, so a view built from it adds no error of its own (the start check gives them, once).</summary>
    public IReadOnlyDictionary<string, ContractEntry> Usable => Errors().Count == 0 ? Contracts : new Dictionary<string, ContractEntry>();

    /// <summary>
    /// Reads the <c>Contracts</c> section of the configuration (the file, then the environment's <c>Contracts__…</c>)
    /// contract by contract, so one that cannot be read does not hide the others.
    /// </summary>
    public static ContractsFile Read(IConfiguration configuration)
    {
        var contracts = new Dictionary<string, ContractEntry>(StringComparer.OrdinalIgnoreCase);
        var failures = new List<string>();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            // A contract with a value that cannot be read is not checked further: its rules would fail for that value again.
            var unread = Unread(section).ToList();
            try
            {
                var contract = section.Get<ContractEntry>() ?? new ContractEntry();
                if (unread.Count == 0)
                {
                    contracts[section.Key] = contract;
                }
            }
            catch (InvalidOperationException e) when (!unread.Contains(Settings.BindFailure(e)))
            {
                unread.Insert(0, Settings.BindFailure(e));
            }
            catch (InvalidOperationException)
            {
                // Named already, item by item.
            }

            failures.AddRange(unread.Select(failure => $"{FileName}: {section.Key}: {failure}"));
        }

        return new ContractsFile { Contracts = contracts, ReadFailures = failures };
    }

    /// <summary>Every error of the file, checked once: what could not be read, then what breaks a rule.</summary>
    public IReadOnlyList<string> Errors() => errors ??= [.. ReadFailures, .. ContractsFileValidation.Check(this)];

    /// <summary>The file, refused with every error at once when it has any.</summary>
    public ContractsFile Checked() =>
        Errors() is { Count: > 0 } found ? throw new OptionsValidationException(Section, typeof(ContractsFile), found) : this;

    /// <summary>The binder drops a list item or a map entry it cannot read, without a word: each is bound alone to name it.</summary>
    private static IEnumerable<string> Unread(IConfigurationSection contract) =>
    [
        .. Unread<int>(contract.GetSection("Sla:WarnAt")),
        .. Unread<GradeEntry>(contract.GetSection("Sla:Requests:Grades")),
        .. Unread<ItemEntry>(contract.GetSection("Assessment:Items")),
        .. Unread<DeductionRuleEntry>(contract.GetSection("Assessment:DeductionRules")),
        .. Unread<LevelEntry>(contract.GetSection("Escalation:Levels")),
    ];

    private static IEnumerable<string> Unread<T>(IConfigurationSection list)
    {
        foreach (var item in list.GetChildren())
        {
            string? failure = null;
            try
            {
                item.Get<T>();
            }
            catch (InvalidOperationException e)
            {
                failure = Settings.BindFailure(e);
            }

            if (failure is not null)
            {
                yield return failure;
            }
        }
    }
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

    /// <summary>The rota the file gives (the sla-timer checks it by the rules of a rota saved through its API).</summary>
    public OnCallEntry OnCall { get; set; } = new();

    /// <summary>The contract's WeCom app; none when the file gives none (the sla-timer checks it: its secrets come from its environment).</summary>
    public WeComAppEntry? WeComApp { get; set; }
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

/// <summary>The escalation chain's levels.</summary>
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

    /// <summary>The robot's or endpoint's URL, a key in it: given in the environment.</summary>
    public string? Url { get; set; }

    /// <summary>A DingTalk robot's signing secret.</summary>
    public string? Secret { get; set; }
}

/// <summary>A rota as the file writes it: engineers and rotations, as text until the sla-timer checks them.</summary>
public sealed class OnCallEntry
{
    public List<EngineerEntry> Engineers { get; set; } = [];
    public List<RotationEntry> Rotations { get; set; } = [];
}

/// <summary>An engineer of the rota (the sla-timer's API takes the same fields).</summary>
public class EngineerEntry
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Mobile { get; set; }
    public string? WeComUserId { get; set; }
    public string? Username { get; set; }
}

/// <summary>A rotation of the rota (the sla-timer's API takes the same fields).</summary>
public class RotationEntry
{
    public string? Name { get; set; }
    public string? Layer { get; set; }
    public string? Turn { get; set; }
    public string? Handover { get; set; }
    public string? Start { get; set; }
    public List<string>? Engineers { get; set; }
}

/// <summary>A WeCom self-built app (企业微信自建应用); its secret, token and EncodingAESKey come from the environment.</summary>
public sealed class WeComAppEntry
{
    public string CorpId { get; set; } = "";
    public int AgentId { get; set; }
    public string Secret { get; set; } = "";
    public string Token { get; set; } = "";
    public string EncodingAESKey { get; set; } = "";
}
