using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.Csv;
using MiniExcelLibs.OpenXml;

namespace Ops.Hosting.Http.Exports;

/// <summary>
/// An export written straight to the response as its rows are read: CSV (UTF-8 with a byte-order mark, RFC 4180
/// quoting, CRLF) or an XLSX workbook (Chinese headers, the header row frozen, times as Excel dates in Shanghai,
/// money as numbers formatted <c>¥#,##0.00</c>). Never cached (no-store): the file holds what only its caller may see.
/// </summary>
public sealed class ExportFile : IResult, IEndpointMetadataProvider
{
    public const string TimeFormat = "yyyy-mm-dd hh:mm";
    /// <summary>Shows ¥25,756.80. The yen sign is escaped: MiniExcel drops a format it cannot parse, and it parses no bare ¥ (Excel reads both alike).</summary>
    public const string MoneyFormat = "\\¥#,##0.00";

    /// <summary>
    /// The characters a MiniExcel writer buffers (its default is 512 K, a 1 MB and a 1.5 MB array for each part of a
    /// workbook): 16 K keeps both arrays under the large-object heap's 85,000 bytes, so a file written leaves no
    /// full collection behind it.
    /// </summary>
    public const int WriterBufferChars = 16 * 1024;

    private readonly Func<Stream, CancellationToken, Task<long>> write;

    private ExportFile(string fileName, ExportFormat format, Func<Stream, CancellationToken, Task<long>> write)
    {
        FileName = fileName;
        Format = format;
        this.write = write;
    }

    /// <summary>The file name the browser saves it as, e.g. 工单-OTQ-2026-OPS-20261202.csv.</summary>
    public string FileName { get; }

    public ExportFormat Format { get; }

    /// <summary>An export of <paramref name="rows"/>, named <paramref name="name"/> and the format's extension.</summary>
    public static ExportFile Of<T>(string name, ExportFormat format, IReadOnlyList<ExportColumn<T>> columns, IAsyncEnumerable<T> rows) =>
        new($"{name}.{format.Extension()}", format, (stream, cancellationToken) => WriteAsync(stream, format, columns, rows, cancellationToken));

    /// <summary>Writes <paramref name="rows"/> to <paramref name="stream"/> as <paramref name="format"/>; returns how many rows were written.</summary>
    public static async Task<long> WriteAsync<T>(Stream stream, ExportFormat format, IReadOnlyList<ExportColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken cancellationToken = default)
    {
        await using var reader = new ExportRows<T>(columns, rows, format, cancellationToken);
        if (format == ExportFormat.Csv)
        {
            // MiniExcel's CSV meets RFC 4180 as it is: a field with a comma, a quote, CR or LF is quoted, quotes doubled, CRLF between rows.
            var csv = new CsvConfiguration
            {
                QuoteWhitespaces = false,
                StreamWriterFunc = s => new StreamWriter(s, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), WriterBufferChars),
            };
            await stream.SaveAsAsync(reader, printHeader: true, excelType: ExcelType.CSV, configuration: csv, cancellationToken: cancellationToken);
        }
        else
        {
            var workbook = new OpenXmlConfiguration
            {
                FreezeRowCount = 1,
                AutoFilter = false, // its range would be written after the rows; a filter is one click in Excel
                TableStyles = TableStyles.None,
                EnableSharedStringCache = false,
                BufferSize = WriterBufferChars,
                DynamicColumns = [.. columns.Select(Column)],
            };
            await stream.SaveAsAsync(reader, printHeader: true, sheetName: "导出", excelType: ExcelType.XLSX, configuration: workbook, cancellationToken: cancellationToken);
        }

        return reader.Count;
    }

    private static DynamicExcelColumn Column<T>(ExportColumn<T> column) => new(column.Header)
    {
        Format = column.Kind switch
        {
            ExportKind.Time => TimeFormat,
            ExportKind.Money => MoneyFormat,
            ExportKind.Number => column.NumberFormat ?? "0",
            _ => null,
        },
        Width = column.Width ?? column.Kind switch
        {
            ExportKind.Time => 17,
            ExportKind.Money => 14,
            ExportKind.Number => 10,
            _ => 16,
        },
    };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(FileName); // an ASCII filename and the Chinese one as filename* (RFC 5987)
        response.ContentType = Format.ContentType();
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "no-store";
        var body = new AsyncOnlyStream(response.Body);
        await write(body, httpContext.RequestAborted);
        await body.FlushAsync(httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(byte[]),
            ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]));
}
