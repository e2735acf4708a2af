using Ops.Hosting;
using Ops.Hosting.Http;
using Ops.Testing;
using Ops.Tickets.Access;

namespace Ops.Tickets.Tests;

/// <summary>The one rule for the text of every request: no control characters, no invisible formatting characters.</summary>
public class PlainTextTests
{
    [TestCase("综窗无法出件 (OTQ) – 3rd floor")]
    [TestCase("李女士")]
    [TestCase("emoji 👍🏽")]
    public void PrintableText_IsTakenAsOneLine(string text) =>
        Assert.That(PlainText.FirstRefused(text, TextKind.Line), Is.Null);

    [TestCase("a\u0000b", 0x0000)]
    [TestCase("red \u001b[31m alert", 0x001B)]
    [TestCase("a\rb", 0x000D)]
    [TestCase("a\nb", 0x000A)]
    [TestCase("a\tb", 0x0009)]
    [TestCase("a\u0085b", 0x0085)]
    [TestCase("invoice\u202Efdp.exe", 0x202E)]
    [TestCase("\u2067isolated\u2069", 0x2067)]
    [TestCase("a\u200Eb", 0x200E)]
    [TestCase("a\u061Cb", 0x061C)]
    [TestCase("local\u200Bmanager", 0x200B)]
    [TestCase("local\u200Dmanager", 0x200D)]
    [TestCase("\uFEFFname", 0xFEFF)]
    [TestCase("a\u2028b", 0x2028)]
    public void OneLine_RefusesControlAndInvisibleCharacters_NamingTheFirst(string text, int found) =>
        Assert.That(PlainText.FirstRefused(text, TextKind.Line), Is.EqualTo(found));

    [Test]
    public void ALoneSurrogate_IsRefused()
    {
        Assert.That(PlainText.FirstRefused("a" + (char)0xD800 + "b", TextKind.Lines), Is.EqualTo(0xD800));
        Assert.That(PlainText.FirstRefused("a" + (char)0xDC00, TextKind.Line), Is.EqualTo(0xDC00));
    }

    [TestCase("第一行\n第二行\r\n\t第三行")]
    [TestCase("family 👨\u200D👩\u200D👧 and the flag of Scotland 🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F")]
    public void FreeText_KeepsLineBreaksTabsAndTheJoinersOfEmoji(string text) =>
        Assert.That(PlainText.FirstRefused(text, TextKind.Lines), Is.Null);

    [TestCase("line\rover", 0x000D)]
    [TestCase("bell\u0007", 0x0007)]
    [TestCase("a\u202Eb", 0x202E)]
    [TestCase("a\u200Bb", 0x200B)]
    [TestCase("a\u2029b", 0x2029)]
    public void FreeText_RefusesEveryOtherControlOrInvisibleCharacter(string text, int found) =>
        Assert.That(PlainText.FirstRefused(text, TextKind.Lines), Is.EqualTo(found));

    [Test]
    public void ASecret_IsNeverRead() =>
        Assert.That(PlainText.Problem("password", "pass\u0000word\u202E", TextKind.Secret), Is.Null);

    [Test]
    public void TheProblem_NamesTheFieldAndTheCharacter() =>
        Assert.That(new ValidationErrors().RequireText("title", "综窗\u202E无法出件", 200).ToDictionary()["title"].Single(), Does.Contain("'title'").And.Contain("U+202E"));

    [Test]
    public async Task TheCommandLine_RefusesAUserOrKeyNameWithControlCharacters_AndABadUsername()
    {
        await using var service = new ServiceFactory<Program>();
        using var _ = service.CreateClient();
        Environment.SetEnvironmentVariable("OPS_TEST_NEW_PASSWORD", "a long enough password");
        Task<int> Create(string username, string name) => UserCommands.CreateUser(service.Services,
            new Dictionary<string, string> { ["username"] = username, ["display-name"] = name, ["role"] = "engineer", ["password-env"] = "OPS_TEST_NEW_PASSWORD" }, TextWriter.Null);

        await Assert.ThatAsync(() => Create("zhang.san", "local\u001b[2Kmanager"), Throws.ArgumentException.With.Message.Contains("--display-name"));
        await Assert.ThatAsync(() => Create("zhang\u0000san", "张三"), Throws.ArgumentException.With.Message.Contains("--username"));
        await Assert.ThatAsync(() => Create("zhang.san\n", "张三"), Throws.ArgumentException.With.Message.Contains("--username"));
        Assert.That(() => new Dictionary<string, string> { ["name"] = "hotline\u202Egateway" }.RequiredName("name", 100), Throws.ArgumentException.With.Message.Contains("--name"));
        Assert.That(await Create("zhang.san", "张三"), Is.Zero, "a good name is taken");
    }
}
