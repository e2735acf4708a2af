using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ops.Tickets.Tests;

/// <summary>
/// A TCP proxy in front of PostgreSQL that loses the answer to one COMMIT: once armed, the first transaction that sends
/// <c>marker</c> commits on the server, and when the server's answer to its COMMIT arrives the proxy breaks the
/// client's connection instead of passing it on. The client sees its connection break under a COMMIT the server made.
/// </summary>
internal sealed class LostCommitAnswer : IAsyncDisposable
{
    private static readonly byte[] Commit = Encoding.ASCII.GetBytes("COMMIT\0");

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint server;
    private readonly byte[] marker;
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> connections = [];
    private readonly Task accepting;
    private int armed;

    public LostCommitAnswer(IPEndPoint server, string marker)
    {
        this.server = server;
        this.marker = Encoding.UTF8.GetBytes(marker);
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Completes when the proxy has broken a connection whose COMMIT the server answered.</summary>
    public TaskCompletionSource Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next transaction that sends the marker loses its COMMIT's answer.</summary>
    public void Arm() => Volatile.Write(ref armed, 1);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var upstream = new TcpClient();
            await upstream.ConnectAsync(server, stop.Token);
            lock (connections)
            {
                connections.AddRange([client, upstream]);
            }

            _ = RelayAsync(client, upstream);
        }
    }

    /// <summary>Passes bytes both ways for one connection; watches what the client sends for the marker, then its COMMIT.</summary>
    private async Task RelayAsync(TcpClient client, TcpClient upstream)
    {
        var committing = 0;
        var toServer = PumpAsync(client.GetStream(), upstream.GetStream(), new Watch(marker), chunk =>
        {
            if (chunk.SawMarker && Contains(chunk.Bytes, Commit) && Volatile.Read(ref armed) == 1)
            {
                Volatile.Write(ref committing, 1);
            }

            return true;
        });
        var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), null, chunk =>
        {
            // The server's CommandComplete for COMMIT: the transaction is durable, its answer never reaches the client.
            if (Volatile.Read(ref committing) == 1 && Contains(chunk.Bytes, Commit) && Interlocked.Exchange(ref armed, 0) == 1)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Close();
                upstream.Close();
                Lost.TrySetResult();
                return false;
            }

            return true;
        });
        await Task.WhenAny(toServer, toClient);
        client.Close();
        upstream.Close();
    }

    private readonly record struct Chunk(ReadOnlyMemory<byte> Bytes, bool SawMarker);

    /// <summary>Whether the marker has passed on this connection so far (across reads: the last bytes of each read are kept).</summary>
    private sealed class Watch(byte[] marker)
    {
        private byte[] tail = [];

        public bool Seen { get; private set; }

        public void Add(ReadOnlySpan<byte> bytes)
        {
            byte[] joined = [.. tail, .. bytes];
            Seen |= joined.AsSpan().IndexOf(marker) >= 0;
            tail = joined[Math.Max(0, joined.Length - marker.Length)..];
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, Watch? watch, Func<Chunk, bool> pass)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, stop.Token);
                if (read == 0)
                {
                    return;
                }

                watch?.Add(buffer.AsSpan(0, read));
                if (!pass(new Chunk(buffer.AsMemory(0, read), watch?.Seen ?? false)))
                {
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // the other side closed, or the proxy stops
        }
    }

    private static bool Contains(ReadOnlyMemory<byte> bytes, byte[] part) => bytes.Span.IndexOf(part) >= 0;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        lock (connections)
        {
            connections.ForEach(c => c.Dispose());
        }

        stop.Dispose();
    }
}
