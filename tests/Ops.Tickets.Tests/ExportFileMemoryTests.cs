using Ops.Hosting.Http.Exports;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// An export is written through small buffers: a large array for each part of a file, in every export, would each
/// bring a full collection nearer. No service runs beside these tests, so the large objects counted are the writer's.
/// </summary>
public class ExportFileMemoryTests
{
    [TestCase(ExportFormat.Csv)]
    [TestCase(ExportFormat.Xlsx)]
    public async Task TheWriter_PutsNothingOnTheLargeObjectHeap(ExportFormat format)
    {
        ExportColumn<int>[] columns = [new("序号", r => r, ExportKind.Number), new("文字", r => $"第 {r} 行")];
        var rows = Enumerable.Range(0, 500).ToArray();
        await ExportFile.WriteAsync(Stream.Null, format, columns, rows.ToAsyncEnumerable()); // once first: the writer's one-off set-up

        var large = await LargeObjectAllocations.OfAsync(() => ExportFile.WriteAsync(Stream.Null, format, columns, rows.ToAsyncEnumerable()));

        Assert.That(large, Is.Empty);
    }
}
