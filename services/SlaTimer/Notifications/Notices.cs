using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Ops.Contracts.Sla;
using Ops.Hosting.Http;
using Ops.Hosting.Messaging;
using Ops.Hosting.Storage;
using Ops.SlaTimer.Clocks;
using Ops.SlaTimer.OnCall;
using Ops.SlaTimer.Storage;
using Ops.SlaTimer.WeCom;

namespace Ops.SlaTimer.Notifications;

/// <summary>
/// Tells the contract's escalation chain of one warning or breach: each level from its stage on, once per
/// clock, stage and level, and records what became of each notice. A level that cannot be reached is
/// recorded as failed (and shows in readiness); it holds up neither the other levels nor the other notices.
/// A level that targets the rota names the engineer on duty when the stage was reached; when the rota names
/// nobody, the next level is told instead and the record says why. When the contract has a WeCom app, the
/// engineer on duty gets its card with 确认响应 in place of the robot's message for a response clock; the robot
/// speaks instead when the card cannot be sent, and the record says why. Once a ticket is acknowledged, its
/// response clock's notices are no longer sent.
/// </summary>
public sealed class Notifier(
    EscalationBook escalation,
    ContractTargets targets,
    NotificationStore store,
    NotificationSender sender,
    ClockStore clocks,
    IOptions<ConsoleLinkOptions> console,
    TimeProvider time,
    ILogger<Notifier> logger,
    NoticeMetrics metrics,
    IDutyRoster? roster = null,
    WeComAppSender? cards = null)
{
    public async Task NotifyAsync(Notice notice, CancellationToken cancellationToken)
    {
        var ticket = await clocks.NoticeFactsAsync(notice.Clock.ClockId, cancellationToken);
        if (!notice.IsBreach && notice.Clock.Clock == ClockKind.Response && ticket?.StoppedAt is not null)
        {
            // Acknowledged since the warning was owed: nobody needs to be urged to respond any more. A breach is still told.
            logger.LogInformation("{Ticket} was acknowledged: its response notice of stage {Stage} is not sent", notice.Clock.TicketNumber, notice.Stage);
            return;
        }

        notice = notice with
        {
            GradeName = GradeName(notice.Clock),
            TicketTitle = ticket?.Title,
            Link = console.Value.TicketLink(notice.Clock.TicketNumber),
            At = time.GetUtcNow(),
        };
        var chain = escalation.For(notice.Clock.Contract);
        var levels = chain.At(notice.Stage).ToList();
        await Task.WhenAll(levels.Select(level => TellAsync(chain, level, notice, null, cancellationToken)));
    }

    private async Task TellAsync(EscalationChain chain, EscalationLevel level, Notice notice, string? reason, CancellationToken cancellationToken)
    {
        var notification = new Notification
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            ClockId = notice.Clock.ClockId,
            TicketNumber = notice.Clock.TicketNumber,
            Contract = notice.Clock.Contract,
            Clock = notice.Clock.Clock.ToString().ToLowerInvariant(),
            Stage = notice.Stage,
            Level = level.Name,
            Channel = level.Channel,
            Status = NotificationStatus.Sending,
            Attempts = 0,
            Reason = reason,
            CreatedAt = time.GetUtcNow(),
        };

        DutyEngineer? engineer = null;
        if (level.OnCall is { } layer)
        {
            var moment = StageMoment(notice);
            engineer = roster is null ? null : (await roster.OnDutyAsync(notice.Clock.Contract, layer, moment, cancellationToken))?.Engineer;
            if (engineer is null)
            {
                await ForwardAsync(chain, level, layer, moment, notice, notification, cancellationToken);
                return;
            }
        }

        if (!await store.ClaimAsync(notification with { Engineer = engineer?.Name }, cancellationToken))
        {
            return;
        }

        var card = engineer is not null ? await CardAsync(notice, engineer, cancellationToken) : null;
        if (card is { Sent: true })
        {
            await store.FinishAsync(notification.Id, NotificationStatus.Sent, 1, null, time.GetUtcNow(), cancellationToken, Joined(reason, card.Value.Why));
            return;
        }

        var (attempts, error) = await sender.SendAsync(level, notice with { Engineer = engineer }, cancellationToken);
        if (error is not null)
        {
            logger.LogWarning("Could not tell {Level} over {Channel} of {Ticket} ({Clock}, stage {Stage}) in {Attempts} calls: {Error}",
                level.Name, level.Channel, notice.Clock.TicketNumber, notice.Clock.Clock, notice.Stage, attempts, error);
        }

        await store.FinishAsync(notification.Id, error is null ? NotificationStatus.Sent : NotificationStatus.Failed, attempts, error, time.GetUtcNow(), cancellationToken,
            card is { } fallback ? Joined(reason, fallback.Why) : null);
        if (error is not null)
        {
            metrics.Failed();
        }
    }

    /// <summary>
    /// The WeCom app's card to the engineer on duty, for a response clock of a contract that has an app (only a response
    /// can be acknowledged with its button); null when no card is due, else whether it went and, in Chinese, how or why not.
    /// </summary>
    private async Task<(bool Sent, string Why)?> CardAsync(Notice notice, DutyEngineer engineer, CancellationToken cancellationToken)
    {
        if (cards is null || notice.Clock.Clock != ClockKind.Response || !cards.Configured(notice.Clock.Contract))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(engineer.WeComUserId))
        {
            return (false, $"{engineer.Name}在值班表中没有企业微信 UserID，改由机器人通知");
        }

        if (notice.Link is null)
        {
            return (false, "未设置控制台地址（Console__PublicUrl），企业微信卡片无从链接工单，改由机器人通知");
        }

        try
        {
            var taskId = await cards.SendCardAsync(notice.Clock.Contract, engineer, notice.Clock, new Uri(notice.Link), cancellationToken);
            return (true, $"已经企业微信应用卡片发给{engineer.Name}（{taskId}）");
        }
        catch (Exception e) when (e is WeComApiException or HttpRequestException or JsonException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("The WeCom card of {Ticket} could not be sent to {Engineer}; the robot speaks instead: {Error}", notice.Clock.TicketNumber, engineer.Name, e.Message);
            return (false, $"企业微信应用卡片未能发出（{e.Message}），改由机器人通知");
        }
    }

    private static string Joined(string? first, string second) => first is null ? second : $"{first}；{second}";

    /// <summary>The rota names nobody: the level is skipped, and the next level told in its place; with none left, the notice failed.</summary>
    private async Task ForwardAsync(EscalationChain chain, EscalationLevel level, DutyLayer layer, DateTimeOffset moment, Notice notice, Notification notification, CancellationToken cancellationToken)
    {
        var why = $"{ShanghaiTimeConverter.ToShanghai(moment).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}（北京时间）值班表{LayerName(layer)}无人值班";
        var next = chain.After(level);
        var skipped = next is null
            ? notification with { Status = NotificationStatus.Failed, Error = $"{why}，且没有下一级可以转告", Reason = why, FinishedAt = time.GetUtcNow() }
            : notification with { Status = NotificationStatus.Skipped, Reason = $"{why}，已转告下一级“{next.Name}”", FinishedAt = time.GetUtcNow() };
        if (!await store.ClaimAsync(skipped, cancellationToken))
        {
            return;
        }

        logger.LogWarning("Nobody is on duty as {Layer} of {Contract} at {Moment}: {Level} is skipped for {Next}", layer, notice.Clock.Contract, moment, level.Name, next?.Name ?? "nobody");
        if (next is not null)
        {
            await TellAsync(chain, next, notice, $"代“{level.Name}”：{why}", cancellationToken);
        }
        else
        {
            metrics.Failed();
        }
    }

    private static string LayerName(DutyLayer layer) => layer == DutyLayer.Primary ? "主班" : "副班";

    /// <summary>When the stage was reached: the deadline for the breach, the warning point for a warning.</summary>
    private DateTimeOffset StageMoment(Notice notice) => notice.IsBreach
        ? notice.Clock.Deadline
        : targets.For(notice.Clock.Contract).Moment(notice.Clock.StartedAt, new Promise(notice.Clock.Target, notice.Clock.Calendar), notice.Clock.Excluded, notice.Stage);

    /// <summary>The name the contract gives a request's grade (normal → 一般), so the notice reads in Chinese.</summary>
    private string? GradeName(ClockFacts clock) =>
        clock.Grade is { } code && targets.For(clock.Contract).Requests.Grades.TryGetValue(code, out var grade) && !string.IsNullOrWhiteSpace(grade.Name)
            ? grade.Name
            : null;
}

