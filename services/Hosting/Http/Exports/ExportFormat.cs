namespace Ops.Hosting.Http.Exports;

/// <summary>What an export is written as: <c>format=csv|xlsx</c>.</summary>
public enum ExportFormat
{
    /// <summary>UTF-8 with a byte-order mark, so Excel shows Chinese; RFC 4180 quoting; CRLF line ends.</summary>
    Csv,

    /// <summary>An Excel workbook: one sheet, the header row frozen, real dates and money formats.</summary>
    Xlsx,
}

/// <summary>Reads <c>format</c>: csv when left out, so a plain link downloads something Excel opens.</summary>
public static class ExportFormats
{
    public static ExportFormat Parse(string? value, ValidationErrors errors) =>
        QueryValues.Choice<ExportFormat>(value, "format", errors) ?? ExportFormat.Csv;

    public static string Extension(this ExportFormat format) => format == ExportFormat.Csv ? "csv" : "xlsx";

    public static string ContentType(this ExportFormat format) => format == ExportFormat.Csv
        ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
