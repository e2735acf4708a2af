using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>
/// Starts, once for all console tests, the private broker, the three services and the console as
/// processes, the local users <c>operator</c>, <c>engineer</c>, <c>manager</c>, <c>auditor</c> and <c>admin</c>, and Debian's chromium (<see cref="ChromiumExecutable"/>).
/// Every process reads the shipped contracts and a second one (<see cref="SecondContract"/>): the hotline desk and the
/// engineer work the first contract only, the others see both.
/// </summary>
[SetUpFixture]
public sealed class ConsoleUnderTest
{
    public static string Repository { get; } = FindRepository();

    public static ServiceProcess Tickets { get; private set; } = null!;

    public static ServiceProcess SlaTimer { get; private set; } = null!;

    public static ServiceProcess Scoring { get; private set; } = null!;

    public static ServiceProcess Console { get; private set; } = null!;

    public static IBrowser Browser { get; private set; } = null!;

    /// <summary>
    /// The contract's escalation chain at the breach: the on-call engineer's WeCom robot (this receiver, its URL with a
    /// key) and the bureau's webhook, which nothing answers (<see cref="Unreachable"/>), so every breach has a sent and a failed notice.
    /// </summary>
    public static WebhookReceiver Escalation { get; private set; } = null!;

    /// <summary>The key in the robot's URL: a secret no page may show.</summary>
    public const string RobotKey = "console-robot-key-5f3a";

    /// <summary>The shipped contract, the first of the two by code: what a page shows when its address names none.</summary>
    public const string FirstContract = "OTQ-2026-OPS";

    /// <summary>A second contract beside the shipped one, with its own sites (WSQ, GLT), systems, items, amount and service year.</summary>
    public const string SecondContract = "WSQ-2026-OPS";

    /// <summary>The contracts file every process of the run reads: the shipped one with <see cref="SecondContract"/> added.</summary>
    public static string ContractsFile => Path.Combine(dataDirectory, "contracts.json");

    /// <summary>Where the services keep their SQLite files.</summary>
    public static string DataDirectory => dataDirectory;

    /// <summary>Each role's local user and the password made for it in this run.</summary>
    public static IReadOnlyDictionary<string, string> Passwords => passwords;

    public static string Screenshots => Path.Combine(Repository, ".local", "screenshots");

    private static readonly Dictionary<string, string> passwords = [];
    private static Broker broker = null!;
    private static IPlaywright playwright = null!;
    private static string dataDirectory = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        dataDirectory = TestFolder.Create();
        Directory.CreateDirectory(Screenshots);
        broker = new Broker(Repository);
        await broker.StartOrAttachAsync();
        WriteContracts();

        Escalation = await WebhookReceiver.StartAsync();
        SlaTimer = NewService("sla-timer", "SlaTimer");
        var levels = "Contracts__OTQ-2026-OPS__Escalation__Levels";
        SlaTimer.Settings[$"{levels}__0__Name"] = "值班工程师";
        SlaTimer.Settings[$"{levels}__0__Channel"] = "WeCom";
        SlaTimer.Settings[$"{levels}__0__Url"] = $"{Escalation.BaseAddress}/wecom?key={RobotKey}";
        SlaTimer.Settings[$"{levels}__1__Name"] = "甲方联系人";
        SlaTimer.Settings[$"{levels}__1__Channel"] = "Webhook";
        SlaTimer.Settings[$"{levels}__1__Url"] = $"{Unreachable}hook?token={RobotKey}";
        // The second contract's chain names the rota's primary engineer first; its rota is empty until a test saves one,
        // so its breaches skip that level and tell the 二线工程师 in its place.
        var second = $"Contracts__{SecondContract}__Escalation__Levels";
        SlaTimer.Settings[$"{second}__0__Name"] = "值班工程师";
        SlaTimer.Settings[$"{second}__0__Channel"] = "WeCom";
        SlaTimer.Settings[$"{second}__0__Url"] = $"{Escalation.BaseAddress}/wecom-wsq?key={RobotKey}";
        SlaTimer.Settings[$"{second}__0__Target"] = "oncall:primary";
        SlaTimer.Settings[$"{second}__1__Name"] = "二线工程师";
        SlaTimer.Settings[$"{second}__1__Channel"] = "Webhook";
        SlaTimer.Settings[$"{second}__1__Url"] = $"{Escalation.BaseAddress}/wsq-hook";
        SlaTimer.Settings["Notifications__Retries"] = "1";
        SlaTimer.Settings["Notifications__RetryDelay"] = "00:00:00.050";
        SlaTimer.Settings["Notifications__Timeout"] = "00:00:10";
        Scoring = NewService("scoring", "Scoring");
        Tickets = NewService("tickets", "Tickets");
        // The three at once: each is ready with its queue bound before anything is published (the users below are the first).
        await Task.WhenAll(SlaTimer.StartAsync(), Scoring.StartAsync(), Tickets.StartAsync());

        // The browser starts while the console does.
        var browser = LaunchBrowserAsync();
        var console = StartConsoleAsync("console", Tickets.BaseAddress, SlaTimer.BaseAddress, Scoring.BaseAddress, "tickets", "sla-timer", "scoring");
        try
        {
            using var admin = Tickets.Anonymous().As("admin", "console tests admin");
            foreach (var role in new[] { "operator", "engineer", "manager", "auditor", "admin" })
            {
                passwords[role] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
                string[]? contracts = role is "operator" or "engineer" ? [FirstContract] : null;
                var created = await admin.PostAsJsonAsync("api/admin/users", new { username = role, displayName = DisplayNames[role], role, password = passwords[role], contracts });
                Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            // Kept for the tear-down to end, also when a user was refused.
            Console = await console;
            Browser = await browser;
        }
    }

