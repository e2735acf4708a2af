using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Ops.Hosting.Storage;

namespace Ops.Testing;

/// <summary>
/// Tests of one service in memory: each test gets a fresh <see cref="ServiceFactory{TProgram}"/> (its own
/// SQLite file, or PostgreSQL database for a fixture made with <see cref="TestStore.Postgres"/>, the in-memory
/// bus, a fake clock) and a client signed in as a manager.
/// </summary>
public abstract class ServiceTests<TProgram>(TestStore store = TestStore.Sqlite)
    where TProgram : class
{
    /// <summary>The store the service runs on; a fixture runs on both with <c>[TestFixture(TestStore.Sqlite)] [TestFixture(TestStore.Postgres)]</c>.</summary>
    protected TestStore Store { get; } = store;

    protected ServiceFactory<TProgram> Service { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected Database Database => Service.Services.GetRequiredService<Database>();

    /// <summary>Settings the service starts with, for a test fixture that needs other than the defaults.</summary>
    protected virtual void Configure(ServiceFactory<TProgram> service)
    {
    }

    [SetUp]
    public void StartService()
    {
        Service = new ServiceFactory<TProgram>(Store);
        Configure(Service);
        Client = Service.CreateClient();
    }

    [TearDown]
    public async Task StopService()
    {
        Client.Dispose();
        await Service.DisposeAsync();
    }

    /// <summary>Waits for what the service does in the background (a consumer, the outbox, the scanner); fails after <paramref name="within"/>.</summary>
    protected static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan? within = null) => Eventually.HoldsAsync(condition, within);
}
