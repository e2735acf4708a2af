using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Ops.Contracts.Sla;
using Ops.Hosting.Http;
using Ops.Hosting.Storage;
using Ops.SlaTimer.OnCall;
using Ops.SlaTimer.Storage;

namespace Ops.SlaTimer.Notifications;

/// <summary>What the incoming engineer is told before their shift: the contract's open tickets they inherit, with their deadlines.</summary>
public sealed record HandoverNotice(string Contract, DutyShift Shift, IReadOnlyList<OpenClock> Clocks, Func<string, string?> Link)
{
    /// <summary>At most this many tickets are listed (a robot's text message holds 2048 bytes); the rest are counted.</summary>
    public const int Listed = 10;

    public DutyEngineer Engineer => Shift.Engineer;

    public string Title => "交接班提醒";

    private IReadOnlyList<IGrouping<string, OpenClock>> Tickets => [.. Clocks.GroupBy(c => c.TicketNumber)];

    public string Markdown => string.Join("\n", Lines(markdown: true));

    public string Text => string.Join("\n", Lines(markdown: false));

    private IEnumerable<string> Lines(bool markdown)
    {
        var quote = markdown ? "> " : "";
        yield return $"{(markdown ? "### " : "")}【{Title}】{Contract} {(Shift.Layer == DutyLayer.Primary ? "主班" : "副班")}";
        var tickets = Tickets;
        yield return tickets.Count == 0
            ? $"{Engineer.Name}，您将于 {Shanghai(Shift.From)}（北京时间）接班；目前没有未完成的工单。"
            : $"{Engineer.Name}，您将于 {Shanghai(Shift.From)}（北京时间）接班，接手 {tickets.Count} 张未完成的工单：";
        foreach (var ticket in tickets.Take(Listed))
        {
            var first = ticket.First();
            var number = markdown && Link(ticket.Key) is { } link ? $"[{ticket.Key}]({link})" : ticket.Key;
            var deadlines = string.Join("；", ticket.Select(c => $"{ClockName(c.Clock)}{(c.State == ClockState.Breached ? "已于" : "截止")} {Shanghai(c.Deadline)}{(c.State == ClockState.Breached ? " 超时" : "")}"));
            yield return $"{quote}{number} {first.Title}：{deadlines}";
        }

        if (tickets.Count > Listed)
        {
            yield return $"{quote}另有 {tickets.Count - Listed} 张，请在控制台查看。";
        }
    }

    /// <summary>What a plain webhook receives.</summary>
    public object Webhook => new
    {
        handover = true,
        contract = Contract,
        layer = Shift.Layer.ToString().ToLowerInvariant(),
        at = Shift.From,
        title = Title,
        text = Markdown,
        engineer = new { name = Engineer.Name, mobile = Engineer.Mobile },
        tickets = Tickets.Select(t => new
        {
            ticketNumber = t.Key,
            ticketTitle = t.First().Title,
            link = Link(t.Key),
            clocks = t.Select(c => new { clock = c.Clock, state = c.State, deadline = c.Deadline }),
        }),
    };

