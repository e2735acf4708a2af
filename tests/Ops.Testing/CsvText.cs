using System.Text;

namespace Ops.Testing;

/// <summary>A strict RFC 4180 reader for the tests: CRLF between records, quoted fields with doubled quotes; anything else throws.</summary>
public static class CsvText
{
    /// <summary>The UTF-8 byte-order mark a CSV for Excel starts with.</summary>
    public static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The records of <paramref name="bytes"/>, which must start with the byte-order mark and be UTF-8.</summary>
    public static List<string[]> Parse(byte[] bytes)
    {
        if (bytes.Length < 3 || !bytes.AsSpan(0, 3).SequenceEqual(Bom))
        {
            throw new FormatException("The CSV does not start with the UTF-8 byte-order mark.");
        }

        return Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3));
    }

    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("A quoted field is not closed.");
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }

                if (i < text.Length && text[i] is not (',' or '\r'))
                {
                    throw new FormatException($"Text after a closing quote at {i}.");
                }
            }
            else if (text[i] == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (text[i] == '\r')
            {
                if (i + 1 >= text.Length || text[i + 1] != '\n')
                {
                    throw new FormatException($"A CR without LF at {i}.");
                }

                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i += 2;
            }
            else if (text[i] is '\n' or '"')
            {
                throw new FormatException($"An unquoted LF or quote at {i}.");
            }
            else
            {
                field.Append(text[i++]);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
