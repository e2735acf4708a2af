using System.Globalization;
using System.Text.RegularExpressions;

namespace Ops.Hosting.Contracts;

/// <summary>
/// The rules of <c>contracts.json</c>. Each error names the file, the contract and the field as the file writes it
/// (<c>contracts.json: OTQ-2026-OPS: assessment.items[5].maxPoints: must be &gt; 0</c>); every error is given, not the first.
/// </summary>
public static partial class ContractsFileValidation
{
    /// <summary>The channels a level of the escalation chain may use (the sla-timer's senders).</summary>
    public static readonly IReadOnlyList<string> Channels = ["WeCom", "DingTalk", "Webhook"];

    /// <summary>Whom a level may @-mention: a layer of the contract's rota.</summary>
    public static readonly IReadOnlyList<string> Targets = ["oncall:primary", "oncall:secondary"];

    /// <summary>The stage of a breach; the other stages are the contract's warning points.</summary>
    public const int BreachStage = 100;

    private static readonly IReadOnlyList<string> Calendars = ["Continuous", "Working"];
    private static readonly IReadOnlyList<string> Kinds = ["Fault", "Request"];
    private static readonly IReadOnlyList<string> Severities = ["Severe", "General"];
    private static readonly TimeSpan LongestTarget = TimeSpan.FromDays(365);

    /// <summary>A pause reason is one short line: it is offered as a choice and stored on the ticket.</summary>
    public const int MaxReasonLength = 50;

    public static IReadOnlyList<string> Check(ContractsFile file)
    {
        var errors = new List<string>();
        if (file.Contracts.Count == 0 && file.ReadFailures.Count == 0)
        {
            errors.Add($"{ContractsFile.FileName}: Contracts: must name at least one contract");
        }

        var siteOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, contract) in file.Contracts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            void Fail(string field, string problem) => errors.Add($"{ContractsFile.FileName}: {code}: {field}: {problem}");
            CheckTerms(contract, Fail);
            foreach (var site in contract.Sites.Keys.Order(StringComparer.Ordinal))
            {
                if (siteOwners.TryGetValue(site, out var owner))
                {
                    Fail($"sites.{site}", $"is already a site of {owner}: a site code names one place");
                }
                else
                {
                    siteOwners[site] = code;
                }
            }

