using Ops.Hosting.Admin;
using Ops.Hosting.Configuration;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary><c>admin check-config</c> prints the effective settings with secrets masked, and fails on a bad value, without starting anything.</summary>
public class CheckConfigTests
{
    // Made at each run: a test never carries anything that looks like a real secret.
    private static readonly string RobotKey = $"robot-{Guid.NewGuid():N}";
    private static readonly string DatabasePassword = Guid.NewGuid().ToString("N");

    [Test]
    public async Task ValidSettings_ArePrinted_SecretsMasked_AndPass()
    {
        var (exitCode, output) = await RefusedStart.RunAsync("SlaTimer", new Dictionary<string, string>
        {
            ["Scanner__BatchSize"] = "250",
            ["ConnectionStrings__SqlServerAudit"] = $"Server=db;User Id=ops;Password={DatabasePassword};",
            ["Contracts__OTQ-2026-OPS__Escalation__Levels__0__Name"] = "值班工程师",
            ["Contracts__OTQ-2026-OPS__Escalation__Levels__0__Url"] = $"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={RobotKey}",
        }, "admin", CheckConfig.Verb);

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("Scanner:BatchSize = 250\n"));
        Assert.That(output, Does.Contain("Notifications:Retries = 3\n"), "defaults are shown too");
        Assert.That(output, Does.Contain($"Auth:SigningKey = {Secrets.Mask}\n"));
        Assert.That(output, Does.Contain($"RabbitMq:Password = {Secrets.Mask}\n"));
        Assert.That(output, Does.Contain($"ConnectionStrings:SqlServerAudit = Server=db;User Id=ops;Password={Secrets.Mask};\n"));
        Assert.That(output, Does.Contain($"Escalation:Levels:0:Url = https://qyapi.weixin.qq.com/{Secrets.Mask}\n"));
        Assert.That(output, Does.Not.Contain(TestSecrets.SigningKey).And.Not.Contain(DatabasePassword).And.Not.Contain(RobotKey));
        Assert.That(output, Does.EndWith(CheckConfig.Valid + "\n"));
    }

    [Test]
    public async Task ABadValue_FailsTheCheck_NamingIt()
    {
        var (exitCode, output) = await RefusedStart.RunAsync("SlaTimer", new Dictionary<string, string>
        {
            ["Scanner__BatchSize"] = "0",
            ["Contracts__OTQ-2026-OPS__Amount"] = "0",
        }, "admin", CheckConfig.Verb);

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("Scanner:BatchSize (Scanner__BatchSize) must be from 1 to 10000; it is 0.\n"));
        Assert.That(output, Does.Contain("contracts.json: OTQ-2026-OPS: amount: must be > 0\n"));
        Assert.That(output, Does.Not.Contain(CheckConfig.Valid));
    }

    [TestCase("https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c-robot", "https://open.feishu.cn/")]
    [TestCase("https://oapi.dingtalk.com/robot/send?access_token=0f1e2d3c-robot", "https://oapi.dingtalk.com/")]
    [TestCase("http://10.1.2.3:8080/hooks/0f1e2d3c-robot", "http://10.1.2.3:8080/")]
    public void ARobotsUrl_ShowsOnlyWhereItGoes(string url, string shown) =>
        Assert.That(Secrets.Shown("Contracts:OTQ-2026-OPS:Escalation:Levels:0:Url", url), Is.EqualTo(shown + Secrets.Mask));

    // Each password made at run time, with the separator inside that a naive mask would stop at.
    [TestCase("Server=db;Password=\"{0}\";User Id=ops", "Server=db;Password=" + Secrets.Mask + ";User Id=ops")]
    [TestCase("Server=db;Pwd='{0}';User Id=ops", "Server=db;Pwd=" + Secrets.Mask + ";User Id=ops")]
    [TestCase("Server=db;Password={0}", "Server=db;Password=" + Secrets.Mask)]
    public void AConnectionStringsPassword_IsMaskedWhole_EvenQuoted(string connection, string shown)
    {
        var quoted = connection.Contains("\"{0}\"", StringComparison.Ordinal) || connection.Contains("'{0}'", StringComparison.Ordinal);
        var password = quoted ? $"{Guid.NewGuid():N};{Guid.NewGuid():N}" : Guid.NewGuid().ToString("N");
        Assert.That(Secrets.Shown("ConnectionStrings:SqlServer", string.Format(System.Globalization.CultureInfo.InvariantCulture, connection, password)), Is.EqualTo(shown));
    }

    [TestCase("Auth:SigningKey", true)]
    [TestCase("Audit:ChainKey", true)]
    [TestCase("PersonalData:Key", true)]
    [TestCase("RabbitMq:Password", true)]
    [TestCase("Contracts:OTQ-2026-OPS:WeComApp:Secret", true)]
    [TestCase("Contracts:OTQ-2026-OPS:WeComApp:Token", true)]
    [TestCase("Contracts:OTQ-2026-OPS:WeComApp:EncodingAESKey", true)]
    [TestCase("Contracts:OTQ-2026-OPS:Escalation:Levels:1:Secret", true)]
    [TestCase("Scanner:BatchSize", false)]
    [TestCase("Console:DataProtectionKeys", false)]
    public void SecretNames_AreMaskedWhole(string key, bool secret) =>
        Assert.That(Secrets.Shown(key, "value-42"), Is.EqualTo(secret ? Secrets.Mask : "value-42"));
}
