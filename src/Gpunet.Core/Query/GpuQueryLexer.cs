namespace Gpunet.Core.Query;

/// <summary>Splits a GPU query into tokens.</summary>
internal static class GpuQueryLexer
{
    private const string OperatorChars = "=!<>";

    /// <summary>Whether <paramref name="c"/> can be part of a bare (unquoted) word.</summary>
    public static bool IsWordChar(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && OperatorChars.IndexOf(c, StringComparison.Ordinal) < 0
        && c is not ('[' or ']' or ',' or '\'' or '"' or '&');

    /// <summary>The tokens of <paramref name="text"/>, ending with one <see cref="GpuQueryTokenKind.End"/> token.</summary>
    public static List<GpuQueryToken> Tokenize(string text)
    {
        var tokens = new List<GpuQueryToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            switch (c)
            {
                case '[':
                    tokens.Add(new(GpuQueryTokenKind.OpenBracket, "[", start, 1));
                    i++;
                    break;
                case ']':
                    tokens.Add(new(GpuQueryTokenKind.CloseBracket, "]", start, 1));
                    i++;
                    break;
                case ',':
                    tokens.Add(new(GpuQueryTokenKind.Comma, ",", start, 1));
                    i++;
                    break;
                case '&':
                    if (i + 1 < text.Length && text[i + 1] == '&')
                    {
                        tokens.Add(new(GpuQueryTokenKind.AndAnd, "&&", start, 2));
                        i += 2;
                        break;
                    }

                    throw new GpuQueryException(
                        $"unexpected '&' at column {start + 1}; join clauses with '&&', 'and' or a space, or quote a value that contains '&'",
                        text, start, 1);
                case '"' or '\'':
                    var close = text.IndexOf(c, start + 1);
                    if (close < 0)
                    {
                        throw new GpuQueryException(
                            $"unterminated string starting at column {start + 1}; expected a closing {c}",
                            text, start, text.Length - start);
                    }

                    tokens.Add(new(GpuQueryTokenKind.Quoted, text[(start + 1)..close], start, close - start + 1));
                    i = close + 1;
                    break;
                default:
                    if (OperatorChars.Contains(c, StringComparison.Ordinal))
                    {
                        while (i < text.Length && OperatorChars.Contains(text[i], StringComparison.Ordinal))
                            i++;
                        tokens.Add(new(GpuQueryTokenKind.Operator, text[start..i], start, i - start));
                        break;
                    }

                    if (!IsWordChar(c))
                    {
                        throw new GpuQueryException(
                            $"unexpected character U+{(int)c:X4} at column {start + 1}", text, start, 1);
                    }

                    while (i < text.Length && IsWordChar(text[i]))
                        i++;
                    tokens.Add(new(GpuQueryTokenKind.Word, text[start..i], start, i - start));
                    break;
            }
        }

        tokens.Add(new(GpuQueryTokenKind.End, string.Empty, text.Length, 1));
        return tokens;
    }
}
