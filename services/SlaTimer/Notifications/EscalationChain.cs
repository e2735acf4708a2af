using System.Globalization;
using Ops.Contracts.Sla;
using Ops.Contracts.Tickets;
using Ops.Hosting.Contracts;
using Ops.Hosting.Http;
using Ops.SlaTimer.OnCall;

namespace Ops.SlaTimer.Notifications;

/// <summary>Where a level of the escalation chain is reached.</summary>
public enum NotificationChannel
{
    /// <summary>A WeCom (企业微信) group robot webhook.</summary>
    WeCom,

    /// <summary>A DingTalk custom robot webhook, signed when a secret is given.</summary>
    DingTalk,

    /// <summary>Any HTTP endpoint that takes the notice as JSON.</summary>
    Webhook,
}

/// <summary>
/// One level of a contract's escalation chain (<c>Contracts:{code}:Escalation:Levels</c>): the on-call
/// engineer first, then the project lead, then the bureau's contact. A level hears of every warning and
/// breach from its <see cref="From"/> stage on. The webhook URLs carry keys: give them in the environment
/// (<c>Contracts__{code}__Escalation__Levels__0__Url</c>), never in the repository.
/// </summary>
public sealed class EscalationLevel
{
    /// <summary>Who this is, e.g. 值班工程师; also what makes a notice unique per clock and stage.</summary>
    public string Name { get; set; } = "";

    public NotificationChannel Channel { get; set; } = NotificationChannel.Webhook;

    /// <summary>The robot's or endpoint's URL; a level without one is not notified.</summary>
    public string? Url { get; set; }

    /// <summary>The DingTalk robot's signing secret (it begins <c>SEC</c>), if the robot asks for signatures.</summary>
    public string? Secret { get; set; }

    /// <summary>The first stage this level hears of: a warning point (50, 80) or 100 for the breach.</summary>
    public int From { get; set; } = 100;

    /// <summary>
    /// Whom the level's message @-mentions: <c>oncall:primary</c> or <c>oncall:secondary</c>, the engineer on that
    /// layer of the contract's rota when the stage is reached; none for a fixed person or group.
    /// </summary>
    public string? Target { get; set; }

    /// <summary>The rota's layer this level names; null when it targets no rota.</summary>
    public DutyLayer? OnCall => Target switch
    {
        PrimaryTarget => DutyLayer.Primary,
        SecondaryTarget => DutyLayer.Secondary,
        _ => null,
    };

    public const string PrimaryTarget = "oncall:primary";
    public const string SecondaryTarget = "oncall:secondary";
}

/// <summary>A contract's escalation chain.</summary>
public sealed class EscalationChain
{
    public List<EscalationLevel> Levels { get; set; } = [];

    /// <summary>The levels to tell at <paramref name="stage"/> (percent of the target; 100 is the breach) that can be reached.</summary>
    public IEnumerable<EscalationLevel> At(int stage) => Levels.Where(l => l.From <= stage && !string.IsNullOrWhiteSpace(l.Url));

    /// <summary>The first level after <paramref name="level"/> that can be reached, whatever its stage: told when the rota names nobody.</summary>
    public EscalationLevel? After(EscalationLevel level) =>
        Levels.Skip(Levels.IndexOf(level) + 1).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l.Url));
}

/// <summary>What a level is told: a warning or a breach of one clock, in Chinese; personal data only in the mention of the engineer on duty.</summary>
public sealed record Notice(ClockFacts Clock, int Stage)
{
    public bool IsBreach => Stage >= 100;

    /// <summary>A service request's grade as people read it (e.g. 紧急), from the contract; its code when the contract names none.</summary>
    public string? GradeName { get; init; }

    /// <summary>The ticket's title, from its report; none when the sla-timer never heard the report.</summary>
    public string? TicketTitle { get; init; }

    /// <summary>The ticket's page in the console (<c>Console:PublicUrl</c> + <c>/tickets/{number}</c>); none when no console address is set.</summary>
    public string? Link { get; init; }

