using System.Net;
using System.Text;
using Ops.Console.Services;

// Outside Ops.Console.Tests: the desk's service over a stub answer, so no broker, service or browser is started for it.
namespace Ops.Console.DeskTests;

/// <summary>
/// When the tickets service's store refuses a report (503), the desk says why on the form, which keeps its key: a
/// report whose outcome is unknown is sent again with the same key and files the call at most once.
/// </summary>
public class DeskStoreFaultTests
{
    private static readonly DeskReport Call = new("phone", "fault", "severe", null, "OTQ", "综合一窗受理平台", "综窗无法出件", null, "李女士", "13812345678");

    [Test]
    public async Task AReportWhoseOutcomeIsUnknown_AsksToSendTheSameFormAgain()
    {
        var outcome = await ReportAsync("""{"status":503,"title":"与数据库的连接中断或超时，无法确认本次请求是否已保存。","detail":"本次请求可能已经保存，也可能没有。请用相同的 Idempotency-Key 重新提交。","storeFault":"unavailable","outcome":"unknown"}""");

        Assert.That(outcome.Number, Is.Null);
        Assert.That(outcome.FiledEarlier, Is.Null, "the form keeps its key");
        Assert.That(outcome.Refusal, Is.EqualTo(DeskService.OutcomeUnknown));
        Assert.That(outcome.Refusal, Does.Contain("无法确认").And.Contain("再点一次").And.Contain("不会重复登记"));
    }

    [Test]
    public async Task AReportTheStoreRefusedWhole_SaysSoInTheServicesWords()
    {
        var outcome = await ReportAsync("""{"status":503,"title":"数据库暂时无法保存，请稍后重试。","detail":"数据库正被其他操作锁定或响应超时，本次请求没有保存任何内容。请稍后重试。","storeFault":"locked","outcome":"notStored"}""");

        Assert.That(outcome.Number, Is.Null);
        Assert.That(outcome.FiledEarlier, Is.Null);
        Assert.That(outcome.Refusal, Is.EqualTo("数据库正被其他操作锁定或响应超时，本次请求没有保存任何内容。请稍后重试。"));
    }

    private static async Task<DeskOutcome> ReportAsync(string problem)
    {
        using var http = new HttpClient(new Answer(problem)) { BaseAddress = new Uri("http://tickets.test/") };
        return await new DeskService(http).ReportAsync(Call, "desk-0123456789abcdef0123456789abcdef");
    }

    /// <summary>The tickets service answering every request with this 503 problem.</summary>
    private sealed class Answer(string problem) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent(problem, Encoding.UTF8, "application/problem+json"),
                RequestMessage = request,
            });
    }
}
