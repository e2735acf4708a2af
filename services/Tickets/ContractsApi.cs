using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ops.Hosting.Security;
using Ops.Tickets.Intake;

namespace Ops.Tickets;

/// <summary>A code with the name people read, e.g. <c>OTQ</c> 鄂托克前旗政务服务与数据管理局, or <c>urgent</c> 紧急.</summary>
public sealed record NamedCode(string Code, string Name);

/// <summary>
/// What a report to one contract may name: its sites (those in the caller's scope), its systems, its request grades
/// (most urgent first), the channels and the kinds of ticket it takes.
/// </summary>
public sealed record ContractView(
    string Code,
    string Name,
    IReadOnlyList<NamedCode> Sites,
    IReadOnlyList<string> Systems,
    IReadOnlyList<NamedCode> Grades,
    IReadOnlyList<NamedCode> Channels,
    IReadOnlyList<NamedCode> Kinds);

/// <summary>The contracts' book as a report form needs it: <c>GET /api/contracts</c>.</summary>
public static class ContractsApi
{
    public static IEndpointRouteBuilder MapContractsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/contracts", List)
            .RequireAuthorization(Policies.Catalog)
            .WithTags("Contracts")
            .WithName("ListContracts")
            .WithSummary("The contracts a caller may report to, with their sites, systems and grades")
            .WithDescription("""
                For each contract in the caller's scope (ordered by code): its `code` and `name`, its `sites` (`code` and
                `name`, only the sites in the caller's scope), its `systems` (a report names one of them), its request
                `grades` (`code` and Chinese `name`, most urgent first; none when the contract takes no service requests),
                the `channels` a report may come by and the `kinds` of ticket it takes (`fault`, and `request` when it has
                grades), each with its Chinese `name`. What a hotline desk form or a gateway offers its people to choose.
                Roles: intake, operator, engineer, manager, auditor.
                """);
        return app;
    }

    public static Ok<IReadOnlyList<ContractView>> List(ContractCatalog contracts, ClaimsPrincipal user)
    {
        var scope = Scope.Of(user);
        var channels = ReportValidation.Channels.Select(c => new NamedCode(c, ReportValidation.ChannelInChinese(c))).ToList();
        IReadOnlyList<ContractView> views =
        [
            .. contracts.Contracts
                .OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => Of(c.Key, c.Value, scope, channels))
                .Where(c => c.Sites.Count > 0),
        ];
        return TypedResults.Ok(views);
    }

    private static ContractView Of(string code, ContractSites contract, Scope scope, IReadOnlyList<NamedCode> channels)
    {
        var grades = contract.Sla.Requests.Grades
            .OrderBy(g => g.Value.Response)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new NamedCode(g.Key, g.Value.Name))
            .ToList();
        List<NamedCode> kinds = grades.Count == 0 ? [new("fault", "故障")] : [new("fault", "故障"), new("request", "服务请求")];
        return new ContractView(
            code,
            contract.Title,
            [.. contract.Sites.Where(s => scope.Allows(code, s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new NamedCode(s.Key, s.Value))],
            [.. contract.Systems.Where(s => !string.IsNullOrWhiteSpace(s))],
            grades,
            channels,
            kinds);
    }
}
