using System.Globalization;
using MiniExcelLibs;

namespace Ops.Hosting.Http.Exports;

/// <summary>
/// The rows of an export as MiniExcel reads them: one row at a time from the database's reader, each cell as its
/// format writes it. A reader (rather than a list or dictionaries) gives the header row even when no row matches.
/// </summary>
internal sealed class ExportRows<T>(IReadOnlyList<ExportColumn<T>> columns, IAsyncEnumerable<T> rows, ExportFormat format, CancellationToken cancellationToken)
    : MiniExcelDataReaderBase
{
    private readonly IAsyncEnumerator<T> enumerator = rows.GetAsyncEnumerator(cancellationToken);
    private T current = default!;

    /// <summary>How many rows were written.</summary>
    public long Count { get; private set; }

    public override int FieldCount => columns.Count;

    public override string GetName(int i) => columns[i].Header;

    public override object GetValue(int i)
    {
        var column = columns[i];
        var value = column.Value(current);
        return (value, column.Kind, format) switch
        {
            (null, _, _) => null!,
            (DateTimeOffset time, ExportKind.Time, ExportFormat.Csv) => ShanghaiTimeConverter.ToShanghai(time).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            (DateTimeOffset time, ExportKind.Time, _) => ShanghaiTimeConverter.ToShanghai(time).DateTime, // the wall-clock time in Shanghai, which Excel shows as it is
            (decimal money, ExportKind.Money, ExportFormat.Csv) => money.ToString("0.00", CultureInfo.InvariantCulture),
            (IFormattable number, ExportKind.Number, ExportFormat.Csv) => number.ToString(null, CultureInfo.InvariantCulture),
            (string text, _, ExportFormat.Csv) => Neutralised(text),
            _ => value,
        };
    }

    public override bool Read() => throw new NotSupportedException("Export rows are read asynchronously.");

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!await enumerator.MoveNextAsync())
        {
            return false;
        }

        current = enumerator.Current;
        Count++;
        return true;
    }

    public override ValueTask DisposeAsync() => enumerator.DisposeAsync();

    /// <summary>
    /// Text a spreadsheet would take for a formula (=, +, -, @, a tab or CR first) gets a leading apostrophe: a
    /// reporter's title must never run as a formula on the desk that opens the file (CSV injection).
    /// </summary>
    private static string Neutralised(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
