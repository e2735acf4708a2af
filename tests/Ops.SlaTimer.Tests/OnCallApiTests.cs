using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ops.Hosting.Security;
using Ops.SlaTimer.OnCall;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>
/// The on-call API over the seed contract, at the fake clock's 2026-11-24 10:00 (Shanghai): a daily primary turn at
/// 08:30 from 2026-11-23 (张三, 李四, 王五: 李四 is on duty) and a weekly secondary turn at 09:00 (王五, 张三).
/// </summary>
public class OnCallApiTests : ServiceTests<Program>
{
    private const string Contract = "OTQ-2026-OPS";
    private const string Hq = "HQ-2027-OPS";
    private const string Path = $"/api/oncall/{Contract}";

    protected override void Configure(ServiceFactory<Program> service)
    {
        SeedContract.CopyTo(service.Settings, Hq);
        service.Settings[$"Contracts:{Hq}:Title"] = "数据中心运维服务";
        service.Settings[$"Contracts:{Hq}:Sites:HQ"] = "数据中心";
    }

    private static object Rota(string primaryHandover = "08:30") => new
    {
        engineers = new object[]
        {
            new { id = "zhangsan", name = "张三", mobile = "13800000001", weComUserId = "ZhangSan", username = "zhangsan" },
            new { id = "lisi", name = "李四", mobile = "13800000002" },
            new { id = "wangwu", name = "王五", mobile = "13800000003" },
        },
        rotations = new object[]
        {
            new { name = "一线值班", layer = "primary", turn = "daily", handover = primaryHandover, start = "2026-11-23", engineers = new[] { "zhangsan", "lisi", "wangwu" } },
            new { name = "二线值班", layer = "secondary", turn = "weekly", handover = "09:00", start = "2026-11-23", engineers = new[] { "wangwu", "zhangsan" } },
        },
    };

    private static object Swap(string engineer, string from, string to, string layer = "primary") => new { layer, engineer, from, to, reason = "李四家中有事" };

