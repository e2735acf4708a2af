using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ops.Hosting.Messaging;

namespace Ops.Hosting.Archive;

/// <summary>How the archive writes JSON: camelCase, enums as camelCase text, and every time in UTC (<c>2026-11-24T02:00:00.0000000Z</c>).</summary>
public static class ArchiveJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new UtcTimeConverter() },
        Encoder = MessageJson.Encoder,
    };

    private static readonly byte[] NewLine = [(byte)'\n'];

    /// <summary>Writes <paramref name="rows"/> as JSON lines (one object a line, LF), each as it is read.</summary>
    public static async Task<long> WriteLinesAsync<T>(Stream stream, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        long count = 0;
        await using var buffered = new BufferedStream(new LeaveOpen(stream), 64 * 1024);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await buffered.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(row, Options), cancellationToken);
            await buffered.WriteAsync(NewLine, cancellationToken);
            count++;
        }

        await buffered.FlushAsync(cancellationToken);
        return count;
    }

    /// <summary>Writes one value as indented JSON.</summary>
    public static async Task WriteAsync<T>(Stream stream, T value, CancellationToken cancellationToken) =>
        await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(value, new JsonSerializerOptions(Options) { WriteIndented = true }), cancellationToken);

    /// <summary>A stream whose closing leaves the one under it open (a writer closes what it writes to).</summary>
    private sealed class LeaveOpen(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>Writes a time in UTC, round-trip (what an archive keeps); reads any ISO 8601 time with an offset.</summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("Expected a time."), CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
}
