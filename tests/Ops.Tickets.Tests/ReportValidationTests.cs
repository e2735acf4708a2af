using Ops.Contracts.Tickets;
using Ops.Tickets.Intake;

namespace Ops.Tickets.Tests;

public class ReportValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    [Test]
    public void ValidReport_IsAccepted_WithItsContractAndNormalizedValues()
    {
        var (report, errors) = Reports.Validation().Validate(Reports.Valid() with { SiteCode = "shm", Channel = " WeChat " }, Now);

        Assert.That(errors.IsEmpty, Is.True);
        Assert.That(report, Is.Not.Null);
        Assert.That(report!.Contract, Is.EqualTo("OTQ-2026-OPS"));
        Assert.That(report.SiteCode, Is.EqualTo("SHM"));
        Assert.That(report.Channel, Is.EqualTo("wechat"));
        Assert.That(report.Severity, Is.EqualTo(Severity.Severe));
        Assert.That(report.ReporterPhone, Is.EqualTo("13812345678"));
        Assert.That(report.ReportedAt, Is.EqualTo(Now), "reportedAt defaults to the server's time");
    }

    private static IEnumerable<TestCaseData> BadFields()
    {
        var valid = Reports.Valid();
        yield return new TestCaseData(valid with { Channel = null }, "channel").SetName("Channel_Missing_IsRefused");
        yield return new TestCaseData(valid with { Channel = "fax" }, "channel").SetName("Channel_Unknown_IsRefused");
        yield return new TestCaseData(valid with { Kind = "incident" }, "kind").SetName("Kind_Unknown_IsRefused");
        yield return new TestCaseData(valid with { Severity = null }, "severity").SetName("Severity_Missing_IsRefused");
        yield return new TestCaseData(valid with { Severity = "critical" }, "severity").SetName("Severity_Unknown_IsRefused");
        yield return new TestCaseData(valid with { SiteCode = "" }, "siteCode").SetName("SiteCode_Missing_IsRefused");
        yield return new TestCaseData(valid with { SiteCode = "BJ" }, "siteCode").SetName("SiteCode_OfNoContract_IsRefused");
        yield return new TestCaseData(valid with { System = " " }, "system").SetName("System_Blank_IsRefused");
        yield return new TestCaseData(valid with { System = new string('系', 101) }, "system").SetName("System_TooLong_IsRefused");
        yield return new TestCaseData(valid with { Title = null }, "title").SetName("Title_Missing_IsRefused");
        yield return new TestCaseData(valid with { Title = new string('题', 201) }, "title").SetName("Title_TooLong_IsRefused");
        yield return new TestCaseData(valid with { Description = new string('述', 4001) }, "description").SetName("Description_TooLong_IsRefused");
        yield return new TestCaseData(valid with { ExternalRef = new string('r', 101) }, "externalRef").SetName("ExternalRef_TooLong_IsRefused");
        yield return new TestCaseData(valid with { Reporter = null }, "reporter").SetName("Reporter_Missing_IsRefused");
        yield return new TestCaseData(valid with { Reporter = new ReporterRequest { Name = "", Phone = "13812345678" } }, "reporter.name").SetName("ReporterName_Missing_IsRefused");
        yield return new TestCaseData(valid with { Reporter = new ReporterRequest { Name = new string('名', 51), Phone = "13812345678" } }, "reporter.name").SetName("ReporterName_TooLong_IsRefused");
        yield return new TestCaseData(valid with { Reporter = new ReporterRequest { Name = "李", Phone = null } }, "reporter.phone").SetName("ReporterPhone_Missing_IsRefused");
        yield return new TestCaseData(valid with { Reporter = new ReporterRequest { Name = "李", Phone = "12345" } }, "reporter.phone").SetName("ReporterPhone_TooShort_IsRefused");
        yield return new TestCaseData(valid with { Reporter = new ReporterRequest { Name = "李", Phone = "2381234567x" } }, "reporter.phone").SetName("ReporterPhone_NotAPhone_IsRefused");
        yield return new TestCaseData(valid with { ReportedAt = Now.AddMinutes(2).AddSeconds(1) }, "reportedAt").SetName("ReportedAt_MoreThanTwoMinutesAhead_IsRefused");
        yield return new TestCaseData(valid with { ReportedAt = Now.AddDays(-8) }, "reportedAt").SetName("ReportedAt_OlderThanSevenDays_IsRefused");
    }

    [TestCaseSource(nameof(BadFields))]
    public void BadField_IsNamed_AndNoReportIsMade(ReportTicketRequest request, string field)
    {
        var (report, errors) = Reports.Validation().Validate(request, Now);

        Assert.That(report, Is.Null);
        Assert.That(errors.ToDictionary().Keys, Is.EquivalentTo(new[] { field }));
    }

    [Test]
    public void ReportedAt_TwoMinutesAhead_IsStillAccepted()
    {
        var (report, _) = Reports.Validation().Validate(Reports.Valid(reportedAt: Now.AddMinutes(2)), Now);

        Assert.That(report?.ReportedAt, Is.EqualTo(Now.AddMinutes(2)));
    }

    [Test]
    public void ReportedAt_BeforeTheServicePeriod_IsRefused()
    {
        var beforeService = new DateTimeOffset(2026, 2, 27, 15, 59, 0, TimeSpan.Zero); // 23:59 on 27 Feb in Shanghai
        var (report, errors) = Reports.Validation().Validate(Reports.Valid(reportedAt: beforeService), beforeService.AddHours(1));

        Assert.That(report, Is.Null);
        Assert.That(errors.ToDictionary()["reportedAt"][0], Does.Contain("service period"));
    }

    [Test]
    public void ReportedAt_OnTheFirstDayOfServiceInShanghai_IsAccepted()
    {
        var firstMinute = new DateTimeOffset(2026, 2, 27, 16, 0, 0, TimeSpan.Zero); // 00:00 on 28 Feb in Shanghai
        var (report, errors) = Reports.Validation().Validate(Reports.Valid(reportedAt: firstMinute), firstMinute.AddHours(1));

        Assert.That(errors.IsEmpty, Is.True);
        Assert.That(report, Is.Not.Null);
    }

    [Test]
    public void EveryBadField_IsNamed_InOneAnswer()
    {
        var (_, errors) = Reports.Validation().Validate(new ReportTicketRequest(), Now);

        Assert.That(errors.ToDictionary().Keys, Is.SupersetOf(new[] { "channel", "severity", "siteCode", "system", "title", "reporter" }));
    }

    [Test]
    public void Fingerprint_IsTheSame_ForTheSameRequest_AndDiffers_ForAnother()
    {
        var a = ReportValidation.Fingerprint(Reports.Valid());
        var b = ReportValidation.Fingerprint(Reports.Valid());
        var c = ReportValidation.Fingerprint(Reports.Valid() with { Title = "别的故障" });

        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
    }
}
