using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;

namespace Ops.SlaTimer.WeCom;

/// <summary>The acknowledgement card's names: its buttons and its task id, which names the ticket and when the card was sent.</summary>
public static class WeComCard
{
    /// <summary>The key of the 确认响应 button, as WeCom returns it in <c>EventKey</c>.</summary>
    public const string AcknowledgeKey = "acknowledge";

    /// <summary>How long a card's press counts: WeCom's response_code lives 72 hours.</summary>
    public static readonly TimeSpan Life = TimeSpan.FromHours(72);

    /// <summary>A unique task id (letters, digits and _, at most 128 bytes): <c>ack_{ticket}_{unix seconds sent}_{random}</c>.</summary>
    public static string TaskId(Guid ticketId, DateTimeOffset sentAt) =>
        $"ack_{ticketId:N}_{sentAt.ToUnixTimeSeconds()}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>The ticket and the send time a task id names; null when it is not one of ours.</summary>
    public static (Guid TicketId, DateTimeOffset SentAt)? ParseTaskId(string? taskId)
    {
        var parts = taskId?.Split('_') ?? [];
        return parts.Length == 4 && parts[0] == "ack" && Guid.TryParseExact(parts[1], "N", out var ticket)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300799
            ? (ticket, DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;
    }
}

/// <summary>A WeCom callback's XML, read without DTDs or external entities.</summary>
public sealed class WeComXml(XElement root)
{
    public string? this[string name] => root.Element(name)?.Value;

    public static WeComXml? Parse(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 1_000_000 });
            return XDocument.Load(reader).Root is { } root ? new WeComXml(root) : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>A message as WeCom writes one: <c>&lt;xml&gt;</c> with a child element per field (text in CDATA).</summary>
    public static string Write(params (string Name, object Value)[] fields) =>
        new XElement("xml", fields.Select(f => f.Value is XElement e ? new XElement(f.Name, e) : new XElement(f.Name, f.Value is string s ? new XCData(s) : f.Value))).ToString(SaveOptions.DisableFormatting);
}
