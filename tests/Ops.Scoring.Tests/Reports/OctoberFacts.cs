using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.Scoring.Reports;
using Ops.Testing;

namespace Ops.Scoring.Tests.Reports;

/// <summary>
/// A month of faults that breach, stop in time, change severity, reopen and are waived (as <see cref="ReportBuilderTests"/>
/// records them through the service), the same clocks, tickets and numbers for every store of a test run.
/// </summary>
internal static class OctoberFacts
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public static readonly DateTimeOffset AfterOctober = new(2026, 11, 24, 10, 0, 0, Shanghai);

    public static readonly Actor LiNa = new("user:lina", "李娜");

    public static DateTimeOffset At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, Shanghai);

    public static ReportPeriod October => ReportPeriods.Of(Seed.Terms, ReportKind.Month, "2026-10")!;

    public static ReportPeriod November => ReportPeriods.Of(Seed.Terms, ReportKind.Month, "2026-11")!;

    /// <summary>The clocks' versions in the order they are recorded.</summary>
    public static IReadOnlyList<ClockFacts> Versions { get; } = Make();

    /// <summary>The service's JSON settings, with which a report's figures are stored.</summary>
    public static IOptions<JsonOptions> Json { get; } = Options.Create(MakeJson());

    /// <summary>The store-level classes a report is made with, on <paramref name="database"/>.</summary>
    public static (DeductionLedger Ledger, SlaDashboard Dashboard, ReportStore Reports) On(Database database)
    {
        var ledger = Seed.LedgerOn(database);
        var dashboard = new SlaDashboard(database);
        return (ledger, dashboard, new ReportStore(database, TestSecrets.Evidence(database), new ReportBuilder(database, dashboard, ledger), Json));
    }

    /// <summary>Records the month on a ledger: every clock's versions, a manual deduction and a waiver.</summary>
    public static async Task RecordAsync(DeductionLedger ledger)
    {
        foreach (var version in Versions)
        {
            await ledger.RecordClockAsync(version, AfterOctober);
        }

        await ledger.AddManualAsync(Seed.Terms, 8, 1m, "9月月报逾期提交", At(10, 25, 10), LiNa, AfterOctober);
        var evidence = await ledger.EvidenceAsync(Seed.Terms, 1000);
        var waived = evidence.Single(e => e.TicketNumber == "F20261020-0001" && e.Source == DeductionSource.Breach);
        var (_, refusal) = await ledger.WaiveAsync(waived.Id, "盟级统一平台故障，非乙方责任", LiNa, AfterOctober, Scope.All);
        Assert.That(refusal, Is.Null);
    }

    private static (ClockFacts Response, ClockFacts Repair) Fault(string number, DateTimeOffset reported, Severity severity, string site = "OTQ", string system = "综合一窗受理平台")
    {
        var ticket = Guid.NewGuid();
        return (
            Clocks.Running(ClockKind.Response, severity, reported, site, system, ticket: ticket) with { TicketNumber = number },
            Clocks.Running(ClockKind.Repair, severity, reported, site, system, ticket: ticket) with { TicketNumber = number });
    }

    private static List<ClockFacts> Make()
    {
        var versions = new List<ClockFacts>();

        // September: a severe repair late (2 points) and a general repair breached and never stopped (1 point).
        var s = Fault("F20260920-0001", At(9, 20, 9), Severity.Severe);
        versions.AddRange([s.Response.StoppedAfter(TimeSpan.FromMinutes(10)), s.Repair.Breached(), s.Repair.Breached().StoppedAfter(TimeSpan.FromHours(6))]);
        var h = Fault("F20260928-0001", At(9, 28, 9), Severity.General, "SHM");
        versions.AddRange([h.Response.StoppedAfter(TimeSpan.FromMinutes(10)), h.Repair.Breached()]);

        // October; two tickets reported at one moment, so that their numbers order them.
        var a = Fault("F20261005-0002", At(10, 5, 10), Severity.Severe); // repair breached, still open: 2
        versions.AddRange([a.Response.StoppedAfter(TimeSpan.FromMinutes(10)), a.Repair.Breached()]);
        var a2 = Fault("F20261005-0001", At(10, 5, 10), Severity.General, "SHM"); // repaired in time
        versions.AddRange([a2.Response.StoppedAfter(TimeSpan.FromMinutes(5)), a2.Repair.StoppedAfter(TimeSpan.FromHours(1))]);
        var b = Fault("F20261008-0001", At(10, 8, 9), Severity.General, "SHM", "好差评"); // response late: 1
        versions.AddRange([b.Response.Breached(), b.Response.Breached().StoppedAfter(TimeSpan.FromMinutes(45)), b.Repair.StoppedAfter(TimeSpan.FromHours(3))]);
        var c = Fault("F20261010-0001", At(10, 10, 14), Severity.Severe); // the stop in time reached the timer late: taken back
        versions.AddRange([c.Response.StoppedAfter(TimeSpan.FromMinutes(5)), c.Repair.Breached(), c.Repair.Breached().StoppedInTime()]);
        var d = Fault("F20261012-0001", At(10, 12, 8), Severity.Severe); // severe, then general: a general repair late, 1
        var general = d.Repair with { Sequence = 2, Severity = Severity.General, Target = TimeSpan.FromHours(24), Deadline = d.Repair.ReportedAt.AddHours(24) };
        versions.AddRange([d.Response.StoppedAfter(TimeSpan.FromMinutes(20)), general, general.Breached(), general.Breached().StoppedAfter(TimeSpan.FromHours(30))]);
        var e = Fault("F20261015-0001", At(10, 15, 20), Severity.General, "SHM"); // repaired in time, reopened, late: 1
        var reopened = e.Repair.StoppedAfter(TimeSpan.FromHours(2)).Reopened(TimeSpan.FromHours(3));
        versions.AddRange([e.Response.StoppedAfter(TimeSpan.FromMinutes(10)), e.Repair.StoppedAfter(TimeSpan.FromHours(2)), reopened, reopened.Breached(),
            reopened.Breached().StoppedAfter(TimeSpan.FromHours(40))]);
        var f = Fault("F20261020-0001", At(10, 20, 11), Severity.Severe, "OTQ", "好差评"); // late, waived: 0
        versions.AddRange([f.Response.StoppedAfter(TimeSpan.FromMinutes(15)), f.Repair.Breached()]);
        var ticket = Guid.NewGuid();
        var request = Clocks.Request(ClockKind.Completion, reportedAt: At(10, 22, 10)) with { TicketId = ticket, TicketNumber = "R20261022-0001" }; // late: 1
        var requestResponse = Clocks.Request(ClockKind.Response, reportedAt: At(10, 22, 10)) with { TicketId = ticket, TicketNumber = "R20261022-0001" };
        versions.AddRange([requestResponse.StoppedAfter(TimeSpan.FromHours(1)), request.Breached(), request.Breached().StoppedAfter(TimeSpan.FromHours(20))]);
        var g = Fault("F20261031-0001", At(10, 31, 23), Severity.General); // open at the month's end, late in November: 1, placed in November
        versions.AddRange([g.Response.StoppedAfter(TimeSpan.FromMinutes(10)), g.Repair.Breached(), g.Repair.Breached().StoppedAfter(TimeSpan.FromHours(27))]);

        // November: a late response (1), after the month.
        var n = Fault("F20261103-0001", At(11, 3, 9), Severity.General);
        versions.Add(n.Response.Breached().StoppedAfter(TimeSpan.FromMinutes(50)));
        return versions;
    }

    private static JsonOptions MakeJson()
    {
        // As the service defaults set them (services/Hosting/ServiceDefaults.cs).
        var options = new JsonOptions();
        options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.SerializerOptions.Converters.Add(new ShanghaiTimeConverter());
        options.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never;
        options.SerializerOptions.Encoder = MessageJson.Encoder;
        return options;
    }
}
