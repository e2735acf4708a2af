using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Net.Http.Json;
using MassTransit;
using Ops.Testing;
using Ops.Contracts.Sla;
using Ops.SlaTimer.WeCom;

namespace Ops.EndToEnd.Tests;

/// <summary>
/// Starts, once for all end-to-end tests, the broker, the three services as processes (side by side: nothing is
/// reported before all three are ready, so every queue exists by then) and an observer on the bus that
/// records every <see cref="SlaBreached"/> with the time it arrived. The services run on SQLite files, or
/// with <c>OPS_TEST_DATABASE=postgres</c> each on a PostgreSQL database of its own.
/// </summary>
[SetUpFixture]
public sealed class SystemUnderTest
{
    public static string Repository { get; } = FindRepository();

    public static Broker Broker { get; private set; } = null!;

    public static ServiceProcess Tickets { get; private set; } = null!;

    public static ServiceProcess SlaTimer { get; private set; } = null!;

    public static ServiceProcess Scoring { get; private set; } = null!;

    /// <summary>A bus client in the test process: publishes as a service would, and observes the SLA events.</summary>
    public static IBusControl Bus { get; private set; } = null!;

    public static ConcurrentQueue<(SlaBreached Breach, DateTimeOffset ArrivedAt)> Breaches { get; } = new();

    /// <summary>The hotline gateway: signs in with an intake API key an administrator issued through the API.</summary>
    public static HttpClient Hotline { get; private set; } = null!;

    /// <summary>The key pair of the run's yearly archives: scoring signs with the private half.</summary>
    public static (string PrivateKey, string PublicKeyPem) ArchiveKeys { get; } = Ops.Hosting.Archive.ArchiveSignature.NewKeyPair();

    /// <summary>The escalation chain's robots and webhook: the sla-timer tells them of warnings and breaches.</summary>
    public static WebhookReceiver Escalation { get; private set; } = null!;

    public static string DataDirectory => dataDirectory;

    /// <summary>The OpenTelemetry collector the three services export their traces, metrics and logs to.</summary>
    public static OtlpReceiver Collector { get; private set; } = null!;

    /// <summary>The console's address the notices link to.</summary>
    public const string ConsoleUrl = "https://console.e2e.example";

    // Before the crypto made of them: static fields start in the order they are written.
    private static readonly string WeComToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static readonly string WeComKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=');

    /// <summary>The contract's WeCom app, its secrets made for this run: the callback's presses are encrypted and signed with it.</summary>
    public static WeComCrypto WeCom { get; } = new(WeComToken, WeComKey, WeComCorpId);

    public const string WeComCorpId = "wwe2e0123456789ab";

    public const int WeComAgentId = 1000002;

