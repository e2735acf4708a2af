using System.Collections.Concurrent;
using Microsoft.Playwright;
using Ops.Testing;

namespace Ops.Console.Tests;

/// <summary>
/// One person's browser (its own cookies), watching everything a page does: every request it makes, every
/// error on its console (a CSP refusal is one), and the headers of every page the console answers.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext context;

    public IPage Page { get; }

    public List<string> Requests { get; } = [];

    public List<string> ConsoleErrors { get; } = [];

    public List<IResponse> Documents { get; } = [];

    public static Uri Origin => ConsoleUnderTest.Console.BaseAddress;

    private BrowserSession(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.Request += (_, request) => { lock (Requests) { Requests.Add(request.Url); } };
        page.Console += (_, message) => { if (message.Type == "error") { lock (ConsoleErrors) { ConsoleErrors.Add($"{message.Text} @ {message.Location}"); } } };
        page.PageError += (_, error) => { lock (ConsoleErrors) { ConsoleErrors.Add(error); } };
        page.Response += (_, response) => { if (response.Request.ResourceType == "document") { lock (Documents) { Documents.Add(response); } } };
    }

    /// <summary>Chromium reports a page that answered 403 or 404 as an error on the console; that answer is the page under test, not a fault of it.</summary>
    private bool IsExpectedRefusal(string error)
    {
        lock (Documents)
        {
            return Documents.Any(d => d.Status is 403 or 404
                && error.StartsWith($"Failed to load resource: the server responded with a status of {d.Status} ", StringComparison.Ordinal)
                && error.Contains($" @ {d.Url}:", StringComparison.Ordinal));
        }
    }

    private static int people;

    /// <summary>
    /// A person's browser. Each comes from an address of its own, as the console's trusted proxy (loopback) says it
    /// with X-Forwarded-For: the tickets service limits sign-in per address, and people in an office are many.
    /// </summary>
    public static async Task<BrowserSession> OpenAsync(int width = 1280, int height = 800)
    {
        var person = Interlocked.Increment(ref people);
        var context = await ConsoleUnderTest.Browser.NewContextAsync(new()
        {
            BaseURL = Origin.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = $"10.20.{person / 250}.{(person % 250) + 1}" },
        });
        return new BrowserSession(context, await context.NewPageAsync());
    }

    /// <summary>A person's browser, signed in as the role's user: where most tests start.</summary>
    public static async Task<BrowserSession> SignedInAsync(string role, int width = 1280, int height = 800)
    {
        var session = await OpenAsync(width, height);
        await session.SignInAsAsync(role);
        return session;
    }

    /// <summary>Signs in through the form; the page is where the console sends the person next.</summary>
    public Task SignInAsync(string username, string password, string? path = null) => SignInAsync(Page, username, password, path);

    private static async Task SignInAsync(IPage page, string username, string password, string? path = null)
    {
        await page.GotoAsync(path ?? "login");
        await page.GetByLabel("用户名").FillAsync(username);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        // The form's answer: a signed-in page has the menu, a refusal is the form with its message. Then that page is loaded whole.
        await page.Locator("nav.menu, section.sign-in [role=alert]").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>
    /// Signs in as the role's user with the session cookie of that user's one sign-in through the form in this run
    /// (<see cref="SessionOf"/>), as a browser that kept its cookies would; the page is the home page, where the form sends
    /// the person. The form itself is tested by <see cref="SignInTests"/> (<see cref="SignInThroughTheFormAsAsync"/>).
    /// </summary>
    public async Task SignInAsAsync(string role)
    {
        await context.AddCookiesAsync(await SessionOf(role));
        await Page.GotoAsync("");
    }

    /// <summary>Signs in as the role's user through the form, as a person does on the sign-in page.</summary>
    public Task SignInThroughTheFormAsAsync(string role) => SignInAsAsync(Page, role);

    private static readonly ConcurrentDictionary<string, Lazy<Task<Cookie[]>>> Sessions = new();

    /// <summary>The cookies of the role's user signed in once through the form (in a browser of its own, at an address of its own).</summary>
    private static Task<Cookie[]> SessionOf(string role) =>
        Sessions.GetOrAdd(role, r => new Lazy<Task<Cookie[]>>(() => SignInOnceAsync(r))).Value;

    private static async Task<Cookie[]> SignInOnceAsync(string role)
    {
        await using var browser = await OpenAsync();
        await SignInAsAsync(browser.Page, role);
        Assert.That(new Uri(browser.Page.Url).AbsolutePath, Is.EqualTo("/"), $"{role} signed in");
        var cookies = await browser.context.CookiesAsync();
        Assert.That(cookies.Select(c => c.Name), Has.Member("ops.session"), $"{role} signed in");
        return [.. cookies.Select(c => new Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Domain = c.Domain,
            Path = c.Path,
            Expires = c.Expires < 0 ? null : c.Expires,
            HttpOnly = c.HttpOnly,
            Secure = c.Secure,
            SameSite = c.SameSite,
        })];
    }

    /// <summary>
    /// Signs in as the role's user through the form on the page's console. The tickets service takes 10 sign-ins a minute from one
    /// address, fewer than the tests make: a refusal for that is tried again until the minute is over.
    /// </summary>
    public static Task SignInAsAsync(IPage page, string role) => Eventually.HoldsAsync(async () =>
    {
        await SignInAsync(page, role, ConsoleUnderTest.Passwords[role]);
        if (new Uri(page.Url).AbsolutePath != "/login")
        {
            return true;
        }

        Assert.That(await page.GetByRole(AriaRole.Alert).TextContentAsync(), Is.EqualTo("登录尝试过于频繁，请一分钟后再试"), "the only refusal tried again");
        return false;
    }, TimeSpan.FromSeconds(75));

    /// <summary>The visible page as a PNG in .local/screenshots, for a person to look at.</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleUnderTest.Screenshots, $"{name}.png"), FullPage = true });

    /// <summary>What every page must hold to: nothing from another origin, no error on the console, the security headers on every page.</summary>
    public async Task AssertWellBehavedAsync()
    {
        Assert.That(Requests, Is.Not.Empty);
        Assert.That(Requests.Where(url => !url.StartsWith(Origin.ToString(), StringComparison.Ordinal)), Is.Empty, "requests to another origin");
        Assert.That(ConsoleErrors.Where(e => !IsExpectedRefusal(e)), Is.Empty, "errors on the browser's console");
        Assert.That(Documents, Is.Not.Empty);
        foreach (var document in Documents.Where(d => d.Status is 200 or 403 or 404))
        {
            var headers = await document.AllHeadersAsync();
            Assert.That(headers.GetValueOrDefault("content-security-policy") ?? "(none)", Does.Contain("script-src 'self'").And.Not.Contain("unsafe-inline"), document.Url);
            Assert.That(headers.GetValueOrDefault("x-content-type-options"), Is.EqualTo("nosniff"), document.Url);
        }
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
