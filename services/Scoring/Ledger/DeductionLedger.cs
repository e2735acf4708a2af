using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using Ops.Contracts.Scoring;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Audit;
using Ops.Hosting.Http;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Scoring.Assessment;
using Ops.Scoring.Compliance;

namespace Ops.Scoring.Ledger;

/// <summary>An item's entries in a period: their sum and how many there are.</summary>
public sealed record ItemTotal
{
    public int Item { get; init; }
    public long Hundredths { get; init; }
    public long Entries { get; init; }
}

/// <summary>
/// The deduction ledger. SLA events become breach deductions (or retractions) here, in the same
/// transaction that records the clock's facts for the dashboard, and every new entry is published
/// as <see cref="DeductionRecorded"/>.
/// </summary>
public sealed class DeductionLedger(Database database, Outbox outbox, EvidenceChain evidence, ContractBook contracts, ILogger<DeductionLedger> logger, LedgerMetrics? metrics = null)
{
    /// <summary>The evidence chain of the ledger.</summary>
    public const string LedgerChain = "deduction-ledger";

    private readonly LedgerSql sql = LedgerSql.For(database.Provider);
    private readonly DashboardRollups rollups = new(database);

    /// <summary>
    /// Records what an SLA event says of a clock. An event no newer than what is known changes nothing,
    /// so duplicates and stragglers never deduct twice.
    /// </summary>
    public async Task<bool> RecordClockAsync(ClockFacts clock, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var terms = contracts.Find(clock.Contract);
        if (terms is null)
        {
            throw new InvalidOperationException($"Contract {clock.Contract} is not configured in contracts.json; its breaches cannot be scored.");
        }

        Deduction? deducted = null;
        var recorded = await database.WriteAsync(async t =>
        {
            deducted = null;
            var known = await rollups.FactsOfAsync(t, clock.ClockId);
            if (known is null && await t.ExecuteAsync(sql.InsertClockFacts, FactParameters(clock)) == 0)
            {
                // Another instance stored the clock since (on PostgreSQL the insert waits for it, then stores nothing): go on from its facts.
                known = await rollups.FactsOfAsync(t, clock.ClockId);
            }

            if (known is not null)
            {
                if (known.Sequence >= clock.Sequence)
                {
                    return false;
                }

                await t.ExecuteAsync(sql.UpdateClockFacts, FactParameters(clock));
            }

            if (clock.State is (ClockState.Breached or ClockState.Met))
            {
                deducted = await ScoreAsync(t, terms, clock, now);
            }

            // The roll-ups last: their rows are shared by every clock of a day, and on a server each is held from its update to the commit.
            await rollups.MoveAsync(t, known, (await rollups.FactsOfAsync(t, clock.ClockId))!);
            return true;
        }, cancellationToken);

        if (deducted is not null)
        {
            metrics?.Deducted(deducted);
        }

        return recorded;
    }

    /// <summary>What a breached or met clock does to the ledger: its new breach deducted, breaches it ended taken back; the deduction made, if any.</summary>
    private async Task<Deduction?> ScoreAsync(DbTransaction t, ContractTerms terms, ClockFacts clock, DateTimeOffset now)
    {
        // A breach ends only when a stop in time reaches the timer late (the clock ends met); so when the clock is
        // met, or breached again after it ran on, every breach of it before this one is taken back (once).
        var episode = clock.State == ClockState.Breached
            ? await t.QuerySingleOrDefaultAsync<Deduction>(sql.BreachOfEpisode, new { clock.ClockId, clock.BreachedAt, clock.Deadline })
            : null;
        foreach (var breach in await t.QueryAsync<Deduction>(sql.LiveBreachesOfClock, new { clock.ClockId }))
        {
            if (breach.Id != episode?.Id)
            {
                await AddAsync(t, terms, Retraction(clock, breach, now));
            }
        }

        if (clock.State != ClockState.Breached || episode is not null)
        {
            return null;
        }

        var rule = DeductionRule.For(terms.Assessment.DeductionRules, clock.Kind, clock.Clock, SeverityOf(clock));
        if (rule is null)
        {
            logger.LogInformation("No deduction rule for a breached {Clock} clock of a {Severity} ticket of {Contract}", clock.Clock, clock.Severity, clock.Contract);
            return null;
        }

        return await AddAsync(t, terms, Entry(clock, now) with
        {
            Item = rule.Item,
            PointsHundredths = Hundredths(rule.Points),
            Source = DeductionSource.Breach,
            Reason = BreachReason(clock, terms, now),
        });
    }

