using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Ops.Hosting.Audit;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;
using Ops.Scoring.Assessment;

namespace Ops.Scoring.Reports;

/// <summary>
/// Generates reports and keeps every version. A report's figures are built and its workbook written outside the
/// write; the write stores a new version only when the figures differ from the newest version's (their JSON, which
/// carries a digest of the ticket list, not the workbook's bytes, which change with the zip and spreadsheet libraries),
/// and seals it into the <see cref="Chain"/> evidence chain in the same transaction.
/// </summary>
public sealed class ReportStore(Database database, EvidenceChain evidence, ReportBuilder builder, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>The evidence chain of the stored reports.</summary>
    public const string Chain = "reports";

    /// <summary>Who the schedule generates reports as.</summary>
    public static readonly Actor System = new("service:scoring", "系统");

    /// <summary>How often a write that lost the race for a version number looks again (another instance stored it meanwhile).</summary>
    private const int Attempts = 3;

    private readonly ReportStoreSql sql = ReportStoreSql.For(database.Provider);

    /// <summary>
    /// Generates the report of <paramref name="period"/> for the contract, or for one <paramref name="siteCode"/>, as of
    /// <paramref name="now"/>. Answers the newest stored version, not a new one, when its figures are the same
    /// (<c>Created</c> false); with <paramref name="unlessClosed"/>, also when a version made after the period ended exists.
    /// </summary>
    public async Task<(Report Report, bool Created)> GenerateAsync(
        ContractTerms terms, ReportPeriod period, string? siteCode, Actor by, DateTimeOffset now, bool unlessClosed = false, CancellationToken cancellationToken = default)
    {
        // The times of the report as the store keeps them, so that the report read back has the content it was sealed with.
        now = StoredTime.Of(database.Provider, now);
        var site = siteCode ?? "";
        var key = new { Contract = terms.Code, Kind = Report.KindName(period.Kind), Period = period.Key, SiteCode = site };
        if (unlessClosed && await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Report>(sql.NewestClosed, key), cancellationToken) is { } closed)
        {
            return (closed, false);
        }

        var figures = await builder.BuildAsync(terms, period, siteCode, now, cancellationToken);
        // The workbook (the longest step) is written on a second core while the figures are hashed and serialized.
        var writing = Task.Run(() =>
        {
            using var stream = new MemoryStream();
            ReportWorkbook.Write(figures, stream);
            return stream.ToArray();
        }, cancellationToken);
        figures = figures with { TicketsSha256 = TicketsDigest(figures.Tickets) };
        var figuresJson = JsonSerializer.Serialize(figures, json.Value.SerializerOptions);
        var workbook = await writing;

        var report = new Report
        {
            Id = Guid.CreateVersion7(now),
            Contract = terms.Code,
            Kind = period.Kind,
            Period = period.Key,
            SiteCode = site,
            Version = 0,
            InProgress = figures.InProgress,
            PeriodFrom = period.From,
            PeriodTo = period.To,
            AsOf = figures.AsOf,
            GeneratedAt = now,
            GeneratedBy = by.Name,
            GeneratedById = by.Id,
            Sha256 = Report.Digest(workbook),
            Bytes = workbook.LongLength,
            Figures = figuresJson,
            Workbook = workbook,
        };

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await database.WriteAsync<(Report, bool)>(async t =>
                {
                    if (unlessClosed && await t.QuerySingleOrDefaultAsync<Report>(sql.NewestClosed, key) is { } closedMeanwhile)
                    {
                        return (closedMeanwhile, false);
                    }

                    var newest = await t.QuerySingleOrDefaultAsync<Report>(sql.Newest, key);
                    if (newest is not null && (newest.Sha256 == report.Sha256 || await t.QuerySingleAsync<string>(sql.FiguresOf, new { newest.Id }) == report.Figures))
                    {
                        return (newest, false);
                    }

                    var stored = report with { Version = (newest?.Version ?? 0) + 1 };
                    var link = await evidence.LinkAsync(t, Chain, stored.Content());
                    stored = stored with { ChainSeq = link.Seq, PrevHash = link.PrevHash, Hash = link.Hash };
                    await t.ExecuteAsync(sql.Insert, Parameters(stored));
                    return (stored with { Figures = null, Workbook = null }, true);
                }, cancellationToken);
            }
            catch (Exception e) when (attempt < Attempts && database.Provider.IsUniqueViolation(e))
            {
                // Another instance stored this version first: the next look finds it (the same bytes) or stores the next.
            }
        }
    }

    /// <summary>The SHA-256 of the ticket list as JSON, written straight into the hash.</summary>
    private string TicketsDigest(IReadOnlyList<ReportTicket> tickets)
    {
        using var hash = new HashingStream(Stream.Null);
        JsonSerializer.Serialize(hash, tickets, json.Value.SerializerOptions);
        return hash.Digest();
    }

    /// <summary>A contract's reports in the caller's scope, of one kind or site if given; newest period first, then newest version.</summary>
    public async Task<IReadOnlyList<Report>> ListAsync(string contract, ReportKind? kind, string? siteCode, Scope scope, CancellationToken cancellationToken = default)
    {
        var parameters = scope.AddTo(new DynamicParameters(new { Contract = contract, Kind = kind is { } k ? Report.KindName(k) : null, SiteCode = siteCode }));
        return (await database.ReadAsync(c => c.QueryAsync<Report>(sql.List, parameters), cancellationToken)).AsList();
    }

    /// <summary>One report with its figures (JSON) or its workbook.</summary>
    public Task<Report?> FindAsync(Guid id, bool workbook, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Report>(workbook ? sql.WithWorkbook : sql.WithFigures, new { Id = id }), cancellationToken);

    /// <summary>The reports whose workbook has <paramref name="sha256"/>, the first made first.</summary>
    public async Task<IReadOnlyList<Report>> WithSha256Async(string sha256, CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => c.QueryAsync<Report>(sql.WithSha256, new { Sha256 = sha256 }), cancellationToken)).AsList();

    /// <summary>The (kind, period) pairs of a contract that already have a whole-contract report made after they ended.</summary>
    public async Task<IReadOnlySet<(ReportKind Kind, string Period)>> ClosedPeriodsAsync(string contract, CancellationToken cancellationToken = default)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<(string Kind, string Period)>(sql.ClosedWholeContract, new { Contract = contract }), cancellationToken);
        return rows.Select(r => (Enum.Parse<ReportKind>(r.Kind, ignoreCase: true), r.Period)).ToHashSet();
    }

    private static object Parameters(Report r) => new
    {
        r.Id,
        r.Contract,
        Kind = Report.KindName(r.Kind),
        r.Period,
        r.SiteCode,
        r.Version,
        r.InProgress,
        r.PeriodFrom,
        r.PeriodTo,
        r.AsOf,
        r.GeneratedAt,
        r.GeneratedBy,
        r.GeneratedById,
        r.Sha256,
        r.Bytes,
        r.Figures,
        r.Workbook,
        r.ChainSeq,
        r.PrevHash,
        r.Hash,
    };
}