    private async Task SaveRotaAsync()
    {
        var saved = await Client.PutAsJsonAsync($"{Path}/rotations", Rota());
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The fields a 400 problem names.</summary>
    private static async Task<string[]> FieldsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name)];
    }

    private static JsonElement Layer(JsonElement now, string layer) => now.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("layer").GetString() == layer);

    private static string? OnDutyName(JsonElement now, string layer) =>
        Layer(now, layer).GetProperty("shift") is { ValueKind: JsonValueKind.Object } shift ? shift.GetProperty("engineer").GetProperty("name").GetString() : null;

    [Test]
    public async Task ASavedRota_NamesWhoIsOnDutyNow_AndTheNextHandover_AndRecordsWhoSavedIt()
    {
        var before = await JsonAsync(await Client.GetAsync($"{Path}/rotations"));
        Assert.That(before.GetProperty("source").GetString(), Is.EqualTo("none"));
        Assert.That(OnDutyName(await JsonAsync(await Client.GetAsync($"{Path}/now")), "primary"), Is.Null, "no rota, nobody");

        using var manager = Service.ClientAs(Roles.Manager, "周经理");
        var saved = await JsonAsync(await manager.PutAsJsonAsync($"{Path}/rotations", Rota()));
        var now = await JsonAsync(await Client.GetAsync($"{Path}/now"));

        Assert.That(saved.GetProperty("source").GetString(), Is.EqualTo("api"));
        Assert.That(saved.GetProperty("changedBy").GetString(), Is.EqualTo("周经理"));
        Assert.That(saved.GetProperty("changedAt").GetDateTimeOffset(), Is.EqualTo(Service.Time.GetUtcNow()));
        Assert.That(saved.GetProperty("rotations")[0].GetProperty("handover").GetString(), Is.EqualTo("08:30"));
        Assert.That(saved.GetProperty("rotations")[0].GetProperty("start").GetString(), Is.EqualTo("2026-11-23"));
        Assert.That(saved.GetProperty("engineers")[0].GetProperty("weComUserId").GetString(), Is.EqualTo("ZhangSan"));
        var primary = Layer(now, "primary");
        Assert.That(primary.GetProperty("shift").GetProperty("engineer").GetProperty("mobile").GetString(), Is.EqualTo("13800000002"));
        Assert.That(OnDutyName(now, "primary"), Is.EqualTo("李四"));
        Assert.That(primary.GetProperty("shift").GetProperty("from").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2026, 11, 24, 8, 30, 0, TimeSpan.FromHours(8))));
        Assert.That(primary.GetProperty("nextHandover").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2026, 11, 25, 8, 30, 0, TimeSpan.FromHours(8))));
        Assert.That(primary.GetProperty("next").GetProperty("engineer").GetProperty("name").GetString(), Is.EqualTo("王五"));
        Assert.That(OnDutyName(now, "secondary"), Is.EqualTo("王五"));
        Assert.That(Layer(now, "secondary").GetProperty("next").GetProperty("engineer").GetProperty("name").GetString(), Is.EqualTo("张三"));

        var roster = Service.Services.GetRequiredService<IDutyRoster>();
        Assert.That(roster, Is.SameAs(Service.Services.GetRequiredService<IDutyRoster>()), "one roster for the service");
        Assert.That((await roster.OnDutyAsync(Contract, DutyLayer.Primary, Service.Time.GetUtcNow()))?.Engineer.Id, Is.EqualTo("lisi"));
        Assert.That((await roster.EngineerByWeComUserAsync(Contract, "ZhangSan"))?.Id, Is.EqualTo("zhangsan"));
        Assert.That(await roster.EngineerByWeComUserAsync(Contract, "Nobody"), Is.Null);
    }

    [Test]
    public async Task TheChangeLog_KeepsTheMobilesMasked_AndWeComUserIdsMatchWhateverTheirCase()
    {
        await SaveRotaAsync();
        var twice = new
        {
            engineers = new object[]
            {
                new { id = "zhangsan", name = "张三", mobile = "13800000001", weComUserId = "ZhangSan" },
                new { id = "lisi", name = "李四", mobile = "13800000002", weComUserId = "zhangsan" },
            },
            rotations = new object[] { new { name = "一线值班", layer = "primary", turn = "daily", handover = "08:30", start = "2026-11-23", engineers = new[] { "zhangsan", "lisi" } } },
        };

        var logged = await Dapper.SqlMapper.QuerySingleAsync<string>(await Database.OpenAsync(), "SELECT detail FROM oncall_changes WHERE change = 'rotations-saved'");
        var refused = await Client.PutAsJsonAsync($"{Path}/rotations", twice);
        var refusedBody = await refused.Content.ReadAsStringAsync();
        var roster = Service.Services.GetRequiredService<IDutyRoster>();
        var byLowerCase = (await roster.EngineerByWeComUserAsync(Contract, "zhangsan"))?.Id;
        var byUpperCase = (await roster.EngineerByWeComUserAsync(Contract, "ZHANGSAN"))?.Id;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(logged, Does.Contain("138****0001").And.Contain("138****0003").And.Not.Contain("13800000001").And.Not.Contain("13800000003"));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "WeCom UserIDs ignore case: " + refusedBody);
            Assert.That(refusedBody, Does.Contain("engineers[1].weComUserId"));
            Assert.That((byLowerCase, byUpperCase), Is.EqualTo(("zhangsan", "zhangsan")));
        }
    }

    [Test]
    public async Task ABadRota_IsRefusedNamingEachField_AndChangesNothing()
    {
        var bad = new
        {
            engineers = new object[] { new { id = "zhangsan", name = "张三", mobile = "12345" } },
            rotations = new object[]
            {
                new { name = "一线值班", layer = "primary", turn = "daily", handover = "8:30", start = "2026-11-23", engineers = Array.Empty<string>() },
                new { name = "二线值班", layer = "tertiary", turn = "monthly", handover = "09:00", start = "2026-11-23", engineers = new[] { "nobody" } },
            },
        };

        var response = await Client.PutAsJsonAsync($"{Path}/rotations", bad);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(fields, Is.EquivalentTo(new[]
        {
            "engineers[0].mobile", "rotations[0].handover", "rotations[0].engineers", "rotations[1].layer", "rotations[1].turn", "rotations[1].engineers",
        }));
        Assert.That(problem.GetProperty("errors").GetProperty("rotations[0].engineers")[0].GetString(), Does.Contain("须至少列出一名工程师"));
        Assert.That(problem.GetProperty("errors").GetProperty("rotations[1].engineers")[0].GetString(), Does.Contain("“nobody”不在值班工程师"));
        Assert.That((await JsonAsync(await Client.GetAsync($"{Path}/rotations"))).GetProperty("source").GetString(), Is.EqualTo("none"));
    }

    [Test]
    public async Task AnOverride_BeatsTheRotation_AnOverlappingOneIsRefusedInChinese_AndOnlyOneNotYetBegunCanBeRemoved()
    {
        await SaveRotaAsync();

        var added = await Client.PostAsJsonAsync($"{Path}/overrides", Swap("zhangsan", "2026-11-24T10:00:00+08:00", "2026-11-24T20:00:00+08:00"));
        var swap = await JsonAsync(added);
        var now = await JsonAsync(await Client.GetAsync($"{Path}/now"));
        var overlapping = await Client.PostAsJsonAsync($"{Path}/overrides", Swap("wangwu", "2026-11-24T19:00:00+08:00", "2026-11-24T22:00:00+08:00"));
        var touching = await Client.PostAsJsonAsync($"{Path}/overrides", Swap("wangwu", "2026-11-24T20:00:00+08:00", "2026-11-24T22:00:00+08:00"));
        var otherLayer = await Client.PostAsJsonAsync($"{Path}/overrides", Swap("lisi", "2026-11-24T19:00:00+08:00", "2026-11-24T22:00:00+08:00", "secondary"));

        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(swap.GetProperty("createdBy").GetString(), Is.EqualTo("test manager"));
        Assert.That(swap.GetProperty("engineer").GetString(), Is.EqualTo("zhangsan"));
        var shift = Layer(now, "primary").GetProperty("shift");
        Assert.That(shift.GetProperty("engineer").GetProperty("name").GetString(), Is.EqualTo("张三"));
        Assert.That(shift.GetProperty("overrideId").GetGuid(), Is.EqualTo(swap.GetProperty("id").GetGuid()));
        Assert.That(shift.GetProperty("reason").GetString(), Is.EqualTo("李四家中有事"));
        Assert.That(Layer(now, "primary").GetProperty("next").GetProperty("engineer").GetProperty("name").GetString(), Is.EqualTo("李四"), "李四 takes the rest of the turn");
        Assert.That(overlapping.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var conflict = await overlapping.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(conflict.GetProperty("title").GetString(), Is.EqualTo("换班时间重叠。"));
        Assert.That(conflict.GetProperty("detail").GetString(), Does.Contain("2026-11-24 10:00 至 2026-11-24 20:00").And.Contain(swap.GetProperty("id").GetString()!));
        Assert.That((touching.StatusCode, otherLayer.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Created)));

        var begun = await Client.DeleteAsync($"{Path}/overrides/{swap.GetProperty("id").GetGuid()}");
        var future = (await JsonAsync(touching)).GetProperty("id").GetGuid();
        var removed = await Client.DeleteAsync($"{Path}/overrides/{future}");
        var again = await Client.DeleteAsync($"{Path}/overrides/{future}");
        var rota = await JsonAsync(await Client.GetAsync($"{Path}/rotations"));

        Assert.That(begun.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await begun.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), Is.EqualTo("已开始的换班不能删除；可登记新的换班。"));
        Assert.That((removed.StatusCode, again.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NotFound)));
        Assert.That(OnDutyName(await JsonAsync(await Client.GetAsync($"{Path}/now")), "primary"), Is.EqualTo("张三"), "the begun override stays");
        Assert.That(rota.GetProperty("overrides").GetArrayLength(), Is.EqualTo(2), "the begun one and the secondary's");
        var changes = await Dapper.SqlMapper.QueryAsync<string>(await Database.OpenAsync(), "SELECT change || ' ' || changed_by FROM oncall_changes ORDER BY id");
        Assert.That(changes, Is.EqualTo(new[] { "rotations-saved test manager", "override-added test manager", "override-added test manager", "override-added test manager", "override-removed test manager" }));
    }

    [Test]
    public async Task AnOverrideThatCannotWork_IsRefusedNamingTheField()
    {
        await SaveRotaAsync();

        var unknown = await Client.PostAsJsonAsync($"{Path}/overrides", Swap("nobody", "2026-11-24T10:00:00+08:00", "2026-11-24T20:00:00+08:00"));
        var backwards = await Client.PostAsJsonAsync($"{Path}/overrides", Swap("lisi", "2026-11-24T20:00:00+08:00", "2026-11-24T09:00:00+08:00"));
        var past = await Client.PostAsJsonAsync($"{Path}/overrides", Swap("lisi", "2026-11-23T09:00:00+08:00", "2026-11-23T20:00:00+08:00"));
        var begunAnHourAgo = await Client.PostAsJsonAsync($"{Path}/overrides", Swap("lisi", "2026-11-24T09:00:00+08:00", "2026-11-24T20:00:00+08:00"));
        var noLayer = await Client.PostAsJsonAsync($"{Path}/overrides", new { engineer = "lisi", from = "2026-11-24T10:00:00+08:00", to = "2026-11-24T20:00:00+08:00", reason = "换班" });

        Assert.That(await FieldsAsync(unknown), Is.EqualTo(new[] { "engineer" }));
        Assert.That(await FieldsAsync(backwards), Is.EqualTo(new[] { "to" }));
        Assert.That(await FieldsAsync(past), Is.EquivalentTo(new[] { "from", "to" }));
        Assert.That(await FieldsAsync(begunAnHourAgo), Is.EqualTo(new[] { "from" }));
        Assert.That(await FieldsAsync(noLayer), Is.EqualTo(new[] { "layer" }));
        Assert.That((await JsonAsync(await Client.GetAsync($"{Path}/rotations"))).GetProperty("overrides").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task AnAuditorSeesMobilesMasked_AndMayNotChangeTheRota_AndAnOperatorIsNotOnIt()
    {
        await SaveRotaAsync();
        using var auditor = Service.ClientAs(Roles.Auditor);
        using var engineer = Service.ClientAs(Roles.Engineer);
        using var @operator = Service.ClientAs(Roles.Operator);

        var seen = await JsonAsync(await auditor.GetAsync($"{Path}/now"));
        var rota = await JsonAsync(await auditor.GetAsync($"{Path}/rotations"));
        var schedule = await JsonAsync(await auditor.GetAsync($"{Path}/schedule?from=2026-11-24T00:00:00%2B08:00&to=2026-11-25T00:00:00%2B08:00"));
        var engineerSees = await JsonAsync(await engineer.GetAsync($"{Path}/now"));

        Assert.That(Layer(seen, "primary").GetProperty("shift").GetProperty("engineer").GetProperty("mobile").GetString(), Is.EqualTo("138****0002"));
        Assert.That(rota.GetProperty("engineers").EnumerateArray().Select(e => e.GetProperty("mobile").GetString()), Is.All.Contains("****"));
        Assert.That(schedule.GetProperty("shifts").EnumerateArray().Select(e => e.GetProperty("engineer").GetProperty("mobile").GetString()), Is.All.Contains("****"));
        Assert.That(Layer(engineerSees, "primary").GetProperty("shift").GetProperty("engineer").GetProperty("mobile").GetString(), Is.EqualTo("13800000002"));
        Assert.That((await auditor.PutAsJsonAsync($"{Path}/rotations", Rota())).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await engineer.PostAsJsonAsync($"{Path}/overrides", Swap("lisi", "2026-11-24T10:00:00+08:00", "2026-11-24T20:00:00+08:00"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await @operator.GetAsync($"{Path}/now")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task AContractOutsideTheCallersScope_IsNotFound_LikeAnUnknownOne()
    {
        await SaveRotaAsync();
        using var ofHq = Service.ClientAs(Roles.Manager, Scope.Of([Hq]));
        using var ofShm = Service.ClientAs(Roles.Manager, Scope.Of([Contract], ["SHM"]));

        Assert.That((await ofHq.GetAsync($"{Path}/now")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ofHq.PutAsJsonAsync($"{Path}/rotations", Rota())).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ofHq.GetAsync($"/api/oncall/{Hq}/rotations")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.GetAsync("/api/oncall/NO-SUCH-CONTRACT/now")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ofShm.GetAsync($"{Path}/now")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a site's manager sees who is on duty");
        Assert.That((await ofShm.PostAsJsonAsync($"{Path}/overrides", Swap("lisi", "2026-11-24T10:00:00+08:00", "2026-11-24T20:00:00+08:00"))).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound), "the rota belongs to the whole contract");
    }

    [Test]
    public async Task TheSchedule_ListsTheShiftsOfTheSpan_AndRefusesASpanOfMoreThan62Days()
    {
        await SaveRotaAsync();

        var week = await JsonAsync(await Client.GetAsync($"{Path}/schedule?from=2026-11-24T00:00:00%2B08:00&to=2026-11-26T00:00:00%2B08:00"));
        var tooLong = await Client.GetAsync($"{Path}/schedule?from=2026-11-01T00:00:00%2B08:00&to=2027-01-03T00:00:00%2B08:00");
        var missing = await Client.GetAsync($"{Path}/schedule");

        var primary = week.GetProperty("shifts").EnumerateArray().Where(s => s.GetProperty("layer").GetString() == "primary")
            .Select(s => s.GetProperty("engineer").GetProperty("id").GetString()).ToList();
        Assert.That(primary, Is.EqualTo(new[] { "zhangsan", "lisi", "wangwu" }));
        Assert.That(week.GetProperty("shifts")[0].GetProperty("from").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.FromHours(8))));
        Assert.That(await FieldsAsync(tooLong), Is.EqualTo(new[] { "to" }));
        Assert.That(await FieldsAsync(missing), Is.EquivalentTo(new[] { "from", "to" }));
    }

    [Test]
    public async Task RemovingAnEngineerWhomAnOverrideStillNames_IsRefused()
    {
        await SaveRotaAsync();
        await JsonAsync(await Client.PostAsJsonAsync($"{Path}/overrides", Swap("zhangsan", "2026-11-24T10:00:00+08:00", "2026-11-24T20:00:00+08:00")));
        var withoutZhang = new
        {
            engineers = new object[] { new { id = "lisi", name = "李四", mobile = "13800000002" } },
            rotations = new object[] { new { name = "一线值班", layer = "primary", turn = "daily", handover = "08:30", start = "2026-11-23", engineers = new[] { "lisi" } } },
        };

        var response = await Client.PutAsJsonAsync($"{Path}/rotations", withoutZhang);

        Assert.That(await FieldsAsync(response), Is.EqualTo(new[] { "engineers" }));
        Assert.That(OnDutyName(await JsonAsync(await Client.GetAsync($"{Path}/now")), "primary"), Is.EqualTo("张三"));
    }
}

/// <summary>A rota given in contracts.json answers until a manager saves one through the API, which then wins.</summary>
public class ConfiguredRotaTests : ServiceTests<Program>
{
    private const string Path = "/api/oncall/OTQ-2026-OPS";

    protected override void Configure(ServiceFactory<Program> service)
    {
        const string OnCall = "Contracts:OTQ-2026-OPS:OnCall";
        service.Settings[$"{OnCall}:Engineers:0:Id"] = "zhaoliu";
        service.Settings[$"{OnCall}:Engineers:0:Name"] = "赵六";
        service.Settings[$"{OnCall}:Engineers:0:Mobile"] = "13900000006";
        service.Settings[$"{OnCall}:Rotations:0:Name"] = "一线值班";
        service.Settings[$"{OnCall}:Rotations:0:Layer"] = "primary";
        service.Settings[$"{OnCall}:Rotations:0:Turn"] = "weekly";
        service.Settings[$"{OnCall}:Rotations:0:Handover"] = "08:30";
        service.Settings[$"{OnCall}:Rotations:0:Start"] = "2026-02-28";
        service.Settings[$"{OnCall}:Rotations:0:Engineers:0"] = "zhaoliu";
    }

    [Test]
    public async Task TheConfiguredRota_IsOnDuty_UntilAManagerSavesOne()
    {
        var configured = await Client.GetFromJsonAsync<JsonElement>($"{Path}/rotations");
        var onDuty = await Client.GetFromJsonAsync<JsonElement>($"{Path}/now");

        Assert.That(configured.GetProperty("source").GetString(), Is.EqualTo("contracts.json"));
        Assert.That(configured.GetProperty("changedBy").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(onDuty.GetProperty("layers")[0].GetProperty("shift").GetProperty("engineer").GetProperty("name").GetString(), Is.EqualTo("赵六"));

        var saved = await Client.PutAsJsonAsync($"{Path}/rotations", new
        {
            engineers = new object[] { new { id = "qianqi", name = "钱七", mobile = "13900000007" } },
            rotations = new object[] { new { name = "一线值班", layer = "primary", turn = "daily", handover = "08:30", start = "2026-11-01", engineers = new[] { "qianqi" } } },
        });
        var after = await Client.GetFromJsonAsync<JsonElement>($"{Path}/now");

        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.GetProperty("layers")[0].GetProperty("shift").GetProperty("engineer").GetProperty("name").GetString(), Is.EqualTo("钱七"));
    }
}

/// <summary>A rota in contracts.json that cannot work stops the sla-timer at start, naming the setting.</summary>
public class RotaSettingsTests
{
    private const string OnCall = "Contracts:OTQ-2026-OPS:OnCall";

    private static async Task<IReadOnlyList<string>> RefusedAsync(params (string Key, string Value)[] settings)
    {
        await using var service = new ServiceFactory<Program>();
        foreach (var (key, value) in settings)
        {
            service.Settings[key] = value;
        }

        return service.RefusedSettings();
    }

    private static (string, string)[] Rotation(string handover, string engineer) =>
    [
        ($"{OnCall}:Rotations:0:Name", "一线值班"), ($"{OnCall}:Rotations:0:Layer", "primary"), ($"{OnCall}:Rotations:0:Turn", "daily"),
        ($"{OnCall}:Rotations:0:Handover", handover), ($"{OnCall}:Rotations:0:Start", "2026-02-28"), ($"{OnCall}:Rotations:0:Engineers:0", engineer),
    ];

    private static readonly (string, string)[] Zhang = [($"{OnCall}:Engineers:0:Id", "zhangsan"), ($"{OnCall}:Engineers:0:Name", "张三"), ($"{OnCall}:Engineers:0:Mobile", "13800000001")];

    [Test]
    public async Task ARotaWithNoEngineers_StopsTheService()
    {
        var failures = await RefusedAsync(Rotation("08:30", "zhangsan"));

        Assert.That(failures, Has.Some.StartsWith($"{OnCall}:Engineers (Contracts__OTQ-2026-OPS__OnCall__Engineers): "));
    }

    [Test]
    public async Task AnUnknownEngineerId_StopsTheService_NamingTheRotationsEngineers()
    {
        var failures = await RefusedAsync([.. Zhang, .. Rotation("08:30", "lisi")]);

        Assert.That(failures, Is.EqualTo(new[] { $"{OnCall}:Rotations:0:Engineers (Contracts__OTQ-2026-OPS__OnCall__Rotations__0__Engineers): 'rotations[0].engineers' names 'lisi', who is not among the engineers." }));
    }

    [Test]
    public async Task ABadHandoverTime_StopsTheService_NamingTheSetting()
    {
        var failures = await RefusedAsync([.. Zhang, .. Rotation("8.30", "zhangsan")]);

        Assert.That(failures, Has.One.StartsWith($"{OnCall}:Rotations:0:Handover (Contracts__OTQ-2026-OPS__OnCall__Rotations__0__Handover): "));
    }
}
