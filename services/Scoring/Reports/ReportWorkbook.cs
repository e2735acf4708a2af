namespace Ops.Scoring.Reports;

/// <summary>A report as an Excel workbook: sheets 概览, 超时明细, 扣分明细 and 工单明细; the same figures give the same bytes.</summary>
public static class ReportWorkbook
{
    public static void Write(ReportFigures figures, Stream output) => throw new NotImplementedException();
}
