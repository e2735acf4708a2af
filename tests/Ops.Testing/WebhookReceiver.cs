using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ops.Testing;

/// <summary>What a receiver was sent: the path, the query string, the JSON body and the Content-Length header, if any.</summary>
public sealed record Received(string Path, string Query, JsonElement Body, long? ContentLength)
{
    /// <summary>The body as it was sent, read as UTF-8.</summary>
    public string Text { get; init; } = "";
}

/// <summary>
/// A real HTTP server on a free loopback port standing in for the WeCom and DingTalk robots and a webhook:
/// it records every call and answers as the test says (by default as the robots do when all is well).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<Received> Calls { get; } = new();

    /// <summary>How to answer a call to a path (the default: HTTP 200 with errcode 0).</summary>
    public Func<string, IResult> Answer { get; set; } = _ => Results.Json(new { errcode = 0, errmsg = "ok" });

    public string BaseAddress { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            var body = JsonSerializer.Deserialize<JsonElement>(text);
            receiver.Calls.Enqueue(new Received(request.Path.Value ?? "", request.QueryString.Value ?? "", body, request.ContentLength) { Text = text });
            return receiver.Answer(request.Path.Value ?? "");
        });
        // A GET (WeCom's gettoken) is recorded with no body and answered the same way.
        app.MapGet("/{**path}", (HttpRequest request) =>
        {
            receiver.Calls.Enqueue(new Received(request.Path.Value ?? "", request.QueryString.Value ?? "", default, null));
            return receiver.Answer(request.Path.Value ?? "");
        });
        await app.StartAsync();
        receiver.BaseAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public IReadOnlyList<Received> To(string path) => [.. Calls.Where(c => c.Path == path)];

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
