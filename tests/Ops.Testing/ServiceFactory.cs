using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ops.Testing;

/// <summary>
/// One service in memory for the tests of that service alone: its own SQLite file, MassTransit's
/// in-memory test harness instead of RabbitMQ, and a fake clock the test moves.
/// </summary>
public sealed class ServiceFactory<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "ops-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The service's clock; starts on a Tuesday inside the seed contract's service year.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

    public ITestHarness Harness => Services.GetTestHarness();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        builder.UseSetting("RabbitMq:Username", "unused");
        builder.UseSetting("RabbitMq:Password", "unused");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddMassTransitTestHarness();
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
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
