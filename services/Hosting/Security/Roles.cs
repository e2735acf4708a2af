namespace Ops.Hosting.Security;

/// <summary>
/// Who a caller is to the product. <c>intake</c>: the hotline and WeChat gateways, which report tickets;
/// <c>engineer</c>: reads tickets and clocks, acknowledges and resolves; <c>manager</c>: what an engineer
/// does, plus dashboards, the assessment and manual deductions; <c>auditor</c>: the bureau's read-only
/// view of everything; <c>operator</c>: the hotline desk, which files what callers report and reads tickets and
/// clocks to tell a caller where their fault stands, but acknowledges and resolves nothing and sees phones masked;
/// <c>admin</c>: manages API keys and users, nothing else.
/// </summary>
public static class Roles
{
    public const string Intake = "intake";
    public const string Engineer = "engineer";
    public const string Manager = "manager";
    public const string Auditor = "auditor";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static readonly string[] All = [Intake, Operator, Engineer, Manager, Auditor, Admin];
}

/// <summary>What an endpoint requires, by the roles allowed to do it.</summary>
public static class Policies
{
    /// <summary>Report a fault: the gateways, the hotline desk, and engineers and managers (inspection rounds, the web form).</summary>
    public const string Report = "report";

    /// <summary>Read tickets and clocks.</summary>
    public const string Read = "read";

    /// <summary>Read the contracts' sites, systems and grades: whoever reports or reads tickets.</summary>
    public const string Catalog = "catalog";

    /// <summary>Acknowledge and resolve.</summary>
    public const string Work = "work";

    /// <summary>Read dashboards, the assessment and the evidence chains.</summary>
    public const string Oversee = "oversee";

    /// <summary>Record manual deductions.</summary>
    public const string Manage = "manage";

    /// <summary>Manage API keys and users.</summary>
    public const string Administer = "administer";

    /// <summary>Read who is on duty and the rota (值班表): whoever answers for a fault or oversees the contract.</summary>
    public const string Duty = "duty";

    public static readonly IReadOnlyDictionary<string, string[]> AllowedRoles = new Dictionary<string, string[]>
    {
        [Report] = [Roles.Intake, Roles.Operator, Roles.Engineer, Roles.Manager],
        [Read] = [Roles.Operator, Roles.Engineer, Roles.Manager, Roles.Auditor],
        [Catalog] = [Roles.Intake, Roles.Operator, Roles.Engineer, Roles.Manager, Roles.Auditor],
        [Work] = [Roles.Engineer, Roles.Manager],
        [Oversee] = [Roles.Manager, Roles.Auditor],
        [Manage] = [Roles.Manager],
        [Administer] = [Roles.Admin],
        [Duty] = [Roles.Engineer, Roles.Manager, Roles.Auditor],
    };
}
