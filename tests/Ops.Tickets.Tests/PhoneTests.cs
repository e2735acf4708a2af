using Ops.Tickets.Intake;

namespace Ops.Tickets.Tests;

public class PhoneTests
{
    [TestCase("13812345678", "13812345678")]
    [TestCase("138 1234 5678", "13812345678")]
    [TestCase("138-1234-5678", "13812345678")]
    [TestCase("+86 138 1234 5678", "13812345678")]
    [TestCase("0086 138-1234-5678", "13812345678")]
    [TestCase("0477-7654321", "0477-7654321")]
    [TestCase(" 0477 - 765 4321 ", "0477-7654321")]
    [TestCase("(0477)7654321", "0477-7654321")]
    [TestCase("010 12345678", "010-12345678")]
    [TestCase("04777654321", "04777654321")]
    public void Normalize_KeepsAMobilesDigits_AndALandlinesAreaCodeApartAsWritten(string input, string expected) =>
        Assert.That(Phone.Normalize(input), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("12812345678")]
    [TestCase("1381234567")]
    [TestCase("138123456789")]
    [TestCase("phone")]
    [TestCase("477-7654321")]
    [TestCase("047-77654321")]
    [TestCase("0477-765432")]
    [TestCase("0477-765432100")]
    [TestCase("0477--")]
    public void Normalize_RefusesWhatIsNotAChinesePhone(string input) =>
        Assert.That(Phone.Normalize(input), Is.Null);

    [Test]
    public void Mask_ShowsTheFirstThreeAndLastFourDigits() =>
        Assert.That(Phone.Mask("13812341234"), Is.EqualTo("138****1234"));

    [TestCase("0477-7654321", "0477-***4321")]
    [TestCase("010-12345678", "010-****5678")]
    [TestCase("04777654321", "0477***4321")]
    [TestCase("01012345678", "010****5678")]
    public void Mask_OfALandline_ShowsTheAreaCodeAndTheLastFourDigits(string phone, string masked) =>
        Assert.That(Phone.Mask(phone), Is.EqualTo(masked));
}
