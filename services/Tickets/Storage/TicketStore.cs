using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using Ops.Contracts.Tickets;
using Ops.Hosting.Audit;
using Ops.Hosting.Http;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Tickets.Intake;
using Ops.Tickets.Lifecycle;
using Ops.Tickets.Queries;

namespace Ops.Tickets.Storage;

/// <summary>What became of a report.</summary>
public enum ReportResult
{
    Created,

    /// <summary>The same Idempotency-Key came with the same request before: this is that ticket.</summary>
    Replayed,

    /// <summary>The Idempotency-Key was used before for a different request.</summary>
    KeyReused,
}

/// <summary>What makes a retry the same report: the caller's Idempotency-Key or externalRef; another caller's same key is a new key.</summary>
/// <param name="Caller">The API key or user that sent it (<see cref="Ops.Hosting.Security.Caller.Partition"/>).</param>
public sealed record IdempotencyKey(string Caller, string Key);

/// <summary>What became of a lifecycle change.</summary>
public enum ChangeResult
{
    Changed,
    NotFound,
    Conflict,

    /// <summary>The caller may not make this change (e.g. an engineer lowering a severity).</summary>
    Forbidden,
}

/// <summary>
/// Tickets, their timeline and their events. Every change, its timeline entry and its event are
/// written in one transaction (the event through the outbox).
/// </summary>
public sealed class TicketStore(Database database, Outbox outbox, EvidenceChain evidence, PhoneCipher phones)
{
    private readonly TicketSql sql = TicketSql.For(database.Provider);

    private sealed record KeyRow
    {
        public required string Fingerprint { get; init; }
        public required Guid TicketId { get; init; }
    }