    /// <summary>
    /// Waives a deduction: a compensating entry with the opposite points, in the manager's name and with the
    /// reason; the deduction stays in the ledger. Refused (with why) for an entry that is itself a
    /// compensation or was already taken back; null when there is no such entry, or when its contract is not
    /// wholly in the caller's <paramref name="scope"/>.
    /// </summary>
    public Task<(Deduction? Waiver, string? Refusal)> WaiveAsync(Guid deductionId, string reason, Actor recordedBy, DateTimeOffset now, Scope scope, CancellationToken cancellationToken = default) =>
        database.WriteAsync<(Deduction?, string?)>(async t =>
        {
            var deduction = await t.QuerySingleOrDefaultAsync<Deduction>(sql.Entry, new { Id = deductionId });
            if (deduction is null || !scope.AllowsWholeContract(deduction.Contract))
            {
                return (null, null);
            }

            if (deduction.PointsHundredths <= 0 || deduction.Compensates is not null)
            {
                var points = deduction.Points.ToString(CultureInfo.InvariantCulture);
                return (null, L10n.Of(
                    $"台账条目 {deduction.Id} 是 {points} 分的{Deduction.SourceName(deduction.Source)}，不是扣分；只有扣分可以豁免。",
                    $"Ledger entry {deduction.Id} is a {deduction.Source.ToString().ToLowerInvariant()} of {points} points, not a deduction; only deductions can be waived."));
            }

            var earlier = (await t.QueryAsync<Deduction>(sql.Compensations, new { deduction.Id })).FirstOrDefault();
            if (earlier is not null)
            {
                return (null, L10n.Of(
                    $"台账条目 {deduction.Id} 已被条目 {earlier.Id}（{Deduction.SourceName(earlier.Source)}）冲销。",
                    $"Ledger entry {deduction.Id} was already taken back by entry {earlier.Id} ({earlier.Source.ToString().ToLowerInvariant()})."));
            }

            var terms = contracts.Find(deduction.Contract)
                ?? throw new InvalidOperationException($"Contract {deduction.Contract} is not configured in contracts.json.");
            var waiver = await AddAsync(t, terms, deduction with
            {
                EntryNo = 0,
                Id = Guid.CreateVersion7(now),
                PointsHundredths = -deduction.PointsHundredths,
                Source = DeductionSource.Waiver,
                Reason = reason,
                Compensates = deduction.Id,
                RecordedAt = now,
                RecordedBy = recordedBy.Name,
                RecordedById = recordedBy.Id,
            });
            return (waiver, null);
        }, cancellationToken);

    /// <summary>A manager's deduction for an item no clock measures.</summary>
    public async Task<Deduction> AddManualAsync(ContractTerms terms, int item, decimal points, string reason, DateTimeOffset occurredAt, Actor recordedBy, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var entry = await database.WriteAsync(t => AddAsync(t, terms, new Deduction
        {
            EntryNo = 0,
            Id = Guid.CreateVersion7(now),
            Contract = terms.Code,
            Item = item,
            PointsHundredths = Hundredths(points),
            Source = DeductionSource.Manual,
            Reason = reason,
            OccurredAt = occurredAt,
            RecordedAt = now,
            RecordedBy = recordedBy.Name,
            RecordedById = recordedBy.Id,
        }), cancellationToken);
        metrics?.Deducted(entry);
        return entry;
    }

