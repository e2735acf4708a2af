using Ops.Contracts.Tickets;
using Ops.Hosting.Security;
using Ops.Tickets.Lifecycle;

namespace Ops.Tickets.Tests;

public class TicketLifecycleTests
{
    private static readonly DateTimeOffset Reported = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    private static readonly Actor Wang = new("user:wang", "王工");

    private static readonly Actor Liu = new("user:liu", "刘工");

    private static Ticket Open() => new()
    {
        Id = Guid.NewGuid(),
        Number = "F20261124-0001",
        Version = 1,
        Contract = "OTQ-2026-OPS",
        Kind = TicketKind.Fault,
        Severity = Severity.Severe,
        Status = TicketStatus.Open,
        Channel = "phone",
        SiteCode = "OTQ",
        System = "政务服务网",
        Title = "网站打不开",
        ReporterName = "李女士",
        ReporterPhone = "13812345678",
        ReportedAt = Reported,
        CreatedAt = Reported,
        UpdatedAt = Reported,
    };

    [Test]
    public void Acknowledge_OpenTicket_RecordsEngineerAndServerTime_AndRaisesTheVersion()
    {
        var at = Reported.AddMinutes(12);
        var transition = TicketLifecycle.Acknowledge(Open(), Wang, at);

        Assert.That(transition.Conflict, Is.Null);
        Assert.That(transition.Ticket!.Status, Is.EqualTo(TicketStatus.Acknowledged));
        Assert.That(transition.Ticket.AcknowledgedAt, Is.EqualTo(at));
        Assert.That(transition.Ticket.AcknowledgedBy, Is.EqualTo("王工"));
        Assert.That(transition.Ticket.Version, Is.EqualTo(2));
        Assert.That(transition.Entry!.Action, Is.EqualTo("acknowledged"));
        Assert.That(transition.Entry.Version, Is.EqualTo(2));
    }

    [Test]
    public void Acknowledge_Twice_IsAConflict()
    {
        var acknowledged = TicketLifecycle.Acknowledge(Open(), Wang, Reported.AddMinutes(5)).Ticket!;

        var again = TicketLifecycle.Acknowledge(acknowledged, Liu, Reported.AddMinutes(6));

        Assert.That(again.Ticket, Is.Null);
        Assert.That(again.Conflict, Does.Contain("already acknowledged"));
    }

    [Test]
    public void Resolve_UnacknowledgedTicket_AlsoCountsAsItsResponse()
    {
        var at = Reported.AddMinutes(20);
        var resolved = TicketLifecycle.Resolve(Open(), Wang, "重启服务", at).Ticket!;

        Assert.That(resolved.Status, Is.EqualTo(TicketStatus.Resolved));
        Assert.That(resolved.ResolvedAt, Is.EqualTo(at));
        Assert.That(resolved.AcknowledgedAt, Is.EqualTo(at));
        Assert.That(resolved.ToFacts().AcknowledgedAt, Is.EqualTo(at));
    }

    [Test]
    public void Resolve_AcknowledgedTicket_KeepsTheEarlierAcknowledgement()
    {
        var acknowledged = TicketLifecycle.Acknowledge(Open(), Wang, Reported.AddMinutes(5)).Ticket!;

        var resolved = TicketLifecycle.Resolve(acknowledged, Liu, "更换网卡", Reported.AddHours(2)).Ticket!;

        Assert.That(resolved.AcknowledgedAt, Is.EqualTo(Reported.AddMinutes(5)));
        Assert.That(resolved.AcknowledgedBy, Is.EqualTo("王工"));
        Assert.That(resolved.Version, Is.EqualTo(3));
    }

    [Test]
    public void ResolvedTicket_CanNeitherBeAcknowledgedNorResolvedAgain()
    {
        var resolved = TicketLifecycle.Resolve(Open(), Wang, "重启服务", Reported.AddMinutes(20)).Ticket!;

        Assert.That(TicketLifecycle.Acknowledge(resolved, Wang, Reported.AddMinutes(21)).Conflict, Does.Contain("resolved"));
        Assert.That(TicketLifecycle.Resolve(resolved, Wang, "again", Reported.AddMinutes(21)).Conflict, Does.Contain("resolved"));
    }
}
