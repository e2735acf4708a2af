using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Thousands of generated bad requests: each a 4xx problem, none a 5xx, and nothing stored changes.</summary>
public class BadInputTests
{
    [Test]
    public async Task ThreeThousandBadRequests_AreEachRefusedWithAProblem_AndChangeNothing()
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings["Intake:RateLimit:PermitsPerSecond"] = "100000";
        service.Settings["Intake:RateLimit:Burst"] = "100000";
        using var client = service.CreateClient();
        var created = await client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        var ticket = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var database = (Database)service.Services.GetService(typeof(Database))!;
        var before = await StoredState.FingerprintAsync(database);

        var valid = JsonSerializer.Serialize(Reports.Valid(), JsonSerializerOptions.Web);
        var injections = BadRequests.Injections;
        BadInputTarget[] targets =
        [
            new("POST", "/api/tickets", valid, new Dictionary<string, JsonNode?[]>
            {
                ["channel"] = ["fax", "", null, .. injections.Select(i => JsonValue.Create(i))],
                ["kind"] = ["incident", "FAULT!", 1],
                ["severity"] = ["critical", "", null, "severe' OR '1'='1"],
                ["siteCode"] = ["XYZ", "", null, .. injections.Select(i => JsonValue.Create(i))],
                ["system"] = ["", null, new string('系', 101), .. injections.Select(i => JsonValue.Create(i))],
                ["title"] = ["", "   ", null, new string('题', 201)],
                ["description"] = [new string('述', 4001)],
                ["reporter"] = [null, new JsonObject(), new JsonObject { ["name"] = "李", ["phone"] = "12345" }, new JsonObject { ["name"] = "", ["phone"] = "13812345678" }, new JsonObject { ["name"] = "李", ["phone"] = "' OR 1=1 --" }],
                ["reportedAt"] = ["yesterday", "2026-11-24T10:00:00", "2026-02-30T10:00:00+08:00", "2020-01-01T00:00:00+08:00", "2099-01-01T00:00:00+08:00", "0001-01-01T00:00:00+00:00", 1732400000],
                ["externalRef"] = [new string('r', 101)],
                ["grade"] = ["normal", "", 7],
            }),
            new("POST", $"/api/tickets/{ticket}/resolve", """{"resolution":"已处理"}""", new Dictionary<string, JsonNode?[]>
            {
                ["resolution"] = ["", "  ", null, new string('修', 4001)],
            }),
            new("POST", $"/api/tickets/{Guid.NewGuid()}/acknowledge", "{}"),
            new("POST", $"/api/tickets/{ticket}/severity", """{"severity":"general","reason":"仅单一窗口受影响"}""", new Dictionary<string, JsonNode?[]>
            {
                ["severity"] = ["critical", "", null, "SEVERE'--", .. injections.Select(i => JsonValue.Create(i))],
                ["reason"] = ["", "  ", null, new string('因', 1001)],
            }),
            new("POST", $"/api/tickets/{ticket}/reopen", """{"reason":"仍无法出件"}""", new Dictionary<string, JsonNode?[]>
            {
                ["reason"] = ["", "  ", null, new string('因', 1001)],
            }),
            new("POST", $"/api/tickets/{ticket}/pause", """{"reason":"等待用户提供材料"}""", new Dictionary<string, JsonNode?[]>
            {
                ["reason"] = ["", "  ", null, new string('因', 201), .. injections.Select(i => JsonValue.Create(i))],
            }),
            new("POST", $"/api/tickets/{ticket}/pause/decline", """{"reason":"材料已齐全"}""", new Dictionary<string, JsonNode?[]>
            {
                ["reason"] = ["", "  ", null, new string('因', 1001)],
            }),
            new("POST", "/api/admin/users", """{"username":"li.na","displayName":"李娜","role":"engineer","password":"a long enough password"}""", new Dictionary<string, JsonNode?[]>
            {
                ["username"] = ["a", "has space", "x'; DROP TABLE users; --", null],
                ["role"] = ["root", "", null],
                ["password"] = ["short", null],
            }),
            new("GET", "/api/tickets", WrongQueries:
            [
                "limit=0", "limit=201", "limit=99999999999", "limit=-5", "limit=ten", "offset=-1", "offset=1e9", "status=closed", "severity=critical",
                "kind=request' --", "from=yesterday", "from=2026-11-24T10:00:00", "to=2026-13-01T00:00:00Z",
                "from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", .. injections.Select(i => $"siteCode={Uri.EscapeDataString(i)}"),
                .. injections.Select(i => $"status={Uri.EscapeDataString(i)}"),
            ]),
            new("GET", $"/api/tickets/{Uri.EscapeDataString("F2026' OR 1=1 --")}", WrongQueries: [""]),
        ];

        var failures = new List<string>();
        var count = 0;
        foreach (var request in BadRequests.Generate(targets, 3000, seed: 20261124))
        {
            // The generator may spoil the admin target's body; those requests need an admin.
            var caller = request.RequestUri!.OriginalString.StartsWith("/api/admin", StringComparison.Ordinal) ? service.ClientAs("admin") : client;
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync();
            using var response = await caller.SendAsync(request);
            count++;
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{request.Method} {request.RequestUri} {request.Content?.Headers.ContentType?.MediaType} {(body.Length > 400 ? body[..400] + "…" : body)} → {status} {response.Content.Headers.ContentType?.MediaType}");
            }
        }