    /// <summary>
    /// The rota a manager saves through the sla-timer's API: 张三 the primary all day, every day (one engineer, so every
    /// hand-over is his own); 李四 and 王五 (who has a WeCom UserID) take over only by an override.
    /// </summary>
    public static object Rota => new
    {
        engineers = new object[]
        {
            new { id = "zhangsan", name = "张三", mobile = "13800000002" },
            new { id = "lisi", name = "李四", mobile = "13800000003" },
            new { id = "wangwu", name = "王五", mobile = "13800000004", weComUserId = "WangWu", username = "wangwu" },
        },
        rotations = new object[]
        {
            // The hand-over half a day away: no hand-over notice falls within a run.
            new { name = "一线值班", layer = "primary", turn = "daily", handover = DateTimeOffset.UtcNow.AddHours(20).ToString("HH:mm", CultureInfo.InvariantCulture), start = DateTimeOffset.UtcNow.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), engineers = new[] { "zhangsan" } },
        },
    };

    private static string dataDirectory = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        dataDirectory = Path.Combine(Path.GetTempPath(), "ops-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        Broker = new Broker(Repository);
        await Broker.StartOrAttachAsync();

        Bus = Broker.Observer("e2e-observer", e => e.Handler<SlaBreached>(context =>
        {
            Breaches.Enqueue((context.Message, DateTimeOffset.UtcNow));
            return Task.CompletedTask;
        }));
        await Bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        Escalation = await WebhookReceiver.StartAsync();
        Collector = await OtlpReceiver.StartAsync();
        SlaTimer = new ServiceProcess("sla-timer", "SlaTimer", Repository, dataDirectory, Broker);
        var levels = "Contracts__OTQ-2026-OPS__Escalation__Levels";
        SlaTimer.Settings[$"{levels}__0__Name"] = "值班工程师";
        SlaTimer.Settings[$"{levels}__0__Channel"] = "WeCom";
        SlaTimer.Settings[$"{levels}__0__Url"] = $"{Escalation.BaseAddress}/wecom?key=e2e";
        SlaTimer.Settings[$"{levels}__0__From"] = "50";
        SlaTimer.Settings[$"{levels}__1__Name"] = "甲方联系人";
        SlaTimer.Settings[$"{levels}__1__Channel"] = "Webhook";
        SlaTimer.Settings[$"{levels}__1__Url"] = $"{Escalation.BaseAddress}/hook";
        SlaTimer.Settings[$"{levels}__2__Name"] = "值班表主班";
        SlaTimer.Settings[$"{levels}__2__Channel"] = "WeCom";
        SlaTimer.Settings[$"{levels}__2__Url"] = $"{Escalation.BaseAddress}/oncall?key=e2e";
        SlaTimer.Settings[$"{levels}__2__Target"] = "oncall:primary";
        SlaTimer.Settings[$"{levels}__2__From"] = "50";
        SlaTimer.Settings["Console__PublicUrl"] = ConsoleUrl;
        var weCom = "Contracts__OTQ-2026-OPS__WeComApp";
        SlaTimer.Settings[$"{weCom}__CorpId"] = WeComCorpId;
        SlaTimer.Settings[$"{weCom}__AgentId"] = WeComAgentId.ToString(CultureInfo.InvariantCulture);
        SlaTimer.Settings[$"{weCom}__Secret"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        SlaTimer.Settings[$"{weCom}__Token"] = WeComToken;
        SlaTimer.Settings[$"{weCom}__EncodingAESKey"] = WeComKey;
        SlaTimer.Settings["WeCom__ApiBaseUrl"] = Escalation.BaseAddress; // the receiver stands in for WeCom's API too
        Escalation.Answer = path => path == "/cgi-bin/gettoken"
            ? Microsoft.AspNetCore.Http.Results.Json(new { errcode = 0, errmsg = "ok", access_token = "e2e-token", expires_in = 7200 })
            : Microsoft.AspNetCore.Http.Results.Json(new { errcode = 0, errmsg = "ok" });
        Scoring = new ServiceProcess("scoring", "Scoring", Repository, dataDirectory, Broker);
        Tickets = new ServiceProcess("tickets", "Tickets", Repository, dataDirectory, Broker);
        Scoring.Settings["Archive__SigningKey"] = ArchiveKeys.PrivateKey;
        Scoring.Settings["Archive__TicketsUrl"] = Tickets.BaseAddress.ToString();
        Scoring.Settings["Archive__SlaTimerUrl"] = SlaTimer.BaseAddress.ToString();
        foreach (var service in new[] { SlaTimer, Scoring, Tickets })
        {
            if (TestStores.OfRun == TestStore.Postgres)
            {
                await service.UsePostgresAsync();
            }

            foreach (var (setting, value) in Collector.Settings)
            {
                service.Settings[setting] = value;
            }
        }

        for (var i = 0; i < Pipeline.Systems.Count; i++)
        {
            Tickets.Settings[$"Contracts__OTQ-2026-OPS__Systems__{100 + i}"] = Pipeline.Systems[i]; // after the seed's own
        }

        await Task.WhenAll(SlaTimer.StartAsync(), Scoring.StartAsync(), Tickets.StartAsync());
        var rota = await SlaTimer.Http.PutAsJsonAsync("api/oncall/OTQ-2026-OPS/rotations", Rota);
        Assert.That(rota.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), await rota.Content.ReadAsStringAsync());

        using var admin = Tickets.Anonymous().As(Ops.Hosting.Security.Roles.Admin, "e2e admin");
        var issued = await admin.PostAsJsonAsync("api/admin/keys", new { name = "hotline gateway", role = "intake" });
        Assert.That(issued.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Created), await issued.Content.ReadAsStringAsync());
        var key = (await issued.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
        Hotline = Tickets.Anonymous().WithApiKey(key);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Hotline?.Dispose();
        if (Tickets is not null)
        {
            await Tickets.DisposeAsync();
        }

        if (SlaTimer is not null)
        {
            await SlaTimer.DisposeAsync();
        }

        if (Escalation is not null)
        {
            await Escalation.DisposeAsync();
        }

        if (Scoring is not null)
        {
            await Scoring.DisposeAsync();
        }

        if (Collector is not null)
        {
            await Collector.DisposeAsync();
        }

        if (Bus is not null)
        {
            await Bus.StopAsync();
        }

        if (Environment.GetEnvironmentVariable("OPS_RABBITMQ_PORT") is null && Broker is not null)
        {
            await Broker.StopAsync(); // started here, not by ./deploy/test.sh
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

        return directory?.FullName ?? throw new InvalidOperationException("Run the end-to-end tests from inside the repository.");
    }
}
