using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ops.Hosting.Storage;
using Polly;
using Polly.Retry;

namespace Ops.Hosting.Messaging;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>
    /// How many events one round publishes at once: larger rounds publish a backlog faster after an outage,
    /// up to about this many (docs/performance.md#outbox-and-scan-rounds).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>How many rounds may wait for the broker's confirmations at once.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 64)]
    public int RoundsInFlight { get; set; } = 2;

    /// <summary>How often the outbox is looked at when no commit woke the dispatcher.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a round may wait for the broker to confirm all its publishes (they wait side by side).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long published events are kept before they are purged.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan KeepSent { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Publishes what the outbox holds, oldest first, and marks it sent once the broker confirmed it.
/// While the broker is away it keeps retrying with growing pauses; after a restart it carries on
/// where it stopped. An event may be published twice if the process dies between the broker's
/// confirmation and the mark; consumers are idempotent.
/// </summary>
/// <remarks>
/// On PostgreSQL several instances may share one database: there each round is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, published and marked sent in one transaction, so two instances never publish the
/// same events at once. A crash (or a lost connection) between the broker's confirmation and the commit still rolls
/// the mark back and the events are published again later, by this instance or another: twice, never lost, and as
/// harmless as on the other stores, since consumers are idempotent.
/// </remarks>
public sealed class OutboxDispatcher : BackgroundService
{
    /// <summary>The spans of publishing an event, each a child of the change that wrote it (<see cref="Outbox.TraceParent"/>).</summary>
    public const string ActivitySourceName = "Ops.Outbox";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>Whether this service records traces (its tracer listens to the outbox's spans).</summary>
    internal static bool Traced => Source.HasListeners();

    private readonly Database database;
    private readonly IBus bus;
    private readonly TimeProvider time;
    private readonly ILogger<OutboxDispatcher> logger;
    private readonly OutboxOptions options;
    private readonly OutboxSql sql;
    private readonly CommitSignal committed;
    private DateTimeOffset lastPurge = DateTimeOffset.MinValue;

    public OutboxDispatcher(Database database, IBus bus, TimeProvider time, ILogger<OutboxDispatcher> logger, IOptions<OutboxOptions> options)
    {
        this.database = database;
        this.bus = bus;
        this.time = time;
        this.logger = logger;
        this.options = options.Value;
        sql = OutboxSql.For(database.Provider);
        committed = new CommitSignal(database);
    }

    private sealed record Pending
    {
        public required long Id { get; init; }
        public required Guid MessageId { get; init; }
        public required string MessageType { get; init; }
        public required string Body { get; init; }
        public string? TraceParent { get; init; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException || !stoppingToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(15),
                OnRetry = args =>
                {
                    logger.LogWarning("Publishing from the outbox failed ({Error}); attempt {Attempt}, next in {Delay}",
                        args.Outcome.Exception?.GetType().Name, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Loading and marking are retried too: the database may be busy or briefly away.
                await retry.ExecuteAsync(async ct => await DispatchAsync(ct), stoppingToken);
                await PurgeSentAsync(stoppingToken);
                await committed.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Publishes rounds until the outbox is empty. The next round is read and published while the broker still
    /// confirms the ones before (<see cref="OutboxOptions.RoundsInFlight"/> at most), and confirmed rounds are
    /// marked sent on the side, one statement for all confirmed since the last mark: marking waits its turn at
    /// the database (behind a scan's breaches, say) and must not hold up publishing. A round that fails fails
    /// the pass, after what was confirmed is marked; the next pass starts again from the oldest unmarked event,
    /// so nothing is skipped (some may be published twice, as the class says). On SQL Server an event can
    /// commit after others with higher ids; a pass that has read past it leaves it to the next.
    /// </summary>
    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        if (sql.Claim is { } claim)
        {
            // As many claims side by side as rounds may wait for the broker; their locks keep them apart.
            await Task.WhenAll(Enumerable.Range(0, options.RoundsInFlight).Select(_ => DispatchClaimedAsync(claim, cancellationToken)));
            return;
        }

        var publishing = new Queue<Task<List<long>>>();
        var confirmed = new List<long>();
        var marking = Task.CompletedTask;
        long after = 0;
        try
        {
            while (true)
            {
                var round = (await database.ReadAsync(c => c.QueryAsync<Pending>(sql.Pending, new { After = after, Limit = options.BatchSize }), cancellationToken)).AsList();
                if (round.Count == 0)
                {
                    break;
                }

                after = round[^1].Id;
                publishing.Enqueue(PublishRoundAsync(round, cancellationToken));
                while (publishing.Count >= options.RoundsInFlight)
                {
                    confirmed.AddRange(await publishing.Dequeue());
                }

                // One mark at a time; while it waits, the confirmed ids gather for the next (up to ten rounds' worth).
                if (confirmed.Count > 0 && (marking.IsCompleted || confirmed.Count >= 10 * options.BatchSize))
                {
                    await marking;
                    marking = MarkSentAsync(confirmed, cancellationToken);
                    confirmed = [];
                }

                if (round.Count < options.BatchSize)
                {
                    break;
                }
            }

            while (publishing.Count > 0)
            {
                confirmed.AddRange(await publishing.Dequeue());
            }
        }
        finally
        {
            // Rounds are left here only after a failure, which is on its way out; what else failed is logged.
            while (publishing.Count > 0)
            {
                try
                {
                    confirmed.AddRange(await publishing.Dequeue());
                }
                catch (Exception e)
                {
                    logger.LogDebug(e, "A round published alongside a failed one failed too");
                }
            }

            await marking;
            if (confirmed.Count > 0)
            {
                await MarkSentAsync(confirmed, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Claims rounds (<see cref="OutboxSql.Claim"/>) until none is left free, each published and marked sent inside the
    /// transaction that holds it. A round that fails rolls back: its events are free again for the next pass, here or elsewhere.
    /// The transaction is this dispatcher's own, not a <see cref="Database.WriteAsync{T}"/>: a claim that found nothing
    /// must not wake the dispatcher again as a commit would.
    /// </summary>
    private async Task DispatchClaimedAsync(string claim, CancellationToken cancellationToken)
    {
        int claimed;
        do
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var round = (await transaction.QueryAsync<Pending>(claim, new { Limit = options.BatchSize })).AsList();
            claimed = round.Count;
            if (claimed > 0)
            {
                var ids = await PublishRoundAsync(round, cancellationToken);
                await transaction.ExecuteAsync(sql.MarkSent, new { SentAt = time.GetUtcNow(), Ids = OutboxSql.IdList(ids) });
            }

            await transaction.CommitAsync(cancellationToken);
        }
        while (claimed == options.BatchSize);
    }

    /// <summary>Publishes one round; returns its outbox ids once the broker confirmed all of it.</summary>
    private async Task<List<long>> PublishRoundAsync(List<Pending> round, CancellationToken cancellationToken)
    {
        // One timeout for the whole round: every publish of it is waiting for the broker at the same time.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PublishTimeout);
        try
        {
            await Task.WhenAll(round.Select(p => PublishAsync(p, timeout.Token)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not confirm a round of {round.Count} outbox messages within {options.PublishTimeout}.");
        }

        return round.ConvertAll(p => p.Id);
    }

    private Task MarkSentAsync(List<long> ids, CancellationToken cancellationToken) =>
        database.WriteAsync(t => t.ExecuteAsync(sql.MarkSent, new { SentAt = time.GetUtcNow(), Ids = OutboxSql.IdList(ids) }), cancellationToken);

    private Task PublishAsync(Pending pending, CancellationToken cancellationToken)
    {
        var type = Outbox.ResolveType(pending.MessageType);
        var message = JsonSerializer.Deserialize(pending.Body, type, MessageJson.Options)
            ?? throw new InvalidOperationException($"Outbox message {pending.Id} has an empty body.");
        return pending.TraceParent is not null && Traced
            ? PublishInTraceAsync(pending, message, type, cancellationToken)
            : bus.Publish(message, type, context => context.MessageId = pending.MessageId, cancellationToken);
    }

    /// <summary>
    /// Publishes inside a span whose parent is the change that wrote the event: MassTransit's publish is its child and
    /// carries the trace to the consumers in the message's headers. The span is this method's own, so it ends with it.
    /// </summary>
    private async Task PublishInTraceAsync(Pending pending, object message, Type type, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(pending.TraceParent, null, isRemote: true, out var parent);
        using var activity = Source.StartActivity($"outbox {type.Name}", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", pending.MessageId.ToString());
        await bus.Publish(message, type, context => context.MessageId = pending.MessageId, cancellationToken);
    }

    private async Task PurgeSentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - lastPurge < TimeSpan.FromHours(1))
        {
            return;
        }

        lastPurge = now;
        try
        {
            await database.WriteAsync(t => t.ExecuteAsync(sql.PurgeSent, new { Before = now - options.KeepSent }), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A full or locked store must not stop publishing: the purge waits for its next hour.
            logger.LogWarning("Purging sent events from the outbox failed ({Error}); next in an hour", e.GetType().Name);
        }
    }
}
