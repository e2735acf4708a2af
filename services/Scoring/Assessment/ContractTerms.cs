using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Contracts;
using Ops.Hosting.Http;

namespace Ops.Scoring.Assessment;

/// <summary>What scoring needs to know of a contract (from <c>contracts.json</c>): its money, its period, its items and its rules.</summary>
public sealed class ContractTerms
{
    public string Code { get; set; } = "";
    public string Title { get; set; } = "";
    public string Bureau { get; set; } = "";
    public string Contractor { get; set; } = "";

    /// <summary>The contract amount in yuan: ¥515,136.00 for the seed contract.</summary>
    public decimal Amount { get; set; }

    public DateOnly ServiceStart { get; set; }
    public DateOnly ServiceEnd { get; set; }
    public AssessmentTerms Assessment { get; set; } = new();

    /// <summary>The names people read of the service request grades (normal → 一般), from <c>Sla:Requests:Grades</c>.</summary>
    public IReadOnlyDictionary<string, string> GradeNames { get; set; } = new Dictionary<string, string>();

    /// <summary>The assessment period: the service year, from its first day to the end of its last day, Asia/Shanghai.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Period => (StartOfDay(ServiceStart), StartOfDay(ServiceEnd.AddDays(1)));

    private static DateTimeOffset StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, ShanghaiTimeConverter.Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>The assessment table (评价指标体系) and how deductions turn into money.</summary>
public sealed class AssessmentTerms
{
    public List<AssessmentItem> Items { get; set; } = [];

    /// <summary>Deductions up to this total cost nothing (the contract: 20 points).</summary>
    public decimal FreeDeduction { get; set; } = 20;

    /// <summary>Each point above <see cref="FreeDeduction"/> costs this percentage of the contract amount (the contract: 1 %).</summary>
    public decimal FeePercentPerPoint { get; set; } = 1;

    /// <summary>A total above this forces rectification (the contract: 40 points).</summary>
    public decimal RectificationAbove { get; set; } = 40;

    public List<DeductionRule> DeductionRules { get; set; } = [];
}

/// <summary>One of the 15 assessment items and the most it can lose.</summary>
public sealed class AssessmentItem
{
    public int Number { get; set; }
    public string Name { get; set; } = "";
    public decimal MaxPoints { get; set; }
}

/// <summary>
/// What a breached clock costs. The contract names the items (应急响应, item 6, for faults; 服务响应,
/// item 9, for service requests) but not the points per breach; the shipped defaults are 1 point for a
/// late response to a fault, 1 for a late general repair, 2 for a late severe repair, 0.5 for a late
/// response to a request and 1 for a late completion. A fault rule without a severity applies to both.
/// </summary>
public sealed class DeductionRule
{
    /// <summary>Faults (the default) or service requests.</summary>
    public TicketKind Kind { get; set; } = TicketKind.Fault;

    public ClockKind Clock { get; set; }
    public Severity? Severity { get; set; }
    public int Item { get; set; }
    public decimal Points { get; set; }

    /// <summary>The most specific rule for a clock of a ticket of <paramref name="kind"/>: one naming its severity before one that does not.</summary>
    public static DeductionRule? For(IEnumerable<DeductionRule> rules, TicketKind kind, ClockKind clock, Severity? severity) =>
        rules.Where(r => r.Kind == kind && r.Clock == clock && (r.Severity is null || r.Severity == severity))
            .OrderByDescending(r => r.Severity is not null)
            .FirstOrDefault();
}

/// <summary>The configured contracts by code.</summary>
public sealed class ContractBook(IReadOnlyDictionary<string, ContractTerms> contracts)
{
    public IReadOnlyDictionary<string, ContractTerms> Contracts { get; } = contracts;

    /// <summary>Scoring's view of the contracts file (which checks each contract's amount, period, items and rules).</summary>
    public static ContractBook From(ContractsFile file) => new(file.Usable.ToDictionary(c => c.Key, c => Terms(c.Key, c.Value)));

    private static ContractTerms Terms(string code, ContractEntry contract) => new()
    {
        Code = code,
        Title = contract.Title,
        Bureau = contract.Bureau,
        Contractor = contract.Contractor,
        Amount = contract.Amount,
        ServiceStart = contract.ServiceStart,
        ServiceEnd = contract.ServiceEnd,
        Assessment = new AssessmentTerms
        {
            Items = [.. contract.Assessment.Items.Select(i => new AssessmentItem { Number = i.Number, Name = i.Name, MaxPoints = i.MaxPoints })],
            FreeDeduction = contract.Assessment.FreeDeduction,
            FeePercentPerPoint = contract.Assessment.FeePercentPerPoint,
            RectificationAbove = contract.Assessment.RectificationAbove,
            DeductionRules = [.. contract.Assessment.DeductionRules.Select(r => new DeductionRule
            {
                Kind = Enum.Parse<TicketKind>(r.Kind, ignoreCase: true),
                Clock = Enum.Parse<ClockKind>(r.Clock, ignoreCase: true),
                Severity = r.Severity is null ? null : Enum.Parse<Severity>(r.Severity, ignoreCase: true),
                Item = r.Item,
                Points = r.Points,
            })],
        },
        GradeNames = contract.Sla.Requests.Grades.ToDictionary(
            g => g.Key, g => string.IsNullOrWhiteSpace(g.Value.Name) ? g.Key : g.Value.Name, StringComparer.OrdinalIgnoreCase),
    };

    public ContractTerms? Find(string? code) =>
        code is null
            ? (Contracts.Count == 1 ? Contracts.Values.Single() : null)
            : Contracts.Values.FirstOrDefault(c => string.Equals(c.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));
}
