using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Ops.Hosting;
using Ops.Hosting.Security;

namespace Ops.Testing;

/// <summary>
/// One service in memory for the tests of that service alone: its own SQLite file (or, with
/// <see cref="TestStore.Postgres"/>, its own database in the test run's PostgreSQL cluster), MassTransit's
/// in-memory test harness instead of RabbitMQ, and a fake clock the test moves. Its clients sign in
/// as a manager unless a test says otherwise (<see cref="ClientAs"/>, <see cref="TestSecrets"/>).
/// </summary>
public sealed class ServiceFactory<TProgram>(TestStore store = TestStore.Sqlite) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    /// <summary>Reads the harness's lists as they stand: with a cancelled token they end at the last element instead of waiting for more.</summary>
    private static readonly CancellationToken AsItStands = new(canceled: true);

    private (string Name, string ConnectionString)? postgresDatabase;

    /// <summary>The store the service runs on.</summary>
    public TestStore Store { get; } = store;

    /// <summary>The service's data folder: its SQLite file when it runs on SQLite, its keys and files on either store.</summary>
    public string DataDirectory { get; } = TestFolder.Create();

    /// <summary>The service's clock; starts on a Tuesday inside the seed contract's service year.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

    public ITestHarness Harness => Services.GetTestHarness();

    /// <summary>
    /// Every <typeparamref name="T"/> the service has published, once its outbox has published all it held when asked.
    /// The dispatcher marks an event sent only after the bus's publish returned, and the harness records a publish
    /// before it returns, so the list is whole without waiting for the bus to fall idle (the harness's lists,
    /// read to their end, wait for that).
    /// </summary>
    public async Task<IReadOnlyList<T>> PublishedAsync<T>()
        where T : class
    {
        var database = Services.GetRequiredService<Ops.Hosting.Storage.Database>();
        // Long enough for a busy machine: the wait ends as soon as the outbox is empty.
        await Eventually.HoldsAsync(async () => await database.UnsentCountAsync() == 0, TimeSpan.FromSeconds(30));
        return [.. Harness.Published.Select<T>(AsItStands).Select(m => m.Context.Message)];
    }

    /// <summary>What the service's consumers have finished consuming of <typeparamref name="T"/> so far (with the exception of each that failed); does not wait for more.</summary>
    public IReadOnlyList<IReceivedMessage<T>> Consumed<T>()
        where T : class => [.. Harness.Consumed.Select<T>(AsItStands)];

    /// <summary>Every line the service logs.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>Services a test puts in before the service starts (e.g. a fake of a seam another part implements).</summary>
    public List<Action<IServiceCollection>> TestServices { get; } = [];

    /// <summary>Configuration a test adds before the service starts (e.g. a lower rate limit).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        if (Store == TestStore.Postgres)
        {
            // The host is built synchronously; the database is made once, when the service first starts.
            postgresDatabase ??= TempDatabase.MigratedPostgresAsync(typeof(Ops.Hosting.Storage.Database).Assembly, typeof(TProgram).Assembly).GetAwaiter().GetResult();
            builder.UseSetting("ConnectionStrings:Postgres", postgresDatabase.Value.ConnectionString);
        }

        builder.UseSetting("RabbitMq:Username", "unused");
        builder.UseSetting("RabbitMq:Password", "unused");
        builder.UseSetting("Auth:SigningKey", TestSecrets.SigningKey);
        builder.UseSetting("Audit:ChainKey", TestSecrets.ChainKey);
        builder.UseSetting("PersonalData:Key", TestSecrets.PersonalDataKey);
        // Scoring's report schedule runs only in the tests of it (Settings["Reports:Schedule"] = "true"), and at once.
        builder.UseSetting("Reports:Schedule", "false");
        builder.UseSetting("Reports:StartDelay", "00:00:00");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        // Also after the service's own sources (contracts.json above all), so a test may change a contract's terms.
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(Settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            // Tests read what was published with PublishedAsync and what was consumed with Consumed, which never wait for
            // the bus to fall idle; the harness's own lists, read to their end, wait for this long after the last message.
            services.AddMassTransitTestHarness(x => x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(10)));
            TestServices.ForEach(add => add(services));
        });
    }

    /// <summary>Starts the service expecting it to refuse its settings; returns what it said of each refused one.</summary>
    public IReadOnlyList<string> RefusedSettings()
    {
        Assert.Catch(() => CreateClient(), "the service started");
        var marker = $" {ServiceRun.Refusal} ";
        return [.. Logs.Lines.Where(l => l.Contains(marker, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].TrimEnd())];
    }

    /// <summary>Every client starts signed in as a manager.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.As(Roles.Manager);
    }

    /// <summary>A client signed in with <paramref name="role"/>; null signs in nobody.</summary>
    public HttpClient ClientAs(string? role, string name = "")
    {
        var client = CreateClient();
        return role is null ? client.Anonymous() : client.As(role, name);
    }

    /// <summary>A client signed in with <paramref name="role"/>, limited to <paramref name="scope"/>.</summary>
    public HttpClient ClientAs(string role, Scope scope) => CreateClient().As(role, scope: scope);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (postgresDatabase is not null)
        {
            await PostgresServer.DropDatabaseAsync(postgresDatabase.Value.Name);
            postgresDatabase = null;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
