using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ops.Testing;

namespace Ops.Faults.Tests.Storage;

/// <summary>
/// Starts, once for the storage faults, the broker (the run's, when ./deploy/test.sh has one) and the three services
/// as processes, each with its data directory on a tmpfs of its own (a plain folder where mounting is refused),
/// its logs beside them on the ordinary disk. A write waits at most a second for a lock, so a locked store shows at once.
/// The services use a virtual host of their own: the end-to-end and console tests run beside them on the run's broker,
/// and their services' queues have the same names.
/// </summary>
[SetUpFixture]
internal sealed class StorageFaultSystem
{
    public static Broker Broker { get; private set; } = null!;

    public static ServiceProcess Tickets { get; private set; } = null!;

    public static ServiceProcess SlaTimer { get; private set; } = null!;

    public static ServiceProcess Scoring { get; private set; } = null!;

    public static IReadOnlyDictionary<ServiceProcess, DataDisk> Disks => disks;

    private static readonly Dictionary<ServiceProcess, DataDisk> disks = [];

    private static string folder = "";

    private static readonly string VirtualHost = $"storage-faults-{Guid.NewGuid():N}";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var repository = FindRepository();
        folder = Path.Combine(Path.GetTempPath(), "ops-faults-storage", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        Broker = new Broker(repository);
        await Broker.StartOrAttachAsync();
        await Broker.AddVirtualHostAsync(VirtualHost);

        SlaTimer = new ServiceProcess("sla-timer", "SlaTimer", repository, folder, Broker);
        Scoring = new ServiceProcess("scoring", "Scoring", repository, folder, Broker);
        Tickets = new ServiceProcess("tickets", "Tickets", repository, folder, Broker);
        foreach (var service in new[] { SlaTimer, Scoring, Tickets })
        {
            var disk = await DataDisk.MountAsync(Path.Combine(folder, $"{service.Name}-data"));
            disks[service] = disk;
            service.Settings["Database__DataDirectory"] = disk.Directory;
            service.Settings["Database__CommandTimeoutSeconds"] = "1";
            service.Settings["RabbitMq__VirtualHost"] = VirtualHost;
        }

        // Side by side: nothing is reported before all three are ready, so every queue exists by then.
        Step("broker and disks ready");
        await Task.WhenAll(SlaTimer.StartAsync(), Scoring.StartAsync(), Tickets.StartAsync());
        Step("services ready");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
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

        foreach (var disk in disks.Values)
        {
            await disk.UnmountAsync();
        }

        if (Broker is not null)
        {
            await Broker.DeleteVirtualHostAsync(VirtualHost);
            if (Environment.GetEnvironmentVariable("OPS_RABBITMQ_PORT") is null)
            {
                await Broker.StopAsync(); // started here, not by ./deploy/test.sh
            }
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Notes how far a test got, and when: the run's log shows where the time went.</summary>
    public static void Step(string what) => TestContext.Progress.WriteLine($"[storage faults {Clock.Elapsed.TotalSeconds,6:0.0} s] {what}");

    public static string DatabaseFile(ServiceProcess service) => Path.Combine(disks[service].Directory, $"{service.Name}.db");

    /// <summary>Reports a fault as a manager would; returns the answer (the caller decides which answers it may be).</summary>
    public static Task<HttpResponseMessage> ReportAsync() =>
        Tickets.Http.PostAsJsonAsync("api/tickets", new
        {
            channel = "phone",
            kind = "fault",
            severity = "general",
            siteCode = "OTQ",
            system = "综合一窗受理平台",
            title = "存储故障测试",
            reporter = new { name = "测试员", phone = "13800001111" },
        });

    /// <summary>Reports <paramref name="count"/> faults at once, each of which must be accepted; returns their ids.</summary>
    public static async Task<string[]> ReportAcceptedAsync(int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            using var created = await ReportAsync();
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            return await IdOfAsync(created);
        }));

    /// <summary>The id of the ticket a 201 created.</summary>
    public static async Task<string> IdOfAsync(HttpResponseMessage created) =>
        (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    /// <summary>The service's readiness check of its database: its status and description.</summary>
    public static async Task<(string? Status, string? Description)> DatabaseReadinessAsync(ServiceProcess service)
    {
        using var client = service.Anonymous();
        using var ready = JsonDocument.Parse(await client.GetStringAsync("health/ready"));
        var database = ready.RootElement.GetProperty("checks").GetProperty("database");
        return (database.GetProperty("status").GetString(), database.GetProperty("description").GetString());
    }

    /// <summary>Reads a service's SQLite file as it is now, without writing to it (also while it is locked or its disk full).</summary>
    public static async Task<long> CountAsync(ServiceProcess service, string sql, object? parameters = null)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile(service), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameters is string json)
        {
            command.Parameters.AddWithValue("@Ids", json);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>How many messages the services have parked in their error queues, as their readiness reports it.</summary>
    public static async Task<long> ErrorQueueMessagesAsync()
    {
        long parked = 0;
        foreach (var service in new[] { Tickets, SlaTimer, Scoring })
        {
            using var client = service.Anonymous();
            using var ready = JsonDocument.Parse(await client.GetStringAsync("health/ready"));
            parked += ready.RootElement.GetProperty("checks").GetProperty("errorQueue").GetProperty("data").GetProperty("messages").GetInt64();
        }

        return parked;
    }

    /// <summary>
    /// After the fault: the tickets store holds exactly the reports that got a 201 (<paramref name="accepted"/>, on top of
    /// <paramref name="ticketsBefore"/>), its outbox is drained, every accepted report reached scoring as its two clocks,
    /// each once, no message was parked in an error queue, and readiness no longer reports the fault.
    /// </summary>
    public static async Task AssertEverythingWentOnAsync(long ticketsBefore, IReadOnlyCollection<string> accepted, long errorsBefore)
    {
        var ids = JsonSerializer.Serialize(accepted);
        Assert.That(await CountAsync(Tickets, "SELECT COUNT(*) FROM tickets"), Is.EqualTo(ticketsBefore + accepted.Count), "a ticket for every 201 and for nothing else");
        Assert.That(await CountAsync(Tickets, "SELECT COUNT(*) FROM tickets WHERE id IN (SELECT value FROM json_each(@Ids))", ids), Is.EqualTo(accepted.Count));
        await Eventually.HoldsAsync(async () => await CountAsync(Tickets, "SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL") == 0, TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(
            async () => await CountAsync(Scoring, "SELECT COUNT(*) FROM clock_facts WHERE ticket_id IN (SELECT value FROM json_each(@Ids))", ids) == 2 * accepted.Count,
            TimeSpan.FromSeconds(30));
        Assert.That(
            await CountAsync(Scoring, "SELECT COUNT(DISTINCT ticket_id || clock) FROM clock_facts WHERE ticket_id IN (SELECT value FROM json_each(@Ids))", ids),
            Is.EqualTo(2 * accepted.Count),
            "a response and a repair clock for each, none twice");
        Assert.That(await ErrorQueueMessagesAsync(), Is.EqualTo(errorsBefore), "no message was parked in an error queue");
        foreach (var service in new[] { Tickets, SlaTimer, Scoring })
        {
            await Eventually.HoldsAsync(async () => (await DatabaseReadinessAsync(service)).Status == "Healthy", TimeSpan.FromSeconds(15));
        }
    }

    private static string FindRepository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ops.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the fault tests from inside the repository.");
    }
}