    public async Task<(ReportResult Result, Ticket Ticket, IReadOnlyList<TimelineEntry> Timeline)> ReportAsync(ValidReport report, IdempotencyKey? idempotencyKey, Actor actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // On SQL Server two retries with the same key may race; the loser sees the winner's key the second time.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await database.WriteAsync(t => ReportInAsync(t, report, idempotencyKey, actor, now), cancellationToken);
            }
            catch (Exception e) when (attempt == 1 && idempotencyKey is not null && database.Provider.IsUniqueViolation(e))
            {
            }
        }
    }

    private async Task<(ReportResult, Ticket, IReadOnlyList<TimelineEntry>)> ReportInAsync(DbTransaction t, ValidReport report, IdempotencyKey? idempotencyKey, Actor actor, DateTimeOffset now)
    {
        if (idempotencyKey is not null)
        {
            var seen = await t.QuerySingleOrDefaultAsync<KeyRow>(sql.FindIdempotencyKey, new { idempotencyKey.Caller, idempotencyKey.Key });
            if (seen is not null)
            {
                var earlier = await FindInAsync(t.Connection!, t, seen.TicketId.ToString()) ?? throw new InvalidOperationException("A stored ticket vanished.");
                var timeline = (await t.QueryAsync<TimelineEntry>(sql.Timeline, new { Id = earlier.Id })).AsList();
                return (seen.Fingerprint == report.Fingerprint ? ReportResult.Replayed : ReportResult.KeyReused, earlier, timeline);
            }
        }

        var prefix = $"{(report.Kind == TicketKind.Fault ? 'F' : 'R')}{ShanghaiTimeConverter.ToShanghai(now):yyyyMMdd}";
        var sequence = await t.ExecuteScalarAsync<long>(sql.NextNumber, new { Prefix = prefix });
        var ticket = new Ticket
        {
            Id = Guid.CreateVersion7(now),
            Number = $"{prefix}-{sequence.ToString("0000", CultureInfo.InvariantCulture)}",
            Version = 1,
            Contract = report.Contract,
            Kind = report.Kind,
            Severity = report.Severity,
            Grade = report.Grade,
            Status = TicketStatus.Open,
            Channel = report.Channel,
            SiteCode = report.SiteCode,
            System = report.System,
            Title = report.Title,
            Description = report.Description,
            ReporterName = report.ReporterName,
            ReporterPhone = report.ReporterPhone,
            ReportedAt = report.ReportedAt,
            ExternalRef = report.ExternalRef,
            CreatedAt = now,
            UpdatedAt = now,
        };

        await t.ExecuteAsync(sql.Insert, Parameters(ticket with { ReporterPhone = phones.Encrypt(ticket.Id, ticket.ReporterPhone) }));
        var reported = new TimelineEntry { TicketId = ticket.Id, Version = 1, At = now, Action = "reported", Actor = actor.Name, ActorId = actor.Id, Detail = $"{ReportValidation.ChannelInChinese(report.Channel)}：{report.Title}" };
        await AddTimelineAsync(t, reported);
        if (idempotencyKey is not null)
        {
            await t.ExecuteAsync(sql.InsertIdempotencyKey, new { idempotencyKey.Caller, idempotencyKey.Key, report.Fingerprint, TicketId = ticket.Id, CreatedAt = now });
        }

        await outbox.AddAsync(t, new TicketReported(ticket.ToFacts(), report.Channel, report.Title, Phone.Mask(report.ReporterPhone)));
        return (ReportResult.Created, ticket, [reported]);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the ticket named by id or number, and stores the changed
    /// ticket, its timeline entry and the event <paramref name="toEvent"/> makes of it (from the ticket
    /// before and after the change), together.
    /// </summary>
    /// <summary>As the other overload, for a caller limited to <paramref name="scope"/>: a ticket outside it is not found.</summary>
    public async Task<(ChangeResult Result, Ticket? Ticket, string? Conflict)> ChangeAsync(
        string idOrNumber,
        Scope scope,
        Func<Ticket, Transition> change,
        Func<Ticket, Ticket, object> toEvent,
        CancellationToken cancellationToken = default)
    {
        return await database.WriteAsync<(ChangeResult, Ticket?, string?)>(async t =>
        {
            var ticket = await FindInAsync(t.Connection!, t, idOrNumber);
            if (ticket is null || !scope.Allows(ticket.Contract, ticket.SiteCode))
            {
                return (ChangeResult.NotFound, null, null);
            }

            var transition = change(ticket);
            if (transition.Ticket is null || transition.Entry is null)
            {
                return (transition.Forbidden ? ChangeResult.Forbidden : ChangeResult.Conflict, ticket, transition.Conflict);
            }

            var changed = transition.Ticket;
            if (await t.ExecuteAsync(sql.Update, Parameters(changed)) == 0)
            {
                return (ChangeResult.Conflict, ticket, L10n.Of($"工单 {ticket.Number} 刚被他人修改；请重新读取后再试。", $"Ticket {ticket.Number} was changed meanwhile; read it again and retry."));
            }

            await AddTimelineAsync(t, transition.Entry);
            await outbox.AddAsync(t, toEvent(ticket, changed));
            return (ChangeResult.Changed, changed, null);
        }, cancellationToken);
    }

    public Task<Ticket?> FindAsync(string idOrNumber, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => FindInAsync(c, null, idOrNumber), cancellationToken);

    /// <summary>The ticket, when it is in <paramref name="scope"/>; null for an unknown ticket and one outside alike.</summary>
    public async Task<Ticket?> FindAsync(string idOrNumber, Scope scope, CancellationToken cancellationToken = default) =>
        await FindAsync(idOrNumber, cancellationToken) is { } ticket && scope.Allows(ticket.Contract, ticket.SiteCode) ? ticket : null;

    public async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(Guid ticketId, CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => c.QueryAsync<TimelineEntry>(sql.Timeline, new { Id = ticketId }), cancellationToken)).AsList();

    /// <summary>The tickets of the filter that lie in <paramref name="scope"/>.</summary>
    public async Task<(IReadOnlyList<Ticket> Tickets, long Total)> ListAsync(TicketFilter filter, Scope scope, CancellationToken cancellationToken = default)
    {
        var parameters = FilterParameters(filter, scope);
        return await database.ReadAsync(async c =>
        {
            var total = await c.ExecuteScalarAsync<long>(sql.Count, parameters);
            var tickets = (await c.QueryAsync<Ticket>(sql.Page, parameters)).Select(Decrypted).ToList();
            return ((IReadOnlyList<Ticket>)tickets, total);
        }, cancellationToken);
    }

    /// <summary>
    /// Every ticket of the filter in <paramref name="scope"/>, in the list's order and without its paging, read from the
    /// database one row at a time as the caller takes them: an export of 100,000 tickets never holds them all.
    /// </summary>
    public async IAsyncEnumerable<Ticket> ExportAsync(TicketFilter filter, Scope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await foreach (var ticket in connection.QueryUnbufferedAsync<Ticket>(sql.Export, FilterParameters(filter, scope)).WithCancellation(cancellationToken))
        {
            yield return Decrypted(ticket);
        }
    }

    /// <summary>
    /// A contract's tickets reported in [<paramref name="from"/>, <paramref name="to"/>) with their timelines, first reported
    /// first: read row by row, the timelines fetched for a few hundred tickets at a time, so a year is never held in memory.
    /// </summary>
    public async IAsyncEnumerable<(Ticket Ticket, IReadOnlyList<TimelineEntry> Timeline)> YearAsync(
        string contract, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const int Batch = 500;
        await using var tickets = await database.OpenAsync(cancellationToken);
        await using var timelines = await database.OpenAsync(cancellationToken);
        var batch = new List<Ticket>(Batch);
        await foreach (var ticket in tickets.QueryUnbufferedAsync<Ticket>(sql.OfYear, new { Contract = contract, From = from, To = to }).WithCancellation(cancellationToken))
        {
            batch.Add(Decrypted(ticket));
            if (batch.Count == Batch)
            {
                foreach (var item in await WithTimelinesAsync(timelines, batch))
                {
                    yield return item;
                }

                batch.Clear();
            }
        }

        foreach (var item in await WithTimelinesAsync(timelines, batch))
        {
            yield return item;
        }
    }

    /// <summary>The batch with each ticket's timeline up to the ticket's version as read (a change made meanwhile belongs to the next archive).</summary>
    private async Task<List<(Ticket, IReadOnlyList<TimelineEntry>)>> WithTimelinesAsync(DbConnection connection, List<Ticket> batch)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        var entries = (await connection.QueryAsync<TimelineEntry>(sql.TimelinesOf, new { Ids = sql.Ids(batch.Select(t => t.Id)) }))
            .ToLookup(e => e.TicketId);
        return [.. batch.Select(t => (t, (IReadOnlyList<TimelineEntry>)[.. entries[t.Id].Where(e => e.Version <= t.Version)]))];
    }

    private static DynamicParameters FilterParameters(TicketFilter filter, Scope scope) =>
        scope.AddTo(new DynamicParameters(new
        {
            Status = filter.Status?.ToString().ToLowerInvariant(),
            filter.SiteCode,
            Severity = filter.Severity?.ToString().ToLowerInvariant(),
            Kind = filter.Kind?.ToString().ToLowerInvariant(),
            filter.From,
            filter.To,
            filter.AcknowledgedById,
            filter.Limit,
            filter.Offset,
        }));

    private async Task<Ticket?> FindInAsync(DbConnection connection, DbTransaction? transaction, string idOrNumber) =>
        (Guid.TryParse(idOrNumber, out var id)
            ? await connection.QuerySingleOrDefaultAsync<Ticket>(sql.ById, new { Id = id }, transaction)
            : await connection.QuerySingleOrDefaultAsync<Ticket>(sql.ByNumber, new { Number = idOrNumber.Trim().ToUpperInvariant() }, transaction)) is { } stored
            ? Decrypted(stored)
            : null;

    /// <summary>The ticket with its reporter's phone readable; the database holds it encrypted.</summary>
    private Ticket Decrypted(Ticket stored) => stored with { ReporterPhone = phones.Decrypt(stored.Id, stored.ReporterPhone) };

    /// <summary>The evidence chain of every ticket's timeline.</summary>
    public const string TimelineChain = "ticket-timeline";

    /// <summary>Seals the entry into the timeline chain and stores it.</summary>
    private async Task AddTimelineAsync(DbTransaction t, TimelineEntry entry)
    {
        entry = entry with { At = StoredTime.Of(database.Provider, entry.At) }; // sealed as stored
        var link = await evidence.LinkAsync(t, TimelineChain, entry.Content());
        await t.ExecuteAsync(sql.InsertTimelineEntry, entry with { ChainSeq = link.Seq, PrevHash = link.PrevHash, Hash = link.Hash });
    }

    private static object Parameters(Ticket t) => new
    {
        t.Id,
        t.Number,
        t.Version,
        t.Contract,
        Kind = t.Kind.ToString().ToLowerInvariant(),
        Severity = t.Severity?.ToString().ToLowerInvariant() ?? "", // a request has none; the column needs a value
        t.Grade,
        Status = t.Status.ToString().ToLowerInvariant(),
        t.Channel,
        t.SiteCode,
        t.System,
        t.Title,
        t.Description,
        t.ReporterName,
        t.ReporterPhone,
        t.ReportedAt,
        t.AcknowledgedAt,
        t.AcknowledgedBy,
        t.AcknowledgedById,
        t.ResolvedAt,
        t.ResolvedBy,
        t.ResolvedById,
        t.Resolution,
        t.ExternalRef,
        t.Reopens,
        t.TimeResolvedMs,
        t.PauseRequestedAt,
        t.PauseRequestedBy,
        t.PauseRequestedById,
        t.PauseReason,
        t.PausedAt,
        t.PausesJson,
        t.CreatedAt,
        t.UpdatedAt,
    };
}
