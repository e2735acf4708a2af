using Ops.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;
using Ops.Scoring.Ledger;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Storage;
using Ops.Tickets.Intake;
using Ops.Tickets.Lifecycle;
using Ops.Tickets.Storage;

namespace Ops.SqlServer.Tests;

/// <summary>
/// The stores against a real SQL Server, when <c>OPS_TEST_SQLSERVER</c> holds a connection string to an
/// empty database the tests may fill; skipped otherwise. One database holds all three services' tables here.
/// </summary>
[Category("LiveSqlServer")]
public class LiveSqlServerTests
{
    private Database database = null!;

    [OneTimeSetUp]
    public async Task Migrate()
    {
        var connectionString = Environment.GetEnvironmentVariable("OPS_TEST_SQLSERVER");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Ignore("OPS_TEST_SQLSERVER is not set: no SQL Server to test against.");
        }

        database = new Database(SqlProvider.SqlServer, connectionString);
        await SchemaMigrator.MigrateAsync(database, SqlCatalog.Assemblies);
    }

    [OneTimeTearDown]
    public async Task Close()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    [Test]
    public async Task Migrations_RunTwice_ApplyNothingTheSecondTime()
    {
        var applied = await SchemaMigrator.MigrateAsync(database, SqlCatalog.Assemblies);

        Assert.That(applied, Is.Empty);
    }

    [Test]
    public async Task AFaultLate_IsReportedClockedBreachedAndDeducted_OnSqlServer()
    {
        var now = DateTimeOffset.UtcNow;
        var outbox = new Outbox(TimeProvider.System);
        var phones = new PhoneCipher(Microsoft.Extensions.Options.Options.Create(new PersonalDataOptions { Key = TestSecrets.PersonalDataKey }));
        var tickets = new TicketStore(database, outbox, TestSecrets.Evidence(database), phones);
        var report = new ValidReport("OTQ-2026-OPS", TicketKind.Fault, Severity.Severe, null, "phone", "OTQ", "政务服务网", "网站打不开", null,
            "李女士", "13812345678", now.AddHours(-5), null, Guid.NewGuid().ToString("N"));

        var (result, ticket, _) = await tickets.ReportAsync(report, new IdempotencyKey("key:live-test", $"key:{Guid.NewGuid()}"), new Actor("key:live-test", "intake (phone)"), now);
        var (changed, acknowledged, _) = await tickets.ChangeAsync(ticket.Id.ToString(), Scope.All,
            t => TicketLifecycle.Acknowledge(t, new Actor("user:wang", "王工"), now), (_, t) => new TicketAcknowledged(t.ToFacts(), "王工", now));

        Assert.That(result, Is.EqualTo(ReportResult.Created));
        Assert.That(changed, Is.EqualTo(ChangeResult.Changed));
        Assert.That((await tickets.TimelineAsync(ticket.Id)).Count, Is.EqualTo(2));
        Assert.That((await tickets.ListAsync(new Ops.Tickets.Queries.TicketFilter(TicketStatus.Acknowledged, "OTQ", null, null, now.AddHours(-6), null, 10, 0), Scope.All)).Total, Is.GreaterThanOrEqualTo(1));

        var clocks = new ClockStore(database, outbox, TestSecrets.Evidence(database), new ContractTargets(new Dictionary<string, SlaTargets> { ["OTQ-2026-OPS"] = new() }),
            new Ops.SlaTimer.Notifications.PendingNotices(database, Ops.SlaTimer.Notifications.EscalationBook.None));
        Assert.That(await clocks.ApplyTicketAsync(acknowledged!.ToFacts(), now), Is.True);
        await clocks.BreachDueAsync(now, 500);
        var ofTicket = await clocks.OfTicketAsync(ticket.Id.ToString());
        Assert.That(ofTicket.Select(c => c.State), Is.All.EqualTo(ClockState.Breached));
        Assert.That((await clocks.ListAsync(new ClockFilter(ClockState.Breached, null), 10, 0, Scope.All)).Total, Is.GreaterThanOrEqualTo(2));

        var terms = new ContractTerms
        {
            Code = "OTQ-2026-OPS",
            Amount = 515136m,
            ServiceStart = DateOnly.FromDateTime(now.UtcDateTime.AddDays(-30)),
            ServiceEnd = DateOnly.FromDateTime(now.UtcDateTime.AddDays(300)),
            Assessment = new AssessmentTerms
            {
                Items = [new AssessmentItem { Number = 6, Name = "应急响应", MaxPoints = 10 }],
                DeductionRules = [new DeductionRule { Clock = ClockKind.Response, Item = 6, Points = 1 }, new DeductionRule { Clock = ClockKind.Repair, Item = 6, Points = 2 }],
            },
        };
        var ledger = new DeductionLedger(database, outbox, TestSecrets.Evidence(database), new ContractBook(new Dictionary<string, ContractTerms> { [terms.Code] = terms }), NullLogger<DeductionLedger>.Instance);
        foreach (var clock in ofTicket)
        {
            Assert.That(await ledger.RecordClockAsync(clock.ToFacts(), now), Is.True);
            Assert.That(await ledger.RecordClockAsync(clock.ToFacts(), now), Is.False, "a repeated event changes nothing");
        }

        Assert.That((await ledger.ItemTotalsAsync(terms)).Single(t => t.Item == 6).Hundredths, Is.GreaterThanOrEqualTo(300));
        Assert.That(await ledger.EvidenceAsync(terms, 10), Is.Not.Empty);
        var compliance = await new SlaDashboard(database).ComplianceAsync(new DashboardFilter(terms.Code, now.AddHours(-6), now, "OTQ", null, Severity.Severe));
        Assert.That(compliance.Faults, Is.GreaterThanOrEqualTo(1));
    }
}