    private static string Shanghai(DateTimeOffset t) => ShanghaiTimeConverter.ToShanghai(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string ClockName(ClockKind clock) => clock switch
    {
        ClockKind.Response => "响应时限",
        ClockKind.Repair => "修复时限",
        _ => "办结时限",
    };
}

/// <summary>
/// Tells the engineer who takes over a layer of a contract's rota, <see cref="Ahead"/> before the hand-over, which open
/// tickets they inherit, over the first level of the chain that targets that layer. Each hand-over is told once,
/// across restarts and several sla-timers: a row per contract, layer, hand-over and incoming engineer is claimed before
/// sending, so an override that changes who takes over tells the new engineer too.
/// </summary>
public sealed class HandoverNotifier(
    EscalationBook escalation,
    ClockStore clocks,
    HandoverStore store,
    NotificationSender sender,
    IOptions<ConsoleLinkOptions> console,
    TimeProvider time,
    ILogger<HandoverNotifier> logger,
    NoticeMetrics metrics,
    IDutyRoster? roster = null) : BackgroundService
{
    /// <summary>How long before a hand-over the incoming engineer is told.</summary>
    public static readonly TimeSpan Ahead = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (roster is null || !escalation.All.Any(c => c.Value.Levels.Any(l => l.OnCall is not null)))
        {
            return; // no rota, or no level that names it: nobody to hand over to
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                await TellAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The hand-over notices failed; trying again in {Delay}", Interval);
            }
        }
    }

    /// <summary>Tells every hand-over that falls within <see cref="Ahead"/> from now and was not told yet; returns how many it told.</summary>
    internal async Task<int> TellAsync(CancellationToken cancellationToken)
    {
        if (roster is null)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var told = 0;
        foreach (var (contract, chain) in escalation.All)
        {
            var levels = chain.Levels.Where(l => l.OnCall is not null && !string.IsNullOrWhiteSpace(l.Url)).GroupBy(l => l.OnCall!.Value).Select(g => g.First()).ToList();
            if (levels.Count == 0)
            {
                continue;
            }

            // A shift that starts after now, by the end of the window (the span's end is exclusive), is a hand-over to come.
            var shifts = await roster.ShiftsAsync(contract, now, now + Ahead + TimeSpan.FromTicks(1), cancellationToken);
            foreach (var shift in shifts.Where(s => s.From > now))
            {
                if (levels.Find(l => l.OnCall == shift.Layer) is not { } level
                    || (await roster.OnDutyAsync(contract, shift.Layer, shift.From.AddTicks(-1), cancellationToken))?.Engineer.Id == shift.Engineer.Id)
                {
                    continue; // no level names the layer, or the same engineer stays on
                }

                if (await TellAsync(contract, level, shift, cancellationToken))
                {
                    told++;
                }
            }
        }

        return told;
    }

    private async Task<bool> TellAsync(string contract, EscalationLevel level, DutyShift shift, CancellationToken cancellationToken)
    {
        var open = await clocks.OpenClocksAsync(contract, 200, cancellationToken);
        var notice = new HandoverNotice(contract, shift, open, console.Value.TicketLink);
        var layer = shift.Layer.ToString().ToLowerInvariant();
        if (!await store.ClaimAsync(contract, layer, shift.From, shift.Engineer.Id, shift.Engineer.Name, open.Select(c => c.TicketNumber).Distinct().Count(), time.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        var (attempts, error) = await sender.SendAsync(level, notice, cancellationToken);
        if (error is not null)
        {
            logger.LogWarning("Could not tell the hand-over of {Contract} ({Layer}) at {At} over {Level} in {Attempts} calls: {Error}", contract, layer, shift.From, level.Name, attempts, error);
        }

        await store.FinishAsync(contract, layer, shift.From, shift.Engineer.Id, error, time.GetUtcNow(), cancellationToken);
        if (error is not null)
        {
            metrics.Failed();
        }

        return true;
    }
}

/// <summary>The record of the hand-over notices: claimed once per contract, layer, hand-over and engineer before one is sent.</summary>
public sealed class HandoverStore(Database database)
{
    /// <summary>A claim still <c>sending</c> after this long was left by a sla-timer that stopped mid-way: it may be taken again.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(5);

    private const string Claim = """
        INSERT INTO handover_notices (contract, layer, handover_at, engineer_id, engineer, tickets, status, created_at)
        VALUES (@Contract, @Layer, @HandoverAt, @EngineerId, @Engineer, @Tickets, 'sending', @At)
        """;

    private const string Reclaim = """
        UPDATE handover_notices SET engineer = @Engineer, tickets = @Tickets, created_at = @At
        WHERE contract = @Contract AND layer = @Layer AND handover_at = @HandoverAt AND engineer_id = @EngineerId
          AND status = 'sending' AND created_at < @AbandonedBefore
        """;

    private const string Finish = """
        UPDATE handover_notices SET status = @Status, error = @Error, finished_at = @At
        WHERE contract = @Contract AND layer = @Layer AND handover_at = @HandoverAt AND engineer_id = @EngineerId
        """;

    /// <summary>Records the hand-over notice as being sent; false when it was claimed before, unless that claim was abandoned.</summary>
    public async Task<bool> ClaimAsync(string contract, string layer, DateTimeOffset handoverAt, string engineerId, string engineer, int tickets, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var parameters = new { Contract = contract, Layer = layer, HandoverAt = handoverAt, EngineerId = engineerId, Engineer = engineer, Tickets = tickets, At = at, AbandonedBefore = at - Abandoned };
        try
        {
            await database.WriteAsync(t => t.ExecuteAsync(Claim, parameters), cancellationToken);
            return true;
        }
        catch (Exception e) when (database.Provider.IsUniqueViolation(e))
        {
            return await database.WriteAsync(t => t.ExecuteAsync(Reclaim, parameters), cancellationToken) == 1;
        }
    }

    public Task FinishAsync(string contract, string layer, DateTimeOffset handoverAt, string engineerId, string? error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.WriteAsync(t => t.ExecuteAsync(Finish, new
        {
            Contract = contract,
            Layer = layer,
            HandoverAt = handoverAt,
            EngineerId = engineerId,
            Status = error is null ? "sent" : "failed",
            Error = error?[..Math.Min(error.Length, 1000)],
            At = at,
        }), cancellationToken);
}