/// <summary>
/// The notices owed to the escalation chains (<c>pending_notices</c>). The sla-timer writes one in the same
/// transaction as the warning or breach that causes it, when the contract's chain has a level for that
/// stage; <see cref="NoticeDispatcher"/> sends it. Notices thus go out whether or not the broker is up, and
/// without a round trip through it.
/// </summary>
public sealed class PendingNotices(Database database, EscalationBook escalation)
{
    private readonly PendingNoticeSql sql = PendingNoticeSql.For(database.Provider);

    public sealed record Pending(long Id, Notice Notice);

    private sealed record Row
    {
        public long Id { get; init; }
        public int Stage { get; init; }
        public string Clock { get; init; } = "";
    }

    /// <summary>Owes the chain a notice of <paramref name="clock"/> at <paramref name="stage"/> (a warning point, or 100 for the breach).</summary>
    public Task AddAsync(DbTransaction transaction, ClockFacts clock, int stage) => AddAllAsync(transaction, [new Notice(clock, stage)]);

    /// <summary>
    /// Owes the notices whose contract's chain has a level for their stage, with one statement prepared once
    /// (a scan may breach hundreds of clocks).
    /// </summary>
    public Task AddAllAsync(DbTransaction transaction, IEnumerable<Notice> notices)
    {
        var owed = notices.Where(n => escalation.For(n.Clock.Contract).At(n.Stage).Any())
            .Select(n => new { n.Stage, Clock = JsonSerializer.Serialize(n.Clock, MessageJson.Options) })
            .ToList();
        return owed.Count == 0 ? Task.CompletedTask : transaction.ExecuteAsync(sql.Add, owed);
    }

