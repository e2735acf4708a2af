using Ops.Tickets.Intake;

namespace Ops.Tickets.Tests;

public class PhoneTests
{
    [TestCase("13812345678", "13812345678")]
    [TestCase("138 1234 5678", "13812345678")]
    [TestCase("138-1234-5678", "13812345678")]
    [TestCase("+86 138 1234 5678", "13812345678")]
    [TestCase("0477-7654321", "04777654321")]
    [TestCase("010 12345678", "01012345678")]
    public void Normalize_KeepsTheDigitsOfAChinesePhone(string input, string expected) =>
        Assert.That(Phone.Normalize(input), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("12812345678")]
    [TestCase("1381234567")]
    [TestCase("138123456789")]
    [TestCase("phone")]
    [TestCase("477-7654321")]
    public void Normalize_RefusesWhatIsNotAChinesePhone(string input) =>
        Assert.That(Phone.Normalize(input), Is.Null);

    [Test]
    public void Mask_ShowsTheFirstThreeAndLastFourDigits() =>
        Assert.That(Phone.Mask("13812341234"), Is.EqualTo("138****1234"));

    [Test]
    public void Mask_OfALandline_HidesTheMiddleToo() =>
        Assert.That(Phone.Mask("04777654321"), Is.EqualTo("047****4321"));
}
