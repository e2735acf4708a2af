using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Ops.Testing;

namespace Ops.Benchmarks;

/// <summary>What a page of the console costs as it serves it to a signed-in person.</summary>
/// <param name="Times">Milliseconds from request to the last byte of the page, over repeated requests after a warm-up.</param>
/// <param name="FirstVisitBytes">The page and every asset it names, compressed as the console sends them (bodies, not headers).</param>
/// <param name="RepeatVisitBytes">What a browser cache holding the first visit fetches again: the page, and assets its cache headers do not keep.</param>
internal sealed record PageCost(IReadOnlyList<double> Times, long FirstVisitBytes, long RepeatVisitBytes);

/// <summary>
/// Measures console pages without a browser, over HTTP as a browser asks: signed in through the sign-in form,
/// <c>Accept-Encoding: br, gzip</c>, the assets a page names in its <c>link</c> and <c>script</c> elements, and for
/// a repeat visit the rules of an HTTP cache (fresh by <c>Cache-Control: max-age</c>, else revalidated by ETag).
/// </summary>
internal sealed partial class ConsolePages(Uri console) : IDisposable
{
    private readonly CookieContainer cookies = new();
    private HttpClient? http;

    private HttpClient Http => http ??= new HttpClient(new HttpClientHandler
    {
        CookieContainer = cookies,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = true,
    })
    {
        BaseAddress = console,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { AcceptEncoding = { new("br"), new("gzip") } },
    };

    /// <summary>Creates a local user of <paramref name="role"/> through the tickets API and signs in as them through the console's form.</summary>
    public async Task SignInAsync(ServiceProcess tickets, string role)
    {
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        using (var admin = tickets.Anonymous().As("admin", "bench admin"))
        {
            var username = $"bench-{role}";
            using var created = await admin.PostAsJsonAsync("api/admin/users", new { username, displayName = "基准测试", role, password });
            if (created.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"creating {username}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            }

            var form = await TextAsync("login");
            var fields = InputTag().Matches(form)
                .Select(tag => Attribute().Matches(tag.Value).ToDictionary(a => a.Groups["name"].Value, a => WebUtility.HtmlDecode(a.Groups["value"].Value)))
                .Where(a => a.GetValueOrDefault("type") == "hidden" && a.ContainsKey("name"))
                .ToDictionary(a => a["name"], a => a.GetValueOrDefault("value") ?? "");
            fields["Input.Username"] = username;
            fields["Input.Password"] = password;
            using var signedIn = await Http.PostAsync("login", new FormUrlEncodedContent(fields));
            if (signedIn.RequestMessage?.RequestUri?.AbsolutePath == "/login" || cookies.GetCookies(console)["ops.session"] is null)
            {
                throw new InvalidOperationException($"signing in as {username} failed: {(int)signedIn.StatusCode}");
            }
        }
    }

    /// <summary>The page <paramref name="path"/>: <paramref name="requests"/> timed after 5 not counted, then a first and a repeat visit.</summary>
    public async Task<PageCost> MeasureAsync(string path, int requests)
    {
        var times = new List<double>();
        for (var i = 0; i < requests + 5; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await Http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            EnsurePage(response, path);
            if (i >= 5)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        // First visit: the page and each asset it names, as sent (compressed).
        using var page = await Http.GetAsync(path);
        var body = await page.Content.ReadAsByteArrayAsync();
        EnsurePage(page, path);
        var html = await DecodedAsync(page, body);
        long first = body.Length, repeat = body.Length; // the page itself is fetched on every visit
        foreach (var asset in Assets(html).Distinct())
        {
            using var response = await Http.GetAsync(asset);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            first += bytes.Length;
            repeat += await RefetchedBytesAsync(asset, response);
        }

        return new PageCost(times, first, repeat);
    }

    /// <summary>One visit of the page <paramref name="path"/> (the page alone; its assets are cached): milliseconds to its last byte.</summary>
    public async Task<double> VisitAsync(string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await Http.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        EnsurePage(response, path);
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>What a cache holding <paramref name="cached"/> fetches again: nothing while fresh, a revalidation by its ETag, else all of it.</summary>
    private async Task<long> RefetchedBytesAsync(string asset, HttpResponseMessage cached)
    {
        var control = cached.Headers.CacheControl;
        if (control is { NoCache: false, NoStore: false, MaxAge: { } maxAge } && maxAge > TimeSpan.Zero)
        {
            return 0;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, asset);
        if (cached.Headers.ETag is { } etag)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }

        using var again = await Http.SendAsync(request);
        return (await again.Content.ReadAsByteArrayAsync()).Length;
    }

    private static void EnsurePage(HttpResponseMessage response, string path)
    {
        if (response.StatusCode != HttpStatusCode.OK || response.RequestMessage?.RequestUri?.AbsolutePath == "/login")
        {
            throw new InvalidOperationException($"GET /{path}: {(int)response.StatusCode} at {response.RequestMessage?.RequestUri}");
        }
    }

    private static async Task<string> DecodedAsync(HttpResponseMessage response, byte[] body)
    {
        Stream stream = new MemoryStream(body);
        foreach (var encoding in response.Content.Headers.ContentEncoding.Reverse())
        {
            stream = encoding switch
            {
                "br" => new System.IO.Compression.BrotliStream(stream, System.IO.Compression.CompressionMode.Decompress),
                "gzip" => new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress),
                _ => throw new InvalidOperationException($"unexpected content encoding {encoding}"),
            };
        }

        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>The same-origin assets a page names: stylesheets, icons and scripts.</summary>
    private static IEnumerable<string> Assets(string html) =>
        AssetReference().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["url"].Value))
            .Where(url => !url.Contains("://", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal));

    private async Task<string> TextAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return await DecodedAsync(response, await response.Content.ReadAsByteArrayAsync());
    }

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("(?<name>[\\w.-]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attribute();

    [GeneratedRegex("""<(?:link[^>]*\shref|script[^>]*\ssrc)="(?<url>[^"]+)"[^>]*>""")]
    private static partial Regex AssetReference();

    public void Dispose() => http?.Dispose();
}
