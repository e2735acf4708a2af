using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ops.Console.Components.Layout;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>
/// What holds for every page and every person: nothing from another origin, the 403 page for a role not listed,
/// hashed and long-cached assets, the security headers, the person's own sign-in limit, Secure cookies behind a
/// TLS proxy (trusted proxies only), and sessions that outlive a restart.
/// </summary>
public sealed partial class HardeningTests
{
    /// <summary>The roles the tests have a user of.</summary>
    private static IEnumerable<string> Roles => ConsoleUnderTest.Passwords.Keys.Order(StringComparer.Ordinal);

    [Test]
    public async Task EveryPageOfEveryRole_LoadsOnlyFromTheConsole_WithoutAFailedRequest_AndWithHashedImmutableAssets()
    {
        using var desk = ConsoleUnderTest.Tickets.Client();
        var number = await Apis.ReportFaultAsync(desk, "OTQ", "其他", "每页同源检查");

        // Each role in a browser of its own, all at once: each page is waited on until the network is quiet.
        await Task.WhenAll(Roles.Select(async role =>
        {
            await using var browser = await BrowserSession.OpenAsync();
            var page = browser.Page;
            var failed = new List<string>();
            var assets = new List<IResponse>();
            page.RequestFailed += (_, request) => { lock (failed) { failed.Add($"{request.Url}: {request.Failure}"); } };
            page.Response += (_, response) =>
            {
                lock (failed)
                {
                    if (response.Request.ResourceType != "document" && response.Status >= 400)
                    {
                        failed.Add($"{response.Url}: {response.Status}");
                    }

                    if (response.Request.ResourceType is "script" or "stylesheet")
                    {
                        assets.Add(response);
                    }
                }
            };
            await browser.SignInAsAsync(role);

            var opened = new List<string> { "" };
            opened.AddRange(Menu.Entries.Where(e => e.Roles.Contains(role)).Select(e => e.Href));
            opened.Add($"tickets/{number}");
            foreach (var path in opened)
            {
                var response = await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                Assert.That(response!.Status, path.StartsWith("tickets/", StringComparison.Ordinal) ? Is.EqualTo(200).Or.EqualTo(403) : Is.EqualTo(200), $"{role} opens /{path}");
            }

            Assert.That(browser.Requests.Select(url => new Uri(url).GetLeftPart(UriPartial.Authority)).Distinct(),
                Is.EqualTo(new[] { BrowserSession.Origin.GetLeftPart(UriPartial.Authority) }), $"{role}: every request to the console's own origin");
            Assert.That(failed, Is.Empty, $"{role}: failed requests");
            await browser.AssertWellBehavedAsync();
            Assert.That(assets.Select(a => new Uri(a.Url).AbsolutePath), Has.Some.Match(@"^/app\.[a-z0-9]+\.css$").And.Some.Match(@"^/js/countdown\.[a-z0-9]+\.js$"));
            foreach (var asset in assets)
            {
                Assert.That(new Uri(asset.Url).AbsolutePath, Does.Match(@"\.[a-z0-9]{8,}(\.styles)?\.(js|css)$"), $"{asset.Url}: a content hash in its name");
                Assert.That(asset.Headers.GetValueOrDefault("cache-control"), Does.Contain("immutable").And.Contain("max-age=31536000"), asset.Url);
            }
        }));
    }

    [Test]
    public async Task EveryMenuPage_AnswersTheChinese403Page_ToEveryRoleItDoesNotList()
    {
        // Each role in a browser of its own, all at once.
        await Task.WhenAll(Roles.Select(async role =>
        {
            var refused = Menu.Entries.Where(e => !e.Roles.Contains(role)).ToList();
            if (refused.Count == 0)
            {
                return;
            }

            await using var browser = await BrowserSession.SignedInAsync(role);
            foreach (var entry in refused)
            {
                var response = await browser.Page.GotoAsync(entry.Href);

                Assert.That(response!.Status, Is.EqualTo(403), $"{role} opens {entry.Title} (/{entry.Href})");
                Assert.That(await browser.Page.Locator("h1").TextContentAsync(), Is.EqualTo("无权访问"), $"{role} on /{entry.Href}");
            }

            await browser.AssertWellBehavedAsync();
        }));
    }