        Assert.That(count, Is.EqualTo(3000));
        Assert.That(failures, Is.Empty, $"{failures.Count} of {count}; first: {string.Join("\n", failures.Take(10))}");
        Assert.That(await StoredState.FingerprintAsync(database), Is.EqualTo(before));
    }

    [Test]
    public async Task EveryTextFieldOfEveryBody_RefusesControlAndInvisibleCharacters_NamingTheField_AndChangesNothing()
    {
        await using var service = new ServiceFactory<Program>();
        service.Settings["Intake:RateLimit:PermitsPerSecond"] = "100000";
        service.Settings["Intake:RateLimit:Burst"] = "100000";
        using var client = service.CreateClient();
        using var admin = service.ClientAs("admin");
        var created = await client.PostAsJsonAsync("/api/tickets", Reports.Request());
        var ticket = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var database = (Database)service.Services.GetService(typeof(Database))!;
        var before = await StoredState.FingerprintAsync(database);

        BadInputTarget[] targets =
        [
            new("POST", "/api/tickets", JsonSerializer.Serialize(Reports.Valid() with { ExternalRef = "CALL-2026-11-24-0009" }, JsonSerializerOptions.Web)),
            new("POST", $"/api/tickets/{ticket}/resolve", """{"resolution":"重启出件服务"}"""),
            new("POST", $"/api/tickets/{ticket}/severity", """{"severity":"general","reason":"仅单一窗口受影响"}"""),
            new("POST", $"/api/tickets/{ticket}/reopen", """{"reason":"仍无法出件"}"""),
            new("POST", $"/api/tickets/{ticket}/pause", """{"reason":"等待用户提供材料"}"""),
            new("POST", $"/api/tickets/{ticket}/pause/decline", """{"reason":"材料已齐全"}"""),
            new("POST", "/api/admin/users", """{"username":"li.na","displayName":"李娜","role":"engineer","password":"a long enough password"}"""),
            new("POST", "/api/admin/keys", """{"name":"hotline gateway","role":"intake"}"""),
        ];

        var failures = new List<string>();
        var count = 0;
        foreach (var (request, field) in BadRequests.WithHiddenCharacters(targets, except: "password"))
        {
            var caller = request.RequestUri!.OriginalString.StartsWith("/api/admin", StringComparison.Ordinal) ? admin : client;
            var body = await request.Content!.ReadAsStringAsync();
            using var response = await caller.SendAsync(request);
            count++;
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            if (response.StatusCode != HttpStatusCode.BadRequest || problem.ValueKind != JsonValueKind.Object
                || !problem.TryGetProperty("errors", out var errors) || !errors.TryGetProperty(field, out _))
            {
                failures.Add($"{request.RequestUri} {field}: {body} → {(int)response.StatusCode} {(problem.ValueKind == JsonValueKind.Object ? problem.ToString() : "")}");
            }
        }

        Assert.That(count, Is.EqualTo(BadRequests.HiddenCharacters.Length * 21), "every text field of every body: 10 of a report, 6 of the lifecycle, 3 of a user, 2 of a key");
        Assert.That(failures, Is.Empty, $"{failures.Count} of {count}; first: {string.Join("\n", failures.Take(10))}");
        Assert.That(await StoredState.FingerprintAsync(database), Is.EqualTo(before));
    }
}
