using Microsoft.Extensions.Options;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Configuration;
using Ops.Hosting.Contracts;
using Ops.SlaTimer.Calendars;

namespace Ops.SlaTimer.Clocks;

/// <summary>What a clock promises: how long, counted how.</summary>
public readonly record struct Promise(TimeSpan Target, ClockCalendar Calendar);

/// <summary>A contract's promises (its <c>Sla</c> terms in <c>contracts.json</c>).</summary>
public sealed class SlaTargets
{
    private BusinessCalendar? workingTime;

    /// <summary>From report to acknowledgement; the contract says 30 minutes.</summary>
    public TimeSpan Response { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>From report to resolution of a severe fault (严重故障); the contract says 4 hours.</summary>
    public TimeSpan RepairSevere { get; set; } = TimeSpan.FromHours(4);

    /// <summary>From report to resolution of a general fault (一般故障); the contract says 24 hours.</summary>
    public TimeSpan RepairGeneral { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The share of its target (percent) at which a running clock raises a warning; 50 and 80 when left out.
    /// (No default list here: configuration would add its items to it instead of replacing it.)
    /// </summary>
    public List<int>? WarnAt { get; set; }

    /// <summary>The warning points, lowest first.</summary>
    public IReadOnlyList<int> WarningPercents => [.. (WarnAt ?? [50, 80]).Where(p => p is > 0 and < 100).Distinct().Order()];

    /// <summary>The grades of service requests and the office hours their working time is counted in.</summary>
    public RequestTargets Requests { get; set; } = new();

    /// <summary>The working-time calendar of the contract's office hours; without one, office hours on weekdays only.</summary>
    public BusinessCalendar WorkingTime => workingTime ??= new BusinessCalendar([], Requests.OfficeHours());

    /// <summary>The sla-timer's view of a contract's <c>Sla</c> terms (checked by the contracts file).</summary>
    public static SlaTargets From(SlaEntry sla) => new()
    {
        Response = sla.Response,
        RepairSevere = sla.RepairSevere,
        RepairGeneral = sla.RepairGeneral,
        WarnAt = sla.WarnAt is null ? null : [.. sla.WarnAt],
        Requests = new RequestTargets
        {
            WorkingHours = sla.Requests.WorkingHours is null ? null : [.. sla.Requests.WorkingHours],
            Grades = sla.Requests.Grades.ToDictionary(
                g => g.Key,
                g => new RequestGrade
                {
                    Name = g.Value.Name ?? "",
                    Response = g.Value.Response ?? TimeSpan.Zero,
                    Completion = g.Value.Completion ?? TimeSpan.Zero,
                    Calendar = Enum.Parse<ClockCalendar>(g.Value.Calendar ?? nameof(ClockCalendar.Working), ignoreCase: true),
                },
                StringComparer.OrdinalIgnoreCase),
        },
    };

    /// <summary>Uses these holiday years, with the contract's office hours, to count working time.</summary>
    public SlaTargets WithHolidays(IEnumerable<HolidayYear> years)
    {
        workingTime = new BusinessCalendar(years, Requests.OfficeHours());
        return this;
    }

    /// <summary>
    /// The promise of a ticket's clock: a fault's by its severity, around the clock (the contract is 7×24);
    /// a service request's by its grade. A grade the contract does not name is refused.
    /// </summary>
    public Promise For(TicketFacts ticket, ClockKind clock)
    {
        if (ticket.Kind == TicketKind.Fault)
        {
            var target = clock == ClockKind.Response ? Response : ticket.Severity == Severity.Severe ? RepairSevere : RepairGeneral;
            return new Promise(target, ClockCalendar.Continuous);
        }

        var grade = ticket.Grade is { } name && Requests.Grades.TryGetValue(name, out var g)
            ? g
            : throw new InvalidOperationException($"Contract {ticket.Contract} names no request grade '{ticket.Grade}'; the clocks of {ticket.Number} cannot start.");
        return new Promise(clock == ClockKind.Response ? grade.Response : grade.Completion, grade.Calendar);
    }

    /// <summary>When a promise made at <paramref name="start"/> falls due, later by the time that does not count.</summary>
    public DateTimeOffset Deadline(DateTimeOffset start, Promise promise, TimeSpan excluded) => Moment(start, promise, excluded, 100);

    /// <summary>When <paramref name="percent"/> of the promise's target has been used, the excluded time set aside.</summary>
    public DateTimeOffset Moment(DateTimeOffset start, Promise promise, TimeSpan excluded, int percent)
    {
        var share = (percent == 100 ? promise.Target : TimeSpan.FromTicks(promise.Target.Ticks * percent / 100)) + excluded;
        return promise.Calendar == ClockCalendar.Working ? WorkingTime.Add(start, share) : start + share;
    }

    /// <summary>
    /// The time that does not count against a ticket's repair or completion clock, in the clock's own time:
    /// the time a reopened fault spent resolved, and every pause that ended (in working time for a
    /// working-time clock). Nothing is excluded from a response clock.
    /// </summary>
    public TimeSpan Excluded(TicketFacts ticket, ClockKind clock, ClockCalendar calendar) =>
        clock == ClockKind.Response
            ? TimeSpan.Zero
            : ticket.TimeResolved + ticket.Pauses.Aggregate(TimeSpan.Zero, (sum, p) =>
                sum + (calendar == ClockCalendar.Working ? WorkingTime.Between(p.From, p.To) : p.To - p.From));
}

/// <summary>
/// Service requests (服务请求): the grades the contract names, each with its response and completion
/// targets, and the office hours in which working time is counted. The contract leaves these open;
/// the shipped grades are defaults.
/// </summary>
public sealed class RequestTargets
{
    /// <summary>
    /// Office hours in Asia/Shanghai time, e.g. <c>08:30-12:00</c>; 08:30–12:00 and 14:30–18:00 when left out.
    /// (No default list here: configuration would add its items to it instead of replacing it.)
    /// </summary>
    public List<string>? WorkingHours { get; set; }

    public Dictionary<string, RequestGrade> Grades { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<WorkingPeriod> OfficeHours() => [.. (WorkingHours ?? ["08:30-12:00", "14:30-18:00"]).Select(WorkingPeriod.Parse)];
}

/// <summary>One grade of service request.</summary>
public sealed class RequestGrade
{
    /// <summary>The grade as people read it, e.g. 紧急.</summary>
    public string Name { get; set; } = "";

    /// <summary>From the report to the first acknowledgement.</summary>
    public TimeSpan Response { get; set; }

    /// <summary>From the report to the completion.</summary>
    public TimeSpan Completion { get; set; }

    /// <summary>Continuous time, or working time only.</summary>
    public ClockCalendar Calendar { get; set; } = ClockCalendar.Working;
}

/// <summary>The targets of every configured contract.</summary>
public sealed class ContractTargets(IReadOnlyDictionary<string, SlaTargets> contracts)
{
    /// <summary>
    /// Every contract's targets, from the contracts file, counting working time with the holiday files of
    /// <c>Calendars:Directory</c> (the shipped <c>Calendars/</c> folder by default).
    /// </summary>
    /// A calendar folder that does not exist stops the service at start.
    public static ContractTargets From(ContractsFile file, IConfiguration configuration)
    {
        var directory = configuration["Calendars:Directory"];
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new OptionsValidationException("Calendars", typeof(SlaTargets), [$"{Settings.Name("Calendars:Directory")} names no folder: '{directory}'."]);
        }

        var holidays = BusinessCalendar.LoadHolidays(directory ?? Path.Combine(AppContext.BaseDirectory, "Calendars"));
        return new ContractTargets(file.Usable.ToDictionary(c => c.Key, c => SlaTargets.From(c.Value.Sla).WithHolidays(holidays)));
    }

    public SlaTargets For(string contract) =>
        contracts.TryGetValue(contract, out var targets)
            ? targets
            : throw new InvalidOperationException($"Contract {contract} is not configured in contracts.json; its tickets' clocks cannot start.");
}
