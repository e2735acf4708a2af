using System.Globalization;
using System.Text;

namespace Ops.Hosting.Http;

/// <summary>What a text field of a request may hold besides printable characters.</summary>
public enum TextKind
{
    /// <summary>One line (a title, a name, a reference): no control or invisible formatting character at all.</summary>
    Line,

    /// <summary>Free text people write (a description, a reason): line breaks (\n, \r\n) and tabs too, and the joiners emoji and some scripts need.</summary>
    Lines,

    /// <summary>A secret (a password): checked for length only, never read.</summary>
    Secret,
}

/// <summary>
/// The one rule for the text of every request: no control characters (Unicode category Cc: NUL, ESC of an
/// ANSI sequence, C1) and no invisible formatting characters (category Cf: the bidi overrides, isolates
/// and marks U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C, zero-width spaces, the byte-order mark), no
/// line or paragraph separators and no lone surrogates. They would let stored text, and the evidence made
/// of it, read otherwise than it is. Free text (<see cref="TextKind.Lines"/>) keeps its line breaks and tabs,
/// and the zero-width joiners and tag characters of emoji.
/// </summary>
public static class PlainText
{
    /// <summary>What is wrong with <paramref name="value"/> as text of <paramref name="kind"/>, naming <paramref name="field"/>; null when nothing is.</summary>
    public static string? Problem(string field, string? value, TextKind kind)
    {
        if (value is null || kind == TextKind.Secret || FirstRefused(value, kind) is not { } found)
        {
            return null;
        }

        var code = string.Create(CultureInfo.InvariantCulture, $"U+{found:X4}");
        return kind == TextKind.Lines
            ? L10n.Of(
                $"“{field}”可以含换行和制表符，但不能含其他控制字符或不可见的格式字符（发现 {code}）。",
                $"'{field}' may hold line breaks and tabs, but no other control character and no invisible formatting character (found {code}).")
            : L10n.Of(
                $"“{field}”不能含控制字符或不可见的格式字符（发现 {code}）。",
                $"'{field}' must not hold control characters or invisible formatting characters (found {code}).");
    }

    /// <summary>The code point of the first character <paramref name="kind"/> refuses in <paramref name="value"/>; null when there is none.</summary>
    public static int? FirstRefused(string value, TextKind kind)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return c;
                }

                var rune = new Rune(c, value[++i]);
                if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format && !(kind == TextKind.Lines && rune.Value is >= 0xE0020 and <= 0xE007F))
                {
                    return rune.Value;
                }

                continue;
            }

            var refused = char.GetUnicodeCategory(c) switch
            {
                UnicodeCategory.Control => !(kind == TextKind.Lines && (c is '\n' or '\t' || (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n'))),
                UnicodeCategory.Format => !(kind == TextKind.Lines && c is '\u200C' or '\u200D'),
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
                _ => false,
            };
            if (refused)
            {
                return c;
            }
        }

        return null;
    }
}