            CheckSla(contract.Sla, Fail);
            CheckAssessment(contract.Assessment, Fail);
            CheckEscalation(contract.Escalation, contract.Sla.WarningPercents, Fail);
        }

        return errors;
    }

    private static void CheckTerms(ContractEntry contract, Action<string, string> fail)
    {
        if (contract.Amount <= 0)
        {
            fail("amount", "must be > 0");
        }

        if (contract.ServiceStart == default)
        {
            fail("serviceStart", "is required (a date, 2026-02-28)");
        }

        if (contract.ServiceEnd <= contract.ServiceStart)
        {
            fail("serviceEnd", $"must be after serviceStart ({contract.ServiceStart:yyyy-MM-dd})");
        }

        if (contract.Sites.Count == 0)
        {
            fail("sites", "must name at least one site");
        }

        foreach (var (site, name) in contract.Sites)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                fail($"sites.{site}", "must give the site's name");
            }
        }

        if (!contract.Systems.Any(s => !string.IsNullOrWhiteSpace(s)))
        {
            fail("systems", "must list at least one system (every report names one)");
        }
    }

    private static void CheckSla(SlaEntry sla, Action<string, string> fail)
    {
        Target(fail, "sla.response", sla.Response);
        Target(fail, "sla.repairSevere", sla.RepairSevere);
        Target(fail, "sla.repairGeneral", sla.RepairGeneral);
        if (sla.ReopenWindow < TimeSpan.Zero)
        {
            fail("sla.reopenWindow", "must be ≥ 00:00:00");
        }

        var warnings = sla.WarnAt ?? [];
        for (var i = 0; i < warnings.Count; i++)
        {
            if (warnings[i] is < 1 or > 99)
            {
                fail($"sla.warnAt[{i}]", $"must be from 1 to 99 (percent of the target); it is {warnings[i]}");
            }
            else if (warnings.IndexOf(warnings[i]) < i)
            {
                fail($"sla.warnAt[{i}]", $"{warnings[i]} is given twice");
            }
        }

        var reasons = sla.Pauses.Reasons;
        if ((sla.Pauses.Faults || sla.Pauses.Requests) && reasons.Count == 0)
        {
            fail("sla.pauses.reasons", "must list the reasons a pause may give, since the contract allows pauses");
        }

        for (var i = 0; i < reasons.Count; i++)
        {
            var reason = reasons[i];
            if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength || reason.Any(char.IsControl) || reason.Trim() != reason)
            {
                fail($"sla.pauses.reasons[{i}]", $"must be one line of 1–{MaxReasonLength} characters without leading or trailing spaces");
            }
            else if (reasons.IndexOf(reason) < i)
            {
                fail($"sla.pauses.reasons[{i}]", $"'{reason}' is given twice");
            }
        }

        var hours = sla.Requests.WorkingHours ?? [];
        for (var i = 0; i < hours.Count; i++)
        {
            if (!IsWorkingPeriod(hours[i]))
            {
                fail($"sla.requests.workingHours[{i}]", $"must be a period of one day written like 08:30-12:00; it is '{hours[i]}'");
            }
        }

        // No grade is allowed: the contract then takes faults only.
        foreach (var (grade, terms) in sla.Requests.Grades.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var field = $"sla.requests.grades.{grade}";
            if (string.IsNullOrWhiteSpace(terms.Name))
            {
                fail($"{field}.name", "is required (the grade as people read it, 紧急)");
            }

            foreach (var (name, target) in new[] { ("response", terms.Response), ("completion", terms.Completion) })
            {
                if (target is null)
                {
                    fail($"{field}.{name}", "is required");
                }
                else
                {
                    Target(fail, $"{field}.{name}", target.Value);
                }
            }

            if (terms.Calendar is null || !Calendars.Contains(terms.Calendar, StringComparer.OrdinalIgnoreCase))
            {
                fail($"{field}.calendar", $"must be one of {string.Join(", ", Calendars)}; it is {Quoted(terms.Calendar)}");
            }
        }
    }

    private static void CheckAssessment(AssessmentEntry assessment, Action<string, string> fail)
    {
        var items = assessment.Items;
        if (items.Count == 0)
        {
            fail("assessment.items", "must list the assessment items");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Number is < 1 or > 15)
            {
                fail($"assessment.items[{i}].number", $"must be from 1 to 15; it is {item.Number}");
            }
            else if (items.FindIndex(x => x.Number == item.Number) < i)
            {
                fail($"assessment.items[{i}].number", $"{item.Number} is given twice");
            }

            if (string.IsNullOrWhiteSpace(item.Name))
            {
                fail($"assessment.items[{i}].name", "is required");
            }

            if (item.MaxPoints <= 0)
            {
                fail($"assessment.items[{i}].maxPoints", "must be > 0");
            }
        }

        var total = items.Sum(i => i.MaxPoints);
        if (items.Count > 0 && total != 100)
        {
            fail("assessment.items", $"the items' maxPoints must sum to 100; they sum to {total.ToString(CultureInfo.InvariantCulture)}");
        }

        if (assessment.FreeDeduction < 0)
        {
            fail("assessment.freeDeduction", "must be ≥ 0");
        }

        if (assessment.FeePercentPerPoint is < 0 or > 100)
        {
            fail("assessment.feePercentPerPoint", "must be from 0 to 100");
        }

        if (assessment.RectificationAbove < assessment.FreeDeduction)
        {
            fail("assessment.rectificationAbove", $"must be ≥ freeDeduction ({assessment.FreeDeduction.ToString(CultureInfo.InvariantCulture)})");
        }

        for (var i = 0; i < assessment.DeductionRules.Count; i++)
        {
            var rule = assessment.DeductionRules[i];
            var field = $"assessment.deductionRules[{i}]";
            var kind = Kinds.FirstOrDefault(k => string.Equals(k, rule.Kind, StringComparison.OrdinalIgnoreCase));
            if (kind is null)
            {
                fail($"{field}.kind", $"must be one of {string.Join(", ", Kinds)}; it is {Quoted(rule.Kind)}");
            }

            // A fault has a response and a repair clock; a service request a response and a completion clock.
            string[] clocks = kind == "Request" ? ["Response", "Completion"] : ["Response", "Repair"];
            if (!clocks.Contains(rule.Clock, StringComparer.OrdinalIgnoreCase))
            {
                fail($"{field}.clock", $"must be one of {string.Join(", ", clocks)}; it is {Quoted(rule.Clock)}");
            }

            if (rule.Severity is not null && !Severities.Contains(rule.Severity, StringComparer.OrdinalIgnoreCase))
            {
                fail($"{field}.severity", $"must be one of {string.Join(", ", Severities)} or left out; it is {Quoted(rule.Severity)}");
            }

            if (!items.Any(x => x.Number == rule.Item))
            {
                fail($"{field}.item", $"must be the number of one of the assessment items; it is {rule.Item}");
            }

            if (rule.Points <= 0)
            {
                fail($"{field}.points", "must be > 0");
            }
        }
    }

    private static void CheckEscalation(EscalationEntry escalation, IReadOnlyList<int> warnings, Action<string, string> fail)
    {
        // A level hears of a stage: one of the contract's warning points, or the breach.
        var stages = warnings.Where(p => p is >= 1 and <= 99).Append(BreachStage).Distinct().Order().ToList();
        for (var i = 0; i < escalation.Levels.Count; i++)
        {
            var level = escalation.Levels[i];
            var field = $"escalation.levels[{i}]";
            if (string.IsNullOrWhiteSpace(level.Name))
            {
                fail($"{field}.name", "is required (who this is, 值班工程师)");
            }

            if (!Channels.Contains(level.Channel, StringComparer.OrdinalIgnoreCase))
            {
                fail($"{field}.channel", $"must be one of {string.Join(", ", Channels)}; it is {Quoted(level.Channel)}");
            }

            if (!stages.Contains(level.From))
            {
                fail($"{field}.from", $"must be a stage of the contract: {string.Join(", ", stages)} (100 is the breach); it is {level.From}");
            }

            if (level.Target is not null && !Targets.Contains(level.Target, StringComparer.Ordinal))
            {
                fail($"{field}.target", $"must be {string.Join(" or ", Targets)} or left out; it is {Quoted(level.Target)}");
            }

            if (!string.IsNullOrWhiteSpace(level.Url) && !(Uri.TryCreate(level.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
            {
                fail($"{field}.url", "must be an absolute http(s) URL");
            }
        }
    }

    private static void Target(Action<string, string> fail, string field, TimeSpan target)
    {
        if (target <= TimeSpan.Zero || target > LongestTarget)
        {
            fail(field, $"must be > 00:00:00 and at most 365.00:00:00; it is {target:c}");
        }
    }

    private static bool IsWorkingPeriod(string? text)
    {
        var match = WorkingPeriod().Match(text ?? "");
        return match.Success
            && TimeOnly.TryParseExact(match.Groups[1].Value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            && TimeOnly.TryParseExact(match.Groups[2].Value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            && from < to;
    }

    private static string Quoted(string? value) => value is null ? "empty" : $"'{value}'";

    [GeneratedRegex(@"^\s*(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$")]
    private static partial Regex WorkingPeriod();
}
