using System.Threading.Channels;

namespace Ops.Hosting.Storage;

/// <summary>
/// Wakes a background worker that drains a table (the outbox, the notices owed) when its database has
/// committed something since it last looked, or after at most a poll interval, whichever comes first.
/// </summary>
public sealed class CommitSignal
{
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public CommitSignal(Database database) => database.Committed += () => wake.Writer.TryWrite(true);

    /// <summary>Returns at the next commit (or at once when one came since the last wait), at the latest after <paramref name="atMost"/>.</summary>
    public async Task WaitAsync(TimeSpan atMost, CancellationToken stoppingToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        poll.CancelAfter(atMost);
        try
        {
            await wake.Reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // nothing committed meanwhile: look anyway
        }
    }
}
