using System.Text;

namespace Gpunet.Core.Sanctions;

/// <summary>Reads OFAC's legacy CSV files: no header, commas, double-quoted fields with doubled quotes, <c>-0-</c> for null.</summary>
internal static class OfacCsv
{
    private const char EndOfFile = '\x1A';

    /// <summary>The records of <paramref name="text"/> with the 1-based line each starts on; nulls (<c>-0-</c>) are empty strings.</summary>
    /// <remarks>Blank lines and the DOS end-of-file marker (a line holding only SUB, U+001A) are skipped. Fields are trimmed.</remarks>
    public static List<(int Line, string[] Fields)> Records(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var quoteLine = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                        line++;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when string.IsNullOrWhiteSpace(field.ToString()):
                    field.Clear();
                    quoted = true;
                    quoteLine = line;
                    break;
                case ',':
                    fields.Add(Value(field));
                    break;
                case '\n':
                    End(records, fields, field, start);
                    line++;
                    start = line;
                    break;
                case '\r':
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (quoted)
            throw new SanctionsListException(file, quoteLine, "a quoted field is not closed");
        End(records, fields, field, start);
        return records;
    }

    private static void End(List<(int, string[])> records, List<string> fields, StringBuilder field, int start)
    {
        var blank = fields.Count == 0 && field.ToString().Trim().Trim(EndOfFile).Trim().Length == 0;
        fields.Add(Value(field));
        if (!blank)
            records.Add((start, [.. fields]));
        fields.Clear();
    }

    private static string Value(StringBuilder field)
    {
        var value = field.ToString().Trim();
        field.Clear();
        return value == "-0-" ? "" : value;
    }
}
