using Ops.Hosting.Archive;
using Ops.Hosting.Http.Exports;
using Ops.Tickets.Intake;
using Ops.Tickets.Lifecycle;
using Ops.Tickets.Queries;
using Ops.Tickets.Storage;

namespace Ops.Tickets.Archive;

/// <summary>
/// The tickets' part of the yearly archive: every ticket of the contract reported in the service year with its timeline
/// (<c>tickets/tickets.jsonl</c>, times in UTC), the same tickets as the ticket export's columns (<c>tickets/tickets.csv</c>)
/// and their timelines one entry a row (<c>tickets/timeline.csv</c>). Phones are masked: archives are read by many.
/// </summary>
public sealed class TicketArchive(TicketStore store, ContractCatalog contracts) : IArchivePart
{
    public const string Tickets = "tickets/tickets.jsonl";
    public const string TicketsCsv = "tickets/tickets.csv";
    public const string TimelineCsv = "tickets/timeline.csv";

    public string Service => "tickets";

    public string Folder => "tickets/";

    public Task<IReadOnlyList<string>> FilesAsync(ServiceYear year, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([Tickets, TicketsCsv, TimelineCsv]);

    public bool Offers(string file) => file is Tickets or TicketsCsv or TimelineCsv;

    public Task WriteAsync(string file, ServiceYear year, Stream stream, CancellationToken cancellationToken) => file switch
    {
        Tickets => ArchiveJson.WriteLinesAsync(stream, Year(year, cancellationToken).Select(t => TicketView.Of(t.Ticket, t.Timeline, fullPhone: false)), cancellationToken),
        TicketsCsv => ExportFile.WriteAsync(stream, ExportFormat.Csv, TicketExport.Columns(contracts), Year(year, cancellationToken).Select(t => t.Ticket), cancellationToken),
        TimelineCsv => ExportFile.WriteAsync(stream, ExportFormat.Csv, TimelineColumns, Year(year, cancellationToken).SelectMany(t => t.Timeline.Select(e => (t.Ticket, e)).ToAsyncEnumerable()), cancellationToken),
        _ => throw new ArgumentException($"The tickets' part has no file {file}.", nameof(file)),
    };

    /// <summary>A timeline entry a row, with the ticket people know it by.</summary>
    private static readonly IReadOnlyList<ExportColumn<(Ticket Ticket, TimelineEntry Entry)>> TimelineColumns =
    [
        new("工单号", r => r.Ticket.Number, Width: 16),
        new("版本", r => r.Entry.Version, ExportKind.Number, Width: 6),
        new("时间", r => r.Entry.At, ExportKind.Time),
        new("动作", r => r.Entry.Action, Width: 14),
        new("操作人", r => r.Entry.Actor, Width: 14),
        new("操作人标识", r => r.Entry.ActorId, Width: 20),
        new("说明", r => r.Entry.Detail, Width: 60),
    ];

    private IAsyncEnumerable<(Ticket Ticket, IReadOnlyList<TimelineEntry> Timeline)> Year(ServiceYear year, CancellationToken cancellationToken) =>
        store.YearAsync(year.Contract, year.From, year.To, cancellationToken);
}
