using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ops.Contracts.Tickets;
using Ops.Hosting.Http;
using Ops.Hosting.Messaging;
using Ops.Hosting.Security;

namespace Ops.Tickets.Intake;

/// <summary>A report that passed validation, with the contract it belongs to and a fingerprint of the request as sent.</summary>
public sealed record ValidReport(
    string Contract,
    TicketKind Kind,
    Severity? Severity,
    string? Grade,
    string Channel,
    string SiteCode,
    string System,
    string Title,
    string? Description,
    string ReporterName,
    string ReporterPhone,
    DateTimeOffset ReportedAt,
    string? ExternalRef,
    string Fingerprint);

/// <summary>Checks every field of a report and names each one that is wrong.</summary>
public sealed class ReportValidation(ContractCatalog contracts, IntakeOptions options)
{
    public static readonly string[] Channels = ["phone", "wechat", "web", "inspection"];

    /// <summary>The channel as the ticket's timeline names it (in Chinese, as every timeline detail).</summary>
    public static string ChannelInChinese(string channel) => channel switch
    {
        "phone" => "电话",
        "wechat" => "微信",
        "web" => "网页",
        "inspection" => "巡检",
        _ => channel,
    };

    public (ValidReport? Report, ValidationErrors Errors) Validate(ReportTicketRequest request, DateTimeOffset now, Scope? scope = null)
    {
        var errors = new ValidationErrors();

        var channel = request.Channel?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(channel))
        {
            errors.Add("channel", L10n.Of($"“channel”为必填项，可选：{L10n.List(Channels)}。", "'channel' is required: phone, wechat, web or inspection."));
        }
        else if (!Channels.Contains(channel))
        {
            errors.Add("channel", L10n.Of($"“channel”须为以下之一：{L10n.List(Channels)}。", $"'channel' must be one of: {L10n.List(Channels)}."));
        }

        var kind = TicketKind.Fault;
        switch (request.Kind?.Trim().ToLowerInvariant())
        {
            case null or "fault": break;
            case "request": kind = TicketKind.Request; break;
            default: errors.Add("kind", L10n.Of("“kind”须为“fault”（故障）或“request”（服务请求）。", "'kind' must be 'fault' or 'request'.")); break;
        }

        Severity? severity = null;
        if (kind == TicketKind.Request)
        {
            if (request.Severity is not null)
            {
                errors.Add("severity", L10n.Of("“severity”只用于故障；服务请求用“grade”。", "'severity' is for faults; a service request has a 'grade'."));
            }
        }
        else
        {
            switch (request.Severity?.Trim().ToLowerInvariant())
            {
                case "general": severity = Severity.General; break;
                case "severe": severity = Severity.Severe; break;
                case null or "": errors.Add("severity", L10n.Of("“severity”为必填项：general（一般故障）或 severe（严重故障）。", "'severity' is required: general or severe.")); break;
                default: errors.Add("severity", L10n.Of("“severity”须为“general”（一般故障）或“severe”（严重故障）。", "'severity' must be 'general' or 'severe'.")); break;
            }
        }

        // A site outside the caller's scope is answered as an unknown one: the caller learns nothing of it.
        scope ??= Scope.All;
        var site = string.IsNullOrWhiteSpace(request.SiteCode) ? null : contracts.FindSite(request.SiteCode.Trim());
        site = site is { } found && scope.Allows(found.Code, found.SiteCode) ? site : null;
        string SiteCodes() => L10n.List(contracts.AllSites.Where(s => scope.Allows(s.Contract, s.SiteCode)).Select(s => s.SiteCode));
        var grade = Grade(request, kind, site?.Contract, errors);
        if (string.IsNullOrWhiteSpace(request.SiteCode))
        {
            errors.Add("siteCode", L10n.Of($"“siteCode”为必填项，可选：{SiteCodes()}。", $"'siteCode' is required: {SiteCodes()}."));
        }
        else if (site is null)
        {
            errors.Add("siteCode", L10n.Of($"“siteCode”须为合同中的站点：{SiteCodes()}。", $"'siteCode' must be a site of a contract: {SiteCodes()}."));
        }

        if (errors.RequireText("system", request.System, 100).IsValid("system"))
        {
            QueryValues.Name(request.System, "system", 100, errors);
        }

        var system = ContractSystem(request, site?.Contract, errors);

        errors.RequireText("title", request.Title, 200);
        errors.LimitText("description", request.Description, 4000, TextKind.Lines);
        errors.LimitText("externalRef", request.ExternalRef, 100);

        string? phone = null;
        if (request.Reporter is null)
        {
            errors.Add("reporter", L10n.Of("“reporter”为必填项：{name, phone}。", "'reporter' is required: {name, phone}."));
        }
        else
        {
            errors.RequireText("reporter.name", request.Reporter.Name, 50);
            if (string.IsNullOrWhiteSpace(request.Reporter.Phone))
            {
                errors.Add("reporter.phone", L10n.Of("“reporter.phone”为必填项。", "'reporter.phone' is required."));
            }
            else if ((phone = Phone.Normalize(request.Reporter.Phone)) is null)
            {
                errors.Add("reporter.phone", L10n.Of(
                    "“reporter.phone”须为中国大陆手机号（以 1 开头的 11 位数字）或固定电话（0 + 区号 + 号码）。",
                    "'reporter.phone' must be a Chinese mobile (11 digits starting with 1) or landline (0 + area code + number)."));
            }
        }