    /// <summary>The engineer on duty whom the message @-mentions; none for a level that targets no rota.</summary>
    public DutyEngineer? Engineer { get; init; }

    /// <summary>When the notice is written: how long remains (or is overdue) is counted from here.</summary>
    public DateTimeOffset? At { get; init; }

    public string Title => IsBreach ? "超时告警" : "超时预警";

    /// <summary>The message as markdown (WeCom and DingTalk robots): number, title, site, system, severity, deadline and time left, then the link.</summary>
    public string Markdown => string.Join("\n", Lines(markdown: true));

    /// <summary>The same message as plain text, for the WeCom robot's text message, the one that can @-mention by mobile.</summary>
    public string Text => string.Join("\n", Lines(markdown: false));

    private IEnumerable<string> Lines(bool markdown)
    {
        var quote = markdown ? "> " : "";
        yield return $"{(markdown ? "### " : "")}【{Title}】{Clock.TicketNumber}";
        if (!string.IsNullOrWhiteSpace(TicketTitle))
        {
            yield return markdown ? $"**{TicketTitle}**" : TicketTitle;
        }

        yield return $"{quote}站点：{Clock.SiteCode}　系统：{Clock.System}　{Kind}";
        var deadline = ShanghaiTimeConverter.ToShanghai(Clock.Deadline).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        yield return IsBreach
            ? $"{quote}{ClockName}已于 {deadline} 超时（北京时间）{Overdue}"
            : $"{quote}{ClockName}已用 {Stage}%，截止 {deadline}（北京时间）{Remaining}";
        if (Engineer is not null)
        {
            yield return $"{quote}值班工程师：{Engineer.Name}";
        }

        if (Link is not null)
        {
            yield return markdown ? $"[查看并确认响应]({Link})" : $"查看并确认响应：{Link}";
        }
    }

    private string Remaining => At is not { } at ? "" : at <= Clock.Deadline ? $"，还剩 {Minutes(Clock.Deadline - at)}" : Overdue;

    private string Overdue => At is { } at ? $"，已超时 {Minutes(at - Clock.Deadline)}" : "";

    private static string Minutes(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1) ? "不到1分钟" : Durations.InChineseWords(TimeSpan.FromMinutes(Math.Floor(span.TotalMinutes))).Replace("分", "分钟", StringComparison.Ordinal);

    private string ClockName => Clock.Clock switch
    {
        ClockKind.Response => "响应时限",
        ClockKind.Repair => "修复时限",
        _ => "办结时限",
    };

    private string Kind => Clock.Kind == TicketKind.Request
        ? $"服务请求（{GradeName ?? Clock.Grade}）"
        : Clock.Severity == Severity.Severe ? "严重故障" : "一般故障";
}

/// <summary>The escalation chain of every configured contract; a contract without one tells nobody.</summary>
public sealed class EscalationBook(IReadOnlyDictionary<string, EscalationChain> chains)
{
    /// <summary>No contract tells anybody.</summary>
    public static EscalationBook None { get; } = new(new Dictionary<string, EscalationChain>());

    public EscalationChain For(string contract) => chains.GetValueOrDefault(contract) ?? new EscalationChain();

    /// <summary>Every contract's chain.</summary>
    public IEnumerable<KeyValuePair<string, EscalationChain>> All => chains;

    /// <summary>Every contract's escalation chain, from the contracts file (which checks each level's channel, stage, target and URL).</summary>
    public static EscalationBook From(ContractsFile file) => new(file.Usable.ToDictionary(
        c => c.Key,
        c => new EscalationChain
        {
            Levels = [.. c.Value.Escalation.Levels.Select(l => new EscalationLevel
            {
                Name = l.Name,
                Channel = Enum.Parse<NotificationChannel>(l.Channel, ignoreCase: true),
                Url = l.Url,
                Secret = l.Secret,
                From = l.From,
                Target = l.Target,
            })],
        }));
}
