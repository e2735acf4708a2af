using System.Data.Common;
using Dapper;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Audit;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.Notifications;

namespace Ops.SlaTimer.Storage;

/// <summary>Whether a clock stopped, and its ticket's title.</summary>
public sealed record NoticeTicket
{
    public DateTimeOffset? StoppedAt { get; init; }
    public string? Title { get; init; }
}

/// <summary>A clock of an open ticket, with the ticket's title.</summary>
public sealed record OpenClock
{
    public required string TicketNumber { get; init; }
    public string? Title { get; init; }
    public required ClockKind Clock { get; init; }
    public required ClockState State { get; init; }
    public required DateTimeOffset Deadline { get; init; }
}

/// <summary>
/// The clocks, their deadlines and their events. A ticket change and the clock changes and events it
/// causes are written in one transaction; so is every breach the scanner records, and the notices that
/// warnings and breaches owe the escalation chain.
/// </summary>
public sealed class ClockStore(Database database, Outbox outbox, EvidenceChain evidence, ContractTargets targets, PendingNotices notices, ClockMetrics? metrics = null)
{
    private readonly ClockSql sql = ClockSql.For(database.Provider);

    /// <summary>Raised after a running clock with this deadline (or earlier warning point) was stored, so the scanner can wake for it.</summary>
    public event Action<DateTimeOffset>? RunningDeadlineStored;

    /// <summary>
    /// Applies one version of a ticket to its clocks. An older or equal version than the newest seen is
    /// ignored (returns false): events arrive in any order and some twice.
    /// </summary>
    /// <param name="title">The ticket's title, which only its report carries; kept for the notices.</param>
    public async Task<bool> ApplyTicketAsync(TicketFacts ticket, DateTimeOffset now, CancellationToken cancellationToken = default, string? title = null)
    {
        var sla = targets.For(ticket.Contract);
        (IReadOnlyList<SlaClock> Before, IReadOnlyList<SlaClock> Changed, IReadOnlyList<object> Events)? stored = null;
        var (applied, earliestRunning) = await database.WriteAsync<(bool, DateTimeOffset?)>(async t =>
        {
            stored = null;
            var seen = await t.QuerySingleOrDefaultAsync<long?>(sql.TicketVersion, new { ticket.TicketId });
            if (title is not null && seen is not null)
            {
                // The report may arrive after a later event of the ticket: its title is kept all the same.
                await t.ExecuteAsync(sql.SetTicketTitle, new { ticket.TicketId, Title = title });
            }

            if (seen >= ticket.Version)
            {
                return (false, null);
            }

            await t.ExecuteAsync(seen is null ? sql.InsertTicketVersion : sql.UpdateTicketVersion, new { ticket.TicketId, ticket.Version, Title = title });

            // A ticket seen for the first time has no clocks yet (they are stored with its version), so a new
            // fault, the commonest event, is not looked up.
            var clocks = seen is null ? [] : (await t.QueryAsync<SlaClock>(sql.OfTicket, new { ticket.TicketId })).AsList();
            var outcome = ClockRules.Apply(ticket, sla, clocks, now, () => Guid.CreateVersion7(now));
            foreach (var clock in outcome.Changed)
            {
                var previous = clocks.Find(c => c.Id == clock.Id);
                if (previous is null)
                {
                    await t.ExecuteAsync(sql.Insert, Parameters(clock, 0));
                }
                else if (await t.ExecuteAsync(sql.Update, Parameters(clock, previous.Sequence)) == 0)
                {
                    throw new InvalidOperationException($"Clock {clock.Id} changed meanwhile; the ticket event will be retried.");
                }
            }

            await AddEventsAsync(t, outcome.Events);

            await RecordOutcomesAsync(t, outcome.Events);
            stored = (clocks, outcome.Changed, outcome.Events);

            return (true, outcome.Changed.Where(c => c.State == ClockState.Running).Min(c => (DateTimeOffset?)(c.NextWarningAt < c.Deadline ? c.NextWarningAt : c.Deadline)));
        }, cancellationToken);

        if (earliestRunning is { } deadline)
        {
            RunningDeadlineStored?.Invoke(deadline);
        }

        if (metrics is not null && stored is var (before, changed, events))
        {
            foreach (var clock in changed)
            {
                var wasRunning = before.Count > 0 && before.FirstOrDefault(c => c.Id == clock.Id)?.State == ClockState.Running; // a new fault has none before
                metrics.Changed(clock.Clock, wasRunning, clock.State == ClockState.Running);
            }

            metrics.Breached(events);
        }

        return applied;
    }