    /// <summary>The oldest notices owed, up to <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Pending>> NextAsync(int limit, CancellationToken cancellationToken = default) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>(sql.Next, new { Limit = limit }), cancellationToken))
            .Select(r => new Pending(r.Id, new Notice(JsonSerializer.Deserialize<ClockFacts>(r.Clock, MessageJson.Options)!, r.Stage)))
            .ToList();

    public Task DoneAsync(long id, CancellationToken cancellationToken = default) =>
        database.WriteAsync(t => t.ExecuteAsync(sql.Done, new { Id = id }), cancellationToken);

    /// <summary>
    /// Tells the owed notice with <paramref name="tell"/> and marks it done; false when another sla-timer has it. On
    /// PostgreSQL the notice is claimed first and stays claimed while it is told, so two sla-timers never tell it
    /// at once; elsewhere the claim per clock, stage and level (<see cref="NotificationStore.ClaimAsync"/>) alone keeps
    /// a level from being told twice.
    /// </summary>
    public async Task<bool> TellAsync(Pending owed, Func<Notice, CancellationToken, Task> tell, CancellationToken cancellationToken = default)
    {
        if (sql.Claim is not { } claim)
        {
            await tell(owed.Notice, cancellationToken);
            await DoneAsync(owed.Id, cancellationToken);
            return true;
        }

        return await database.WriteAsync(async t =>
        {
            if (await t.ExecuteScalarAsync<long?>(claim, new { owed.Id }) is null)
            {
                return false; // told by another meanwhile, or being told
            }

            await tell(owed.Notice, cancellationToken);
            await t.ExecuteAsync(sql.Done, new { owed.Id });
            return true;
        }, cancellationToken);
    }
}

/// <summary>
/// Sends the notices owed, oldest first, several at a time; a notice is done once every level of it was told
/// or recorded as failed. A notice interrupted by a restart is taken up again; the claim per clock, stage and
/// level keeps it from being told twice.
/// </summary>
public sealed class NoticeDispatcher(PendingNotices pending, Notifier notifier, Database database, ILogger<NoticeDispatcher> logger) : BackgroundService
{
    private const int Batch = 100;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private readonly CommitSignal committed = new(database);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var notices = await pending.NextAsync(Batch, stoppingToken);
                var failed = 0;
                await Parallel.ForEachAsync(notices, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken }, async (owed, ct) =>
                {
                    try
                    {
                        await pending.TellAsync(owed, notifier.NotifyAsync, ct);
                    }
                    catch (Exception e) when (!ct.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failed);
                        logger.LogWarning(e, "The notice of {Ticket} ({Clock}, stage {Stage}) will be tried again", owed.Notice.Clock.TicketNumber, owed.Notice.Clock.Clock, owed.Notice.Stage);
                    }
                });

                if (failed > 0)
                {
                    await Task.Delay(PollInterval, stoppingToken);
                }
                else if (notices.Count < Batch)
                {
                    await committed.WaitAsync(PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Reading the notices owed failed; trying again");
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
    }
}

/// <summary>The SQL of the notices owed; the limit differs between providers, and PostgreSQL claims each notice while it is told.</summary>
internal abstract class PendingNoticeSql : SqlStatements
{
    public static PendingNoticeSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqlitePendingNoticeSql(),
        SqlProvider.SqlServer => new SqlServerPendingNoticeSql(),
        SqlProvider.Postgres => new PostgresPendingNoticeSql(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    public string Add => "INSERT INTO pending_notices (stage, clock) VALUES (@Stage, @Clock)";

    public abstract string Next { get; }

    /// <summary>Locks the owed notice until the transaction ends, or returns nothing when another holds it or it is done; null where notices are not claimed.</summary>
    public virtual string? Claim => null;

    public string Done => "DELETE FROM pending_notices WHERE id = @Id";
}

internal sealed class SqlitePendingNoticeSql : PendingNoticeSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string Next => "SELECT id AS Id, stage AS Stage, clock AS Clock FROM pending_notices ORDER BY id LIMIT @Limit";
}

internal sealed class SqlServerPendingNoticeSql : PendingNoticeSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    public override string Next => "SELECT TOP (@Limit) id AS Id, stage AS Stage, clock AS Clock FROM pending_notices ORDER BY id";
}

internal sealed class PostgresPendingNoticeSql : PendingNoticeSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    /// <summary>The oldest notices no other sla-timer is telling.</summary>
    public override string Next => "SELECT id AS Id, stage AS Stage, clock AS Clock FROM pending_notices ORDER BY id LIMIT @Limit FOR UPDATE SKIP LOCKED";

    public override string Claim => "SELECT id FROM pending_notices WHERE id = @Id FOR UPDATE SKIP LOCKED";
}
