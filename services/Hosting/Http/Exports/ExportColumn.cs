namespace Ops.Hosting.Http.Exports;

/// <summary>What a column holds, which decides how a CSV and a workbook write it.</summary>
public enum ExportKind
{
    /// <summary>Text as it is.</summary>
    Text,

    /// <summary>A time: in CSV as 2026-12-01 21:05 (Asia/Shanghai), in a workbook a real Excel date formatted <c>yyyy-mm-dd hh:mm</c>.</summary>
    Time,

    /// <summary>Yuan: in CSV a plain number with two decimals, in a workbook a number formatted <c>¥#,##0.00</c>.</summary>
    Money,

    /// <summary>A number (points, a count): in CSV as written, in a workbook a number formatted <c>0.00</c> or as given.</summary>
    Number,
}

/// <summary>One column of an export: its Chinese header, what it takes from a row, and what it holds.</summary>
/// <param name="Header">The header people read, e.g. 工单号.</param>
/// <param name="Value">The cell of a row: a string, a <see cref="DateTimeOffset"/> for a time, a decimal or an integer for money and numbers; null leaves it empty.</param>
/// <param name="Width">Its width in a workbook, in characters; by kind when left out.</param>
/// <param name="NumberFormat">A number's Excel format, e.g. <c>0.00</c> for points; a whole number when left out.</param>
public sealed record ExportColumn<T>(string Header, Func<T, object?> Value, ExportKind Kind = ExportKind.Text, double? Width = null, string? NumberFormat = null);