    /// <summary>Breaches up to <paramref name="limit"/> running clocks whose deadline is before <paramref name="now"/>; returns how many.</summary>
    public async Task<int> BreachDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var breached = await database.WriteAsync(async t =>
        {
            // The database returns the updated rows in no set order: publish them in deadline order, as they fell due.
            var events = (await t.QueryAsync<SlaClock>(sql.BreachDue, new { Now = now, Limit = limit }))
                .OrderBy(c => c.Deadline).ThenBy(c => c.Id).Select(c => new SlaBreached(c.ToFacts())).ToList<object>();
            await AddEventsAsync(t, events);

            await RecordOutcomesAsync(t, events);
            return events;
        }, cancellationToken);

        if (metrics is not null)
        {
            foreach (var breach in breached)
            {
                metrics.Changed(((SlaBreached)breach).Clock.Clock, wasRunning: true, isRunning: false);
            }

            metrics.Breached(breached);
        }

        return breached.Count;
    }

    /// <summary>
    /// Raises the warnings of up to <paramref name="limit"/> running clocks that reached a warning point by
    /// <paramref name="now"/>; returns how many. Each point is raised once: raising it is a change of the clock.
    /// </summary>
    public Task<int> WarnDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async t =>
        {
            var due = await t.QueryAsync<SlaClock>(sql.WarningDue, new { Now = now, Limit = limit });
            var raised = 0;
            foreach (var clock in due)
            {
                var contract = targets.For(clock.Contract);
                if (ClockRules.WarnIfDue(clock, contract, now) is not { } raise)
                {
                    // Nothing reached after all (the contract's warning points changed): plan the next one.
                    await t.ExecuteAsync(sql.Update, Parameters(ClockRules.PlanWarning(clock, contract), clock.Sequence));
                    continue;
                }

                var (warned, warning) = raise;
                if (await t.ExecuteAsync(sql.Update, Parameters(warned, clock.Sequence)) == 0)
                {
                    continue; // a ticket event changed the clock meanwhile and planned its warnings anew
                }

                await AddEventsAsync(t, [warning]);
                raised++;
            }

            return raised;
        }, cancellationToken);

    /// <summary>The earliest deadline or warning point of a running clock.</summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<DateTimeOffset?>(sql.NextDue), cancellationToken);

    /// <summary>What a notice of the clock needs to know now: whether it stopped (an acknowledgement quiets the response notices) and the ticket's title.</summary>
    public Task<NoticeTicket?> NoticeFactsAsync(Guid clockId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<NoticeTicket?>(sql.NoticeFacts, new { Id = clockId }), cancellationToken);

    /// <summary>The clocks not yet stopped of the contract's open tickets, earliest deadline first, with their tickets' titles: what the next engineer on duty inherits.</summary>
    public async Task<IReadOnlyList<OpenClock>> OpenClocksAsync(string contract, int limit, CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => c.QueryAsync<OpenClock>(sql.OpenClocks, new { Contract = contract, Limit = limit }), cancellationToken)).AsList();

    /// <summary>A contract's clocks of tickets reported in [<paramref name="from"/>, <paramref name="to"/>), first reported first, read row by row.</summary>
    public async IAsyncEnumerable<SlaClock> YearAsync(string contract, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await foreach (var clock in connection.QueryUnbufferedAsync<SlaClock>(sql.OfYear, new { Contract = contract, From = from, To = to }).WithCancellation(cancellationToken))
        {
            yield return clock;
        }
    }

    /// <summary>The clocks of the ticket named by id or number.</summary>
    public async Task<IReadOnlyList<SlaClock>> OfTicketAsync(string idOrNumber, CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => Guid.TryParse(idOrNumber, out var id)
            ? c.QueryAsync<SlaClock>(sql.OfTicket, new { TicketId = id })
            : c.QueryAsync<SlaClock>(sql.OfTicketNumber, new { TicketNumber = idOrNumber.Trim().ToUpperInvariant() }), cancellationToken)).AsList();

    /// <summary>The clocks of the ticket, when it lies in <paramref name="scope"/>; none for an unknown ticket and one outside alike.</summary>
    public async Task<IReadOnlyList<SlaClock>> OfTicketAsync(string idOrNumber, Scope scope, CancellationToken cancellationToken = default) =>
        [.. (await OfTicketAsync(idOrNumber, cancellationToken)).Where(c => scope.Allows(c.Contract, c.SiteCode))];

    /// <summary>The clocks of the filter that lie in <paramref name="scope"/>.</summary>
    public Task<(IReadOnlyList<SlaClock> Clocks, long Total)> ListAsync(ClockFilter filter, int limit, int offset, Scope scope, CancellationToken cancellationToken = default)
    {
        var parameters = scope.AddTo(new DynamicParameters(new
        {
            State = filter.State?.ToString().ToLowerInvariant(),
            filter.DueBefore,
            Open = filter.OnlyOpen ? 1 : 0,
            filter.Contract,
            filter.SiteCode,
            filter.System,
            filter.Severity,
            Limit = limit,
            Offset = offset,
        }));
        return database.ReadAsync(async c =>
        {
            var overdue = filter is { State: ClockState.Breached, OnlyOpen: true };
            var total = await c.ExecuteScalarAsync<long>(overdue ? sql.OpenBreachCount : sql.Count, parameters);
            var clocks = (await c.QueryAsync<SlaClock>(overdue ? sql.OpenBreachPage : sql.Page, parameters)).AsList();
            return ((IReadOnlyList<SlaClock>)clocks, total);
        }, cancellationToken);
    }

    /// <summary>The evidence chain of what became of every clock.</summary>
    public const string OutcomeChain = "clock-outcomes";

    /// <summary>Events into the outbox; a warning or a breach also owes the escalation chain its notice.</summary>
    private async Task AddEventsAsync(DbTransaction t, IReadOnlyCollection<object> events)
    {
        await outbox.AddAllAsync(t, events);
        await notices.AddAllAsync(t, events.Select(message => message switch
        {
            SlaWarningRaised warning => new Notice(warning.Clock, warning.Percent),
            SlaBreached breach => new Notice(breach.Clock, 100),
            _ => null,
        }).OfType<Notice>());
    }

    /// <summary>Seals the outcomes the events record (breaches and stops) into the clock-outcomes chain and stores them.</summary>
    private async Task RecordOutcomesAsync(DbTransaction t, IEnumerable<object> events)
    {
        var outcomes = events.Select(ClockOutcome.Of).OfType<ClockOutcome>()
            .Select(o => o with { Deadline = StoredTime.Of(database.Provider, o.Deadline), OccurredAt = StoredTime.Of(database.Provider, o.OccurredAt) }) // sealed as stored
            .ToList();
        var links = await evidence.LinkAsync(t, OutcomeChain, outcomes);
        await t.ExecuteAsync(sql.InsertOutcome, outcomes.Zip(links, (o, l) => o with { ChainSeq = l.Seq, PrevHash = l.PrevHash, Hash = l.Hash }));
    }

    /// <summary>The parameters of <see cref="ClockSql.Insert"/> and <see cref="ClockSql.Update"/> for a clock as stored.</summary>
    public static object Parameters(SlaClock c, long previousSequence) => new
    {
        c.Id,
        c.TicketId,
        Clock = c.Clock.ToString().ToLowerInvariant(),
        c.Sequence,
        PreviousSequence = previousSequence,
        c.TicketNumber,
        c.Contract,
        TicketKind = c.TicketKind.ToString().ToLowerInvariant(),
        Severity = c.Severity?.ToString().ToLowerInvariant() ?? "", // a request's clock has none; the column needs a value
        c.SiteCode,
        c.System,
        c.ReportedAt,
        c.TargetSeconds,
        c.StartedAt,
        c.Deadline,
        State = c.State.ToString().ToLowerInvariant(),
        c.BreachedAt,
        c.StoppedAt,
        c.ExcludedMs,
        c.Reopens,
        c.Grade,
        Calendar = c.Calendar.ToString().ToLowerInvariant(),
        c.WarnedPercent,
        c.NextWarningAt,
    };
}

/// <summary>Which clocks a list shows: a state, a deadline no later than <see cref="DueBefore"/>, only those not yet stopped, one contract, site, system or severity (each when given).</summary>
public sealed record ClockFilter(ClockState? State, DateTimeOffset? DueBefore, bool OnlyOpen = false, string? Contract = null, string? SiteCode = null, string? System = null, string? Severity = null);
