using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ops.Testing;

/// <summary>A span as a service exported it: its service, instrumentation scope, ids (hex) and name.</summary>
public sealed record ReceivedSpan(string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind)
{
    public override string ToString() => $"{Service} {Scope} {Name} ({SpanId} ← {ParentSpanId})";
}

/// <summary>
/// An OpenTelemetry collector standing in for the real one: a loopback HTTP server taking OTLP/HTTP in protobuf
/// (<c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>). It keeps the spans sent to <c>/v1/traces</c> and accepts
/// metrics and logs without reading them.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private OtlpReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public string BaseAddress { get; private set; } = "";

    /// <summary>The settings that point a service's exporter here.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = BaseAddress,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200", // spans leave within a fifth of a second, not five seconds
    };

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (signal == "traces")
            {
                foreach (var span in ReadTraces(body.ToArray()))
                {
                    receiver.Spans.Enqueue(span);
                }
            }

            return Results.Bytes([], "application/x-protobuf"); // an empty Export…ServiceResponse: all accepted
        });
        await app.StartAsync();
        receiver.BaseAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    /// <summary>The spans of one trace.</summary>
    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => [.. Spans.Where(s => s.TraceId == traceId)];

    /// <summary>
    /// The spans of an <c>ExportTraceServiceRequest</c>: resource_spans (1) → resource (1) → attributes (1), and
    /// scope_spans (2) → scope (1) → name (1), spans (2) → trace_id (1), span_id (2), parent_span_id (4), name (5), kind (6).
    /// </summary>
    public static IEnumerable<ReceivedSpan> ReadTraces(byte[] request)
    {
        foreach (var resourceSpans in Protobuf.Fields(request).Where(f => f.Number == 1))
        {
            var service = "";
            foreach (var field in Protobuf.Fields(resourceSpans.Bytes))
            {
                if (field.Number == 1)
                {
                    service = Protobuf.Fields(field.Bytes).Where(a => a.Number == 1).Select(Attribute).FirstOrDefault(a => a.Key == "service.name").Value ?? "";
                }
            }

            foreach (var scopeSpans in Protobuf.Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
            {
                var scope = "";
                foreach (var field in Protobuf.Fields(scopeSpans.Bytes))
                {
                    if (field.Number == 1)
                    {
                        scope = Protobuf.Fields(field.Bytes).Where(s => s.Number == 1).Select(s => Protobuf.Text(s.Bytes)).FirstOrDefault() ?? "";
                    }
                    else if (field.Number == 2)
                    {
                        var span = Protobuf.Fields(field.Bytes).ToList();
                        string Hex(int number) => span.Where(s => s.Number == number).Select(s => Convert.ToHexStringLower(s.Bytes.Span)).FirstOrDefault() ?? "";
                        yield return new ReceivedSpan(
                            service,
                            scope,
                            Hex(1),
                            Hex(2),
                            Hex(4),
                            span.Where(s => s.Number == 5).Select(s => Protobuf.Text(s.Bytes)).FirstOrDefault() ?? "",
                            (int)(span.FirstOrDefault(s => s.Number == 6)?.Value ?? 0));
                    }
                }
            }
        }
    }

    /// <summary>A string attribute (KeyValue: key 1, AnyValue 2 → string_value 1).</summary>
    private static (string Key, string? Value) Attribute(Protobuf.Field keyValue)
    {
        var fields = Protobuf.Fields(keyValue.Bytes).ToList();
        var key = fields.Where(f => f.Number == 1).Select(f => Protobuf.Text(f.Bytes)).FirstOrDefault() ?? "";
        var value = fields.Where(f => f.Number == 2).SelectMany(f => Protobuf.Fields(f.Bytes)).Where(f => f.Number == 1).Select(f => Protobuf.Text(f.Bytes)).FirstOrDefault();
        return (key, value);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Protocol Buffers' wire format, as much as reading OTLP needs.</summary>
    private static class Protobuf
    {
        public sealed record Field(int Number, ulong Value, ReadOnlyMemory<byte> Bytes);

        public static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
        {
            var position = 0;
            while (position < message.Length)
            {
                var tag = Varint(message.Span, ref position);
                var number = (int)(tag >> 3);
                switch (tag & 7)
                {
                    case 0:
                        yield return new Field(number, Varint(message.Span, ref position), default);
                        break;
                    case 1:
                        yield return new Field(number, BitConverter.ToUInt64(message.Span.Slice(position, 8)), default);
                        position += 8;
                        break;
                    case 2:
                        var length = (int)Varint(message.Span, ref position);
                        yield return new Field(number, 0, message.Slice(position, length));
                        position += length;
                        break;
                    case 5:
                        yield return new Field(number, BitConverter.ToUInt32(message.Span.Slice(position, 4)), default);
                        position += 4;
                        break;
                    default:
                        throw new InvalidDataException($"Wire type {tag & 7} of field {number} is not protobuf's.");
                }
            }
        }

        public static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

        private static ulong Varint(ReadOnlySpan<byte> bytes, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = bytes[position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
        }
    }
}
