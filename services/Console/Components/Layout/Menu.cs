using System.Security.Claims;

namespace Ops.Console.Components.Layout;

/// <summary>
/// The pages of the console and who may open them: the menu shows a person exactly the pages their role
/// opens, and each page's <c>[Authorize(Roles = …)]</c> names the same roles.
/// </summary>
public static class Menu
{
    /// <param name="FullLoad">The page runs scripts of its own (charts), which enhanced navigation would not start: its links load it whole.</param>
    public sealed record Entry(string Title, string Href, string Description, string[] Roles, bool FullLoad = false);

    public const string Engineer = "engineer";
    public const string Manager = "manager";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<Entry> Entries =
    [
        new("我的工单", "queue", "未结工单，最近的时限在前，倒计时实时更新。", [Engineer]),
        new("系统管理", "admin", "本地用户。", [Admin]),
        new("SLA 看板", "dashboard", "响应及时率、修复及时率、未结超时、扣分与考核得分，按月、按站点、按系统。", [Manager, Auditor], FullLoad: true),
    ];

    public static IEnumerable<Entry> For(ClaimsPrincipal user) => Entries.Where(e => e.Roles.Any(user.IsInRole));

    /// <summary>The role's name as people read it.</summary>
    public static string RoleName(string? role) => role switch
    {
        Engineer => "工程师",
        Manager => "经理",
        Auditor => "审计员",
        Admin => "管理员",
        "intake" => "接入网关",
        _ => "未知角色",
    };
}
