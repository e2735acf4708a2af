using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
    public void System_NotOfTheContract_IsRefused_NamingTheContractsSystems()
    {
        var (report, errors) = Reports.Validation().Validate(Reports.Valid() with { System = "财务报销系统" }, Now);

        Assert.That(report, Is.Null);
        Assert.That(errors.ToDictionary().Keys, Is.EquivalentTo(new[] { "system" }));
        Assert.That(errors.ToDictionary()["system"][0], Does.Contain("综合一窗受理平台").And.Contain("信用审批").And.Contain("其他"));
    }

    [TestCase("其他")]
    [TestCase(" 好差评 ")]
    public void System_OfTheContract_OrItsCatchAll_IsAccepted_AsTheContractSpellsIt(string system)
    {
        var (report, errors) = Reports.Validation().Validate(Reports.Valid() with { System = system }, Now);

        Assert.That(errors.IsEmpty, Is.True);
        Assert.That(report?.System, Is.EqualTo(system.Trim()));
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

    [TestCase("en", "'reportedAt' is more than 12 hours old.")]
    [TestCase("zh-CN", "“reportedAt”距今已超过 12小时。")]
    public void ReportedAt_OlderThanTheMaxReportAge_IsRefused_WithTheSameAgeInEitherLanguage(string culture, string message)
    {
        var validation = new ReportValidation(Reports.SeedContracts(), new IntakeOptions { MaxReportAge = TimeSpan.FromHours(12) });
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo(culture);
            var (report, errors) = validation.Validate(Reports.Valid(reportedAt: Now.AddHours(-13)), Now);

            Assert.That(report, Is.Null);
            Assert.That(errors.ToDictionary()["reportedAt"], Is.EqualTo(new[] { message }));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
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

    [Test]
    public void Fingerprint_OfARequest_IsTheOneStoredForItBefore_SoAnIdempotencyKeyIsStillHonored()
    {
        var request = new ReportTicketRequest
        {
            Channel = "phone",
            Kind = "fault",
            Severity = "severe",
            SiteCode = "OTQ",
            System = "综合一窗受理平台",
            Title = "综窗无法出件",
            Description = "出件时报错：<提示> \"接口超时\" & 'retry' + 1",
            Reporter = new ReporterRequest { Name = "李女士", Phone = "138 1234 5678" },
            ReportedAt = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(8)),
            ExternalRef = "CALL-0001",
        };

        // Fingerprints already stored were taken over this text: every non-ASCII and HTML-sensitive character escaped.
        const string AsFingerprinted = """
            {"channel":"phone","kind":"fault","severity":"severe","grade":null,"siteCode":"OTQ","system":"\u7EFC\u5408\u4E00\u7A97\u53D7\u7406\u5E73\u53F0","title":"\u7EFC\u7A97\u65E0\u6CD5\u51FA\u4EF6","description":"\u51FA\u4EF6\u65F6\u62A5\u9519\uFF1A\u003C\u63D0\u793A\u003E \u0022\u63A5\u53E3\u8D85\u65F6\u0022 \u0026 \u0027retry\u0027 \u002B 1","reporter":{"name":"\u674E\u5973\u58EB","phone":"138 1234 5678"},"reportedAt":"2026-11-24T10:00:00+08:00","externalRef":"CALL-0001"}
            """;
        Assert.That(ReportValidation.Fingerprint(request), Is.EqualTo(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(AsFingerprinted)))));
    }
}
