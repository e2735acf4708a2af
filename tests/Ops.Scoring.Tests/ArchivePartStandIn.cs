using System.Net;
using System.Net.Http.Json;
using System.Text;
using Ops.Hosting.Archive;
using Ops.Testing;

namespace Ops.Scoring.Tests;

/// <summary>
/// Stands in for the tickets or the sla-timer service in scoring's archive tests: its part's listing and files, the
/// credentials and the service years each request carried, and on demand a file whose body stalls after its first bytes.
/// </summary>
internal sealed class ArchivePartStandIn(string service, string chain, Dictionary<string, string> files) : HttpMessageHandler
{
    private readonly Dictionary<string, TaskCompletionSource> stalls = [];

    public Dictionary<string, string> Files { get; } = files;

    public List<string> Authorizations { get; } = [];

    /// <summary>The <c>year</c> of every request, in order.</summary>
    public List<string> Years { get; } = [];

    public bool Down { get; set; }

    /// <summary>Makes <paramref name="file"/> send its first line, then nothing; the task completes once scoring waits for more.</summary>
    public Task Stall(string file)
    {
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stalls[file] = stalled;
        return stalled.Task;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Down)
        {
            throw new HttpRequestException("Connection refused");
        }

        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        lock (Authorizations)
        {
            Authorizations.Add(request.Headers.Authorization?.ToString() ?? "");
            Years.Add(query["year"] ?? "");
        }

        Assert.That(query["contract"], Is.EqualTo(Seed.Contract));
        var name = query["name"] ?? "";
        return Task.FromResult(request.RequestUri!.AbsolutePath switch
        {
            "/api/archive/part" => new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(new ArchivePartListing(service, [new ArchiveChainHead(service, chain, 3, new string('a', 64))], [.. Files.Keys])),
            },
            "/api/archive/part/file" when stalls.TryGetValue(name, out var stalled) && Files.TryGetValue(name, out var text) =>
                new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream(Encoding.UTF8.GetBytes(text.Split('\n')[0] + "\n"), stalled)) },
            "/api/archive/part/file" when Files.TryGetValue(name, out var text) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(text, new UTF8Encoding(false)) },
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        });
    }

    /// <summary>A body that sends its first bytes and then nothing, until the reader gives up waiting.</summary>
    private sealed class StallingStream(byte[] first, TaskCompletionSource stalled) : Stream
    {
        private bool sent;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!sent)
            {
                sent = true;
                first.CopyTo(buffer);
                return first.Length;
            }

            stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The stand-in's body is read asynchronously.");
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