        var reportedAt = request.ReportedAt ?? now;
        if (reportedAt > now + options.MaxFutureSkew)
        {
            errors.Add("reportedAt", L10n.Of(
                $"“reportedAt”比服务器时钟超前 {Durations.InChineseWords(options.MaxFutureSkew)} 以上。",
                $"'reportedAt' is more than {Durations.InWords(options.MaxFutureSkew)} ahead of the server's clock."));
        }
        else if (reportedAt < now - options.MaxReportAge)
        {
            errors.Add("reportedAt", L10n.Of(
                $"“reportedAt”距今已超过 {Durations.InChineseWords(options.MaxReportAge)}。",
                $"'reportedAt' is more than {Durations.InWords(options.MaxReportAge)} old."));
        }
        else if (site is { } s && !Covers(s.Contract, reportedAt))
        {
            var period = string.Create(CultureInfo.InvariantCulture, $"{s.Contract.ServiceStart:yyyy-MM-dd} – {s.Contract.ServiceEnd:yyyy-MM-dd}");
            errors.Add("reportedAt", L10n.Of(
                $"“reportedAt”不在合同 {s.Code} 的服务期内（{period}）。",
                $"'reportedAt' is outside the service period of contract {s.Code} ({period})."));
        }

        if (!errors.IsEmpty || site is null)
        {
            return (null, errors);
        }

        return (new ValidReport(
            site.Value.Code,
            kind,
            severity,
            grade,
            channel!,
            site.Value.SiteCode,
            system!,
            request.Title!.Trim(),
            string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            request.Reporter!.Name!.Trim(),
            phone!,
            reportedAt,
            string.IsNullOrWhiteSpace(request.ExternalRef) ? null : request.ExternalRef.Trim(),
            Fingerprint(request)), errors);
    }

    /// <summary>A request's grade, one of its contract's; a fault has none.</summary>
    private static string? Grade(ReportTicketRequest request, TicketKind kind, ContractSites? contract, ValidationErrors errors)
    {
        if (kind == TicketKind.Fault)
        {
            if (request.Grade is not null)
            {
                errors.Add("grade", L10n.Of("“grade”只用于服务请求；故障用“severity”。", "'grade' is for service requests; a fault has a 'severity'."));
            }

            return null;
        }

        var grades = contract?.Sla.Requests.Grades;
        var names = grades is null ? "" : L10n.List(grades.Keys);
        if (string.IsNullOrWhiteSpace(request.Grade))
        {
            errors.Add("grade", grades is null
                ? L10n.Of("服务请求须填“grade”。", "'grade' is required for a service request.")
                : L10n.Of($"服务请求须填“grade”，可选：{names}。", $"'grade' is required for a service request: {names}."));
            return null;
        }

        if (grades is null)
        {
            return null; // the site is wrong, which is reported on its own
        }

        var grade = grades.Keys.FirstOrDefault(g => string.Equals(g, request.Grade.Trim(), StringComparison.OrdinalIgnoreCase));
        if (grade is null)
        {
            errors.Add("grade", grades.Count == 0
                ? L10n.Of("该合同不受理服务请求。", "The contract takes no service requests.")
                : L10n.Of($"“grade”须为以下之一：{names}。", $"'grade' must be one of: {names}."));
        }

        return grade;
    }

    /// <summary>One of the contract's systems (the seed's list ends with its catch-all, 其他), as the contract spells it.</summary>
    private static string? ContractSystem(ReportTicketRequest request, ContractSites? contract, ValidationErrors errors)
    {
        if (contract is null || !errors.IsValid("system"))
        {
            return null; // a wrong site, or a system that is no name at all, is reported on its own
        }

        var system = contract.Systems.FirstOrDefault(s => string.Equals(s, request.System!.Trim(), StringComparison.OrdinalIgnoreCase));
        if (system is null)
        {
            errors.Add("system", contract.Systems.Count == 0
                ? L10n.Of("该合同未列出任何系统，不受理报修。", "The contract lists no systems, so it takes no reports.")
                : L10n.Of($"“system”须为合同所列的系统之一：{L10n.List(contract.Systems)}。", $"'system' must be one of the contract's systems: {L10n.List(contract.Systems)}."));
        }

        return system;
    }

    /// <summary>The service period in Asia/Shanghai dates, both ends included.</summary>
    private static bool Covers(ContractSites contract, DateTimeOffset time)
    {
        var date = DateOnly.FromDateTime(ShanghaiTimeConverter.ToShanghai(time).DateTime);
        return date >= contract.ServiceStart && date <= contract.ServiceEnd;
    }

    /// <summary>Same request, same fingerprint: what an Idempotency-Key is compared with.</summary>
    public static string Fingerprint(ReportTicketRequest request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, FingerprintJson))));

    // Fingerprints are stored with their keys, so the text they hash keeps its escaping (non-ASCII as \uXXXX) whatever the messages use.
    private static readonly JsonSerializerOptions FingerprintJson = new(MessageJson.Options) { Encoder = JavaScriptEncoder.Default };
}