    public async Task<IReadOnlyList<ItemTotal>> ItemTotalsAsync(ContractTerms terms, CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => c.QueryAsync<ItemTotal>(sql.ItemTotals, PeriodOf(terms)), cancellationToken)).AsList();

    /// <summary>The items' totals from the service year's start to <paramref name="to"/> (at most its end): the assessment as of that moment.</summary>
    public async Task<IReadOnlyList<ItemTotal>> ItemTotalsAsync(ContractTerms terms, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var (from, end) = terms.Period;
        var period = LedgerSql.PeriodParameters(terms.Code, from, to < end ? to : end);
        return (await database.ReadAsync(c => c.QueryAsync<ItemTotal>(sql.ItemTotals, period), cancellationToken)).AsList();
    }

    /// <summary>The newest <paramref name="perItem"/> entries of each item in the period, by item and then in ledger order.</summary>
    public Task<IReadOnlyList<Deduction>> EvidenceAsync(ContractTerms terms, int perItem, CancellationToken cancellationToken = default)
    {
        var (from, to) = terms.Period;
        return database.ReadAsync<IReadOnlyList<Deduction>>(async c =>
        {
            var entries = new List<Deduction>();
            foreach (var item in terms.Assessment.Items.Select(i => i.Number).Order())
            {
                var newest = await c.QueryAsync<Deduction>(sql.EvidenceOfItem, new { Contract = terms.Code, Item = item, From = from, To = to, PerItem = perItem });
                entries.AddRange(newest.Reverse());
            }

            return entries;
        }, cancellationToken);
    }

    /// <summary>One page of the ledger: up to the filter's limit of entries after its entry number, in ledger order.</summary>
    public async Task<IReadOnlyList<Deduction>> PageAsync(LedgerFilter filter, CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => c.QueryAsync<Deduction>(sql.LedgerPage, filter.Parameters()), cancellationToken)).AsList();

    /// <summary>Every entry of the filter in ledger order, without paging, read one row at a time as the caller takes them.</summary>
    public async IAsyncEnumerable<LedgerLine> ExportAsync(LedgerFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await foreach (var line in connection.QueryUnbufferedAsync<LedgerLine>(sql.LedgerExport, filter.Parameters()).WithCancellation(cancellationToken))
        {
            yield return line;
        }
    }

    private async Task<Deduction> AddAsync(DbTransaction t, ContractTerms terms, Deduction entry)
    {
        // Sealed with its times as the store keeps them, so that the entry read back has the content it was sealed with.
        entry = entry with
        {
            Deadline = StoredTime.Of(database.Provider, entry.Deadline),
            BreachedAt = StoredTime.Of(database.Provider, entry.BreachedAt),
            OccurredAt = StoredTime.Of(database.Provider, entry.OccurredAt),
            RecordedAt = StoredTime.Of(database.Provider, entry.RecordedAt),
        };
        var inPeriod = entry.OccurredAt >= terms.Period.From && entry.OccurredAt < terms.Period.To;
        // The chain's head first: on a server it is held until the commit, so the totals read next count every entry before this one.
        var link = await evidence.LinkAsync(t, LedgerChain, entry.Content());
        var totals = inPeriod ? await ItemPointsInAsync(t, terms) : null;
        entry = entry with { ChainSeq = link.Seq, PrevHash = link.PrevHash, Hash = link.Hash };
        await t.ExecuteAsync(sql.Insert, EntryParameters(entry));
        await outbox.AddAsync(t, new DeductionRecorded(entry.Id, entry.Contract, entry.Item, entry.Points, entry.Source.ToString().ToLowerInvariant(),
            entry.Reason, entry.TicketId, entry.ClockId, entry.Compensates, entry.RecordedAt));

        if (totals is not null)
        {
            // The totals after it are those before it and its own points: no second read while the chain's head is held.
            var before = AssessmentCalculator.Compute(terms, totals).TotalDeduction;
            totals[entry.Item] = totals.GetValueOrDefault(entry.Item) + entry.Points;
            var after = AssessmentCalculator.Compute(terms, totals).TotalDeduction;
            foreach (var threshold in AssessmentCalculator.ThresholdsCrossed(terms, before, after))
            {
                await outbox.AddAsync(t, new AssessmentThresholdCrossed(terms.Code, threshold, after, entry.RecordedAt));
            }
        }

        return entry;
    }

    private async Task<Dictionary<int, decimal>> ItemPointsInAsync(DbTransaction t, ContractTerms terms) =>
        (await t.QueryAsync<ItemTotal>(sql.ItemTotals, PeriodOf(terms))).ToDictionary(i => i.Item, i => i.Hundredths / 100m);

    private static object PeriodOf(ContractTerms terms) => LedgerSql.PeriodParameters(terms.Code, terms.Period.From, terms.Period.To);

    /// <summary>Takes <paramref name="breach"/> back: it falls in the same period, and says when its clock was stopped in time if this is the breach it ended.</summary>
    private static Deduction Retraction(ClockFacts clock, Deduction breach, DateTimeOffset now) => Entry(clock, now) with
    {
        Item = breach.Item,
        PointsHundredths = -breach.PointsHundredths,
        Source = DeductionSource.Retraction,
        Compensates = breach.Id,
        Deadline = breach.Deadline,
        BreachedAt = breach.BreachedAt,
        OccurredAt = breach.OccurredAt,
        Reason = clock.State == ClockState.Met && clock.BreachedAt == breach.BreachedAt
            ? $"撤回超时扣分：工单 {clock.TicketNumber} 的{ClockName(clock.Clock)}计时已按时停止（{Shanghai(clock.StoppedAt!.Value)}），停止的消息在截止时间之后才到达计时服务。"
            : $"撤回超时扣分：工单 {clock.TicketNumber} 的{ClockName(clock.Clock)}计时在 {Shanghai(breach.BreachedAt ?? breach.OccurredAt)} 超时之后按时停止，停止的消息在截止时间之后才到达计时服务。",
    };

    /// <summary>
    /// Why a breach deducts, as the ledger keeps it (in Chinese, the contract's language, whoever reads it later):
    /// "严重故障修复超时 2小时15分：工单 F20261124-0001，截止时间 2026-11-24 13:00:00（北京时间）。" The overrun is
    /// how long the clock was past its deadline when it stopped, or when the breach was recorded; under a minute it is left out.
    /// </summary>
    internal static string BreachReason(ClockFacts clock, ContractTerms terms, DateTimeOffset now)
    {
        var subject = clock.Kind == TicketKind.Fault
            ? SeverityOf(clock) == Severity.Severe ? "严重故障" : "一般故障"
            : clock.Grade is { } grade ? $"服务请求（{terms.GradeNames.GetValueOrDefault(grade, grade)}）" : "服务请求";
        var overrun = (clock.StoppedAt ?? clock.BreachedAt ?? now) - clock.Deadline;
        var minutes = TimeSpan.FromMinutes(Math.Floor(overrun.TotalMinutes));
        var words = minutes >= TimeSpan.FromMinutes(1) ? " " + Durations.InChineseWords(minutes) : "";
        return $"{subject}{ClockName(clock.Clock)}超时{words}：工单 {clock.TicketNumber}，截止时间 {Shanghai(clock.Deadline)}。";
    }

    private static Deduction Entry(ClockFacts clock, DateTimeOffset now) => new()
    {
        EntryNo = 0,
        Id = Guid.CreateVersion7(now),
        Contract = clock.Contract,
        Item = 0,
        PointsHundredths = 0,
        Source = DeductionSource.Breach,
        Reason = "",
        ClockId = clock.ClockId,
        TicketId = clock.TicketId,
        TicketNumber = clock.TicketNumber,
        Clock = clock.Clock,
        Deadline = clock.Deadline,
        BreachedAt = clock.BreachedAt,
        OccurredAt = clock.Deadline,
        RecordedAt = now,
        RecordedBy = "sla-timer",
        RecordedById = "service:sla-timer",
    };

    internal static long Hundredths(decimal points) => (long)Math.Round(points * 100m, MidpointRounding.AwayFromZero);

    /// <summary>A fault's severity; none for a request's clock, also from the events that still carried general for it.</summary>
    private static Severity? SeverityOf(ClockFacts clock) => clock.Kind == TicketKind.Fault ? clock.Severity : null;

    private static string ClockName(ClockKind clock) => clock switch
    {
        ClockKind.Response => "响应",
        ClockKind.Repair => "修复",
        ClockKind.Completion => "办结",
        _ => clock.ToString().ToLowerInvariant(),
    };

    private static string Shanghai(DateTimeOffset time) => ShanghaiTimeConverter.ToShanghai(time).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "（北京时间）";

    /// <summary>The parameters of <see cref="LedgerSql.InsertClockFacts"/> and <see cref="LedgerSql.UpdateClockFacts"/>.</summary>
    public static object FactParameters(ClockFacts c) => new
    {
        c.ClockId,
        c.Sequence,
        c.TicketId,
        c.TicketNumber,
        c.Contract,
        Clock = c.Clock.ToString().ToLowerInvariant(),
        TicketKind = c.Kind.ToString().ToLowerInvariant(),
        Severity = SeverityOf(c)?.ToString().ToLowerInvariant() ?? "", // a request's clock has none; the column needs a value
        c.SiteCode,
        c.System,
        c.ReportedAt,
        ReportMonth = ShanghaiCalendar.MonthKey(c.ReportedAt),
        TargetSeconds = (long)c.Target.TotalSeconds,
        c.StartedAt,
        c.Deadline,
        State = c.State.ToString().ToLowerInvariant(),
        c.BreachedAt,
        c.StoppedAt,
        // The time to repair leaves out the time that does not count (a reopened ticket's time resolved).
        ElapsedMs = c.StoppedAt is { } stopped ? (long?)(stopped - c.StartedAt - c.Excluded).TotalMilliseconds : null,
        c.Reopens,
    };

    /// <summary>The parameters of <see cref="LedgerSql.Insert"/>.</summary>
    public static object EntryParameters(Deduction d) => new
    {
        d.Id,
        d.Contract,
        d.Item,
        d.PointsHundredths,
        Source = d.Source.ToString().ToLowerInvariant(),
        d.Reason,
        d.ClockId,
        d.TicketId,
        d.TicketNumber,
        Clock = d.Clock?.ToString().ToLowerInvariant(),
        d.Deadline,
        d.BreachedAt,
        d.Compensates,
        d.OccurredAt,
        d.RecordedAt,
        d.RecordedBy,
        d.RecordedById,
        d.ChainSeq,
        d.PrevHash,
        d.Hash,
    };
}
