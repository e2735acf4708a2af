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
    public const string Operator = "operator";

    public static readonly IReadOnlyList<Entry> Entries =
    [
        new("我的工单", "queue", "未结工单，已超时在前，然后按最近的时限；倒计时实时更新。", [Engineer]),
        new("新建工单", "tickets/new", "登记来电或微信报修的故障和服务请求。", [Operator, Engineer, Manager]),
        new("SLA 看板", "dashboard", "响应及时率、修复及时率、未结超时、扣分与考核得分，按月、按站点、按系统。", [Manager, Auditor], FullLoad: true),
        new("考核", "assessment", "合同 15 项考核的扣分、得分、等级与扣减金额；经理记录扣分与豁免。", [Manager, Auditor]),
        new("报表", "reports", "月报、季报与年度报告：下载 Excel、打印，校验文件是否被改动；经理可立即生成。", [Manager, Auditor]),
        new("通知记录", "notices", "时限预警与超时告警发给了谁，是否送达。", [Engineer, Manager, Auditor]),
        new("值班表", "oncall", "本周谁值主班、谁值备班，以及换班；经理编辑轮换、登记换班。", [Engineer, Manager, Auditor]),
        new("证据校验", "evidence", "各服务的证据链是否完整，第一处被改动的记录。", [Manager, Auditor]),
        new("系统管理", "admin", "本地用户与 API 密钥：新建、停用、吊销。", [Admin]),
    ];

    public static IEnumerable<Entry> For(ClaimsPrincipal user) => Entries.Where(e => e.Roles.Any(user.IsInRole));

    /// <summary>The role's name as people read it.</summary>
    public static string RoleName(string? role) => role switch
    {
        Engineer => "工程师",
        Manager => "经理",
        Auditor => "审计员",
        Admin => "管理员",
        Operator => "接线员",
        "intake" => "接入网关",
        _ => "未知角色",
    };

    /// <summary>The roles the tickets service gives local users and API keys, in the order the administration forms offer them.</summary>
    public static readonly IReadOnlyList<string> AccountRoles = [Engineer, Operator, Manager, Auditor, Admin, "intake"];
}