    private static async Task<IBrowser> LaunchBrowserAsync()
    {
        playwright = await Playwright.CreateAsync();
        // Debian's chromium: Playwright's own browser download cannot reach its servers here. Root needs --no-sandbox.
        return await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumExecutable, Args = ["--no-sandbox"] });
    }

    /// <summary>
    /// The browser the tests drive: <c>OPS_TEST_CHROMIUM</c> when set; otherwise Debian's chromium-headless-shell, the build
    /// without a browser's user interface that Playwright itself runs headless pages in (the same Blink and V8, so the same
    /// pages, at about half of chromium's CPU for the run); otherwise Debian's full chromium, run headless.
    /// </summary>
    public static string ChromiumExecutable { get; } = Environment.GetEnvironmentVariable("OPS_TEST_CHROMIUM") is { Length: > 0 } chosen ? chosen
        : File.Exists(HeadlessShell) ? HeadlessShell
        : "/usr/bin/chromium";

    /// <summary>Where Debian's chromium-headless-shell package puts the binary (its /usr/bin script only starts this one).</summary>
    private const string HeadlessShell = "/usr/lib/chromium/chromium-headless-shell";

    /// <summary>Nothing listens there: an API the console cannot reach.</summary>
    public static Uri Unreachable { get; } = new("http://127.0.0.1:9/");

    /// <summary>A console over the given APIs (<see cref="Unreachable"/> for one that is down), ready when the named checks are healthy.</summary>
    public static async Task<ServiceProcess> StartConsoleAsync(string name, Uri tickets, Uri slaTimer, Uri scoring, params string[] readyChecks)
    {
        var console = NewService(name, "Console");
        console.Settings["Console__Tickets"] = tickets.ToString();
        console.Settings["Console__SlaTimer"] = slaTimer.ToString();
        console.Settings["Console__Scoring"] = scoring.ToString();
        await console.StartAsync(readyChecks);
        return console;
    }

    /// <summary>A console over the three running services, not started yet: a test gives it settings of its own, then starts it.</summary>
    public static ServiceProcess NewConsole(string name)
    {
        var console = NewService(name, "Console");
        console.Settings["Console__Tickets"] = Tickets.BaseAddress.ToString();
        console.Settings["Console__SlaTimer"] = SlaTimer.BaseAddress.ToString();
        console.Settings["Console__Scoring"] = Scoring.BaseAddress.ToString();
        return console;
    }

    private static ServiceProcess NewService(string name, string folder) =>
        new(name, folder, Repository, dataDirectory, broker) { Settings = { ["OPS_CONTRACTS_FILE"] = ContractsFile } };

    /// <summary>The shipped contracts.json with <see cref="SecondContract"/> beside its contract.</summary>
    private static void WriteContracts()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository, "services", "contracts.json")))!;
        var second = JsonNode.Parse("""
            {
              "Title": "乌审旗政务服务平台运维服务",
              "Bureau": "乌审旗政务服务与数据管理局",
              "Contractor": "上海卓繁信息技术股份有限公司",
              "Amount": 300000.00,
              "ServiceStart": "2026-07-01",
              "ServiceEnd": "2027-06-30",
              "Sites": { "WSQ": "乌审旗政务服务中心", "GLT": "嘎鲁图镇便民服务中心" },
              "Systems": [ "一网通办平台", "政务服务网", "其他" ],
              "Assessment": {
                "Items": [
                  { "Number": 1, "Name": "故障处理", "MaxPoints": 40 },
                  { "Number": 2, "Name": "服务响应", "MaxPoints": 30 },
                  { "Number": 3, "Name": "满意度", "MaxPoints": 30 }
                ],
                "FreeDeduction": 20,
                "FeePercentPerPoint": 1,
                "RectificationAbove": 40,
                "DeductionRules": [
                  { "Clock": "Response", "Item": 1, "Points": 2 },
                  { "Clock": "Repair", "Item": 1, "Points": 3 }
                ]
              }
            }
            """)!;
        second["Sla"] = json["Contracts"]![FirstContract]!["Sla"]!.DeepClone();
        json["Contracts"]![SecondContract] = second;
        File.WriteAllText(ContractsFile, json.ToJsonString());
    }

    public static readonly IReadOnlyDictionary<string, string> DisplayNames = new Dictionary<string, string>
    {
        ["operator"] = "刘接线",
        ["engineer"] = "李工",
        ["manager"] = "王经理",
        ["auditor"] = "赵审计",
        ["admin"] = "管理员甲",
    };

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (Console is not null)
        {
            await Console.DisposeAsync();
        }

        if (Tickets is not null)
        {
            await Tickets.DisposeAsync();
        }

        if (SlaTimer is not null)
        {
            await SlaTimer.DisposeAsync();
        }

        if (Scoring is not null)
        {
            await Scoring.DisposeAsync();
        }

        if (Escalation is not null)
        {
            await Escalation.DisposeAsync();
        }

        if (Environment.GetEnvironmentVariable("OPS_RABBITMQ_PORT") is null && broker is not null)
        {
            await broker.StopAsync(); // started here, not by ./deploy/test.sh
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindRepository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ops.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the console tests from inside the repository.");
    }
}
