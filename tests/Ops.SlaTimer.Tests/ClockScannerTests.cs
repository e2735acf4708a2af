using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Messaging;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Notifications;
using Ops.SlaTimer.Scanning;
using Ops.SlaTimer.Storage;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// The clock set forward while the scanner is setting its sleep (where a test's <c>Advance</c> can land in a running
/// service): the scanner looks at once instead of sleeping until the clock's next move.
/// </summary>
public class ClockScannerTests
{
    private TempDatabase database = null!;
    private ClockStore store = null!;

    [SetUp]
    public async Task CreateStore()
    {
        database = await TempDatabase.CreateAsync(typeof(ClockStore).Assembly);
        store = new ClockStore(database.Database, new Outbox(TimeProvider.System), TestSecrets.Evidence(database.Database),
            new ContractTargets(new Dictionary<string, SlaTargets> { ["OTQ-2026-OPS"] = new() }), new PendingNotices(database.Database, EscalationBook.None));
    }

    [TearDown]
    public async Task DropStore() => await database.DisposeAsync();

    [Test]
    public async Task AWarningPointPassed_WhileTheSleepWasBeingSet_IsRaisedThoughTheClockMovesNoMore()
    {
        // A general fault's response clock warns at 15 of its 30 minutes; the scanner starts a minute in and finds nothing due.
        await store.ApplyTicketAsync(Tickets.Fault(Severity.General), Tickets.Reported);
        var time = new ForwardWhenATimerIsSet(Tickets.Reported.AddMinutes(1), TimeSpan.FromMinutes(20));
        using var scanner = new ClockScanner(store, time, Options.Create(new ScannerOptions()), NullLogger<ClockScanner>.Instance);

        await scanner.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.HoldsAsync(async () => (await database.Database.MessagesAsync<SlaWarningRaised>()).Count == 1);
            Assert.That((await database.Database.MessagesAsync<SlaWarningRaised>()).Single().Percent, Is.EqualTo(50));
        }
        finally
        {
            await scanner.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A fake clock that moves forward once by itself, just before the first timer is set on it.</summary>
    private sealed class ForwardWhenATimerIsSet(DateTimeOffset start, TimeSpan by) : FakeTimeProvider(start)
    {
        private int moved;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (Interlocked.Exchange(ref moved, 1) == 0)
            {
                Advance(by);
            }

            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