    [Test]
    public async Task HomePage_ListsThePersonsPages_WithTheirDescriptions()
    {
        foreach (var (width, height) in new[] { (375, 740), (1280, 800) })
        {
            await using var browser = await BrowserSession.SignedInAsync("manager", width, height);
            var page = browser.Page;

            var entries = Menu.Entries.Where(e => e.Roles.Contains("manager")).ToList();
            Assert.That(await page.Locator("main a.card strong").AllTextContentsAsync(), Is.EqualTo(entries.Select(e => e.Title)));
            Assert.That(await page.Locator("main a.card span").AllTextContentsAsync(), Is.EqualTo(entries.Select(e => e.Description)));
            Assert.That(await page.Locator("main").TextContentAsync(), Does.Not.Contain("建设中"));
            await browser.ScreenshotAsync($"home-manager-{width}");
            await browser.AssertWellBehavedAsync();
        }
    }

    [Test]
    public async Task EveryPage_CarriesTheSecurityHeaders_AndIsCompressed()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = BrowserSession.Origin };
        using var request = new HttpRequestMessage(HttpMethod.Get, "login");
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");

        using var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Header(response, "Content-Security-Policy"), Does.Contain("frame-ancestors 'none'").And.Contain("script-src 'self'").And.Not.Contain("unsafe-inline"));
        Assert.That(Header(response, "X-Frame-Options"), Is.EqualTo("DENY"));
        Assert.That(Header(response, "Referrer-Policy"), Is.EqualTo("same-origin"));
        Assert.That(Header(response, "X-Content-Type-Options"), Is.EqualTo("nosniff"));
        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }).Or.EqualTo(new[] { "gzip" }));
    }

    [Test]
    public async Task ManyPeopleSigningInThroughTheConsole_EachHaveTheirOwnLimit()
    {
        var answers = new List<string>();
        for (var person = 1; person <= 12; person++)
        {
            answers.Add((await SignInAsync(BrowserSession.Origin, "engineer", "not the password at all", Forwarded($"10.60.0.{person}"))).Alert());
        }

        var one = new List<string>();
        for (var attempt = 0; attempt < 11; attempt++)
        {
            one.Add((await SignInAsync(BrowserSession.Origin, "engineer", "not the password at all", Forwarded("10.61.0.1"))).Alert());
        }

        Assert.That(answers, Is.All.EqualTo("用户名或密码错误"), "twelve people behind one console, each with a wrong password once");
        Assert.That(one.Take(10), Is.All.EqualTo("用户名或密码错误"));
        Assert.That(one[^1], Is.EqualTo("登录尝试过于频繁，请一分钟后再试"), "one person's eleventh attempt within the minute");
    }

    [Test]
    public async Task BehindATlsProxy_TheSessionCookieIsSecure_ButNotWhenTheProxyIsNotTrusted()
    {
        var https = new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "10.62.0.1" };
        await using var distrusting = ConsoleUnderTest.NewConsole("console-distrusting-loopback");
        distrusting.Settings["ForwardedHeaders__KnownProxies__0"] = "192.0.2.1";
        await distrusting.StartAsync("tickets", "sla-timer", "scoring");

        var trusted = await SignInAsync(BrowserSession.Origin, "manager", ConsoleUnderTest.Passwords["manager"], https);
        var untrusted = await SignInAsRetryingAsync(distrusting.BaseAddress, "manager", https);

        Assert.That(trusted.Attributes, Does.Contain("secure").And.Contain("httponly").And.Contain("samesite=strict"), trusted.Session);
        Assert.That(untrusted.Attributes, Does.Not.Contain("secure").And.Contain("httponly"), "X-Forwarded-Proto from a caller that is not a trusted proxy is ignored");
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ASession_OutlivesARestartOfTheConsole_ItsKeysOwnerOnlyInTheirFolder()
    {
        var keys = Path.Combine(TestFolder.Create(), "console-keys");
        await using var console = ConsoleUnderTest.NewConsole("console-restarted");
        console.Settings["Console__DataProtectionKeys"] = keys;
        await console.StartAsync("tickets", "sla-timer", "scoring");
        var signedIn = await SignInAsRetryingAsync(console.BaseAddress, "engineer", []);
        Assert.That(await HomeAsync(console.BaseAddress, signedIn.Cookies), Does.Contain($"你好，{ConsoleUnderTest.DisplayNames["engineer"]}"));

        await console.KillAsync();
        await console.StartAsync("tickets", "sla-timer", "scoring");

        Assert.That(await HomeAsync(console.BaseAddress, signedIn.Cookies), Does.Contain($"你好，{ConsoleUnderTest.DisplayNames["engineer"]}"), "still signed in");
        Assert.That(File.GetUnixFileMode(keys), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        var files = Directory.GetFiles(keys, "key-*.xml");
        Assert.That(files, Is.Not.Empty, "the keys are in the folder of the setting");
        Assert.That(files.Select(File.GetUnixFileMode), Is.All.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task AKeyFolderThatCannotBeMade_StopsTheConsoleAtStart_NamingTheSetting()
    {
        var file = Path.Combine(TestFolder.Create(), "a-file");
        await File.WriteAllTextAsync(file, "");
        await using var console = ConsoleUnderTest.NewConsole("console-bad-keys");
        console.Settings["Console__DataProtectionKeys"] = Path.Combine(file, "keys");

        Assert.ThrowsAsync<InvalidOperationException>(() => console.StartAsync("tickets"), "the console exited");

        await Eventually.HoldsAsync(() => Task.FromResult(File.ReadAllText(console.LogFile).Contains("Console:DataProtectionKeys (Console__DataProtectionKeys): the folder", StringComparison.Ordinal)));
    }

    private static Dictionary<string, string> Forwarded(string address) => new() { ["X-Forwarded-For"] = address };

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    /// <summary>The home page as the holder of <paramref name="cookies"/> gets it (a redirect to sign-in is no home page).</summary>
    private static async Task<string> HomeAsync(Uri console, string cookies)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = console };
        using var request = new HttpRequestMessage(HttpMethod.Get, "");
        request.Headers.Add("Cookie", cookies);
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK ? WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()) : $"{(int)response.StatusCode} {response.Headers.Location}";
    }

    /// <summary>Signs the role's user in, trying again while the tickets service refuses for too many attempts from loopback.</summary>
    private static async Task<SignInAnswer> SignInAsRetryingAsync(Uri console, string role, Dictionary<string, string> headers)
    {
        SignInAnswer? answer = null;
        await Eventually.HoldsAsync(async () =>
        {
            answer = await SignInAsync(console, role, ConsoleUnderTest.Passwords[role], headers);
            if (answer.Session is not null)
            {
                return true;
            }

            Assert.That(answer.Alert(), Is.EqualTo("登录尝试过于频繁，请一分钟后再试"), "the only refusal tried again");
            await Task.Delay(TimeSpan.FromSeconds(1)); // the next minute's window, not a request every 25 ms
            return false;
        }, TimeSpan.FromSeconds(75));
        return answer!;
    }

    /// <summary>The sign-in form as a person's browser posts it (its antiforgery token and cookie), with the headers a proxy would add.</summary>
    private static async Task<SignInAnswer> SignInAsync(Uri console, string username, string password, Dictionary<string, string> headers)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = console };
        using var form = new HttpRequestMessage(HttpMethod.Get, "login");
        foreach (var (name, value) in headers)
        {
            form.Headers.Add(name, value);
        }

        using var page = await http.SendAsync(form);
        var html = await page.Content.ReadAsStringAsync();
        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Username"] = username;
        fields["Input.Password"] = password;

        using var post = new HttpRequestMessage(HttpMethod.Post, "login") { Content = new FormUrlEncodedContent(fields) };
        foreach (var (name, value) in headers)
        {
            post.Headers.Add(name, value);
        }

        post.Headers.Add("Cookie", string.Join("; ", SetCookies(page).Select(c => c.Split(';')[0])));
        using var answer = await http.SendAsync(post);
        var session = SetCookies(answer).SingleOrDefault(c => c.StartsWith("ops.session=", StringComparison.Ordinal));
        return new SignInAnswer(answer.StatusCode, await answer.Content.ReadAsStringAsync(), session, session?.Split(';')[0] ?? "");
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) => response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [];

    private sealed record SignInAnswer(HttpStatusCode Status, string Html, string? Session, string Cookies)
    {
        /// <summary>The session cookie's attributes, in lower case: secure, httponly, samesite=strict, path=/.</summary>
        public IReadOnlyList<string> Attributes => Session is null ? [] : [.. Session.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant())];

        /// <summary>The form's message, or what happened instead.</summary>
        public string Alert() => AlertText().Match(Html) is { Success: true } alert ? WebUtility.HtmlDecode(alert.Groups[1].Value) : $"{(int)Status}, no message";
    }

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("""<p class="error" role="alert"[^>]*>([^<]*)</p>""")]
    private static partial Regex AlertText();
}
