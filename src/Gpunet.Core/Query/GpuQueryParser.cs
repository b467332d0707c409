using System.Globalization;

namespace Gpunet.Core.Query;

/// <summary>Turns the tokens of one GPU query into checked clauses, or throws <see cref="GpuQueryException"/>.</summary>
internal sealed class GpuQueryParser
{
    private const string OperatorList = "=, !=, <, <=, >, >=, in, notin";

    private readonly string _text;
    private readonly List<GpuQueryToken> _tokens;
    private readonly Func<string, bool>? _isKnownModel;
    private readonly Func<string, bool>? _isKnownCountry;
    private int _next;

    public GpuQueryParser(string text, Func<string, bool>? isKnownModel, Func<string, bool>? isKnownCountry)
    {
        _text = text;
        _tokens = GpuQueryLexer.Tokenize(text);
        _isKnownModel = isKnownModel;
        _isKnownCountry = isKnownCountry;
    }

    private GpuQueryToken Peek => _tokens[_next];

    public List<GpuQueryClause> ParseAll()
    {
        var clauses = new List<GpuQueryClause>();
        while (Peek.Kind != GpuQueryTokenKind.End)
        {
            if (clauses.Count == GpuQuery.MaxClauses)
                throw Error(Peek, $"at most {GpuQuery.MaxClauses} clauses in one query; the clause at column {Column(Peek)} is one too many");
            clauses.Add(ParseClause());
            var joiner = Peek;
            if (joiner.Kind == GpuQueryTokenKind.AndAnd || joiner.IsKeyword("and"))
            {
                _next++;
                if (Peek.Kind == GpuQueryTokenKind.End)
                {
                    throw Error(joiner, $"'{Source(joiner)}' at column {Column(joiner)} is not followed by a clause; "
                        + "remove it or add a clause such as vram>=24");
                }
            }
        }

        return clauses;
    }

    private GpuQueryClause ParseClause()
    {
        var fieldToken = Take();
        if (fieldToken.Kind != GpuQueryTokenKind.Word)
        {
            throw Error(fieldToken, $"expected a field name at column {Column(fieldToken)}, found {Found(fieldToken)}; "
                + $"fields are {GpuQueryFields.NameList}");
        }

        if (!GpuQueryFields.TryGet(fieldToken.Text, out var field))
        {
            throw Error(fieldToken, $"unknown field '{fieldToken.Text}' at column {Column(fieldToken)}; "
                + $"expected one of {GpuQueryFields.NameList}");
        }

        var name = GpuQueryFields.Name(field);
        var (op, opToken) = ParseOperator(fieldToken);
        if (!GpuQueryFields.IsNumeric(field) && op is not (GpuQueryOperator.Equal or GpuQueryOperator.NotEqual
                or GpuQueryOperator.In or GpuQueryOperator.NotIn))
        {
            throw Error(opToken, $"operator '{Source(opToken)}' at column {Column(opToken)} does not apply to {name}, "
                + "a text field; expected one of =, !=, in, notin");
        }

        var valueTokens = GpuQueryFields.TakesList(op) ? ParseList(name, opToken) : [ParseSingle(name, opToken)];
        var values = new List<string>(valueTokens.Count);
        var numbers = new List<decimal>();
        foreach (var token in valueTokens)
        {
            if (GpuQueryFields.IsNumeric(field))
            {
                var number = ParseNumber(field, token);
                numbers.Add(number);
                values.Add(number.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                values.Add(CheckText(field, token));
            }
        }

        return new GpuQueryClause(field, op, values, numbers);
    }

    private (GpuQueryOperator Op, GpuQueryToken Token) ParseOperator(GpuQueryToken fieldToken)
    {
        var token = Take();
        if (token.Kind == GpuQueryTokenKind.Operator)
        {
            GpuQueryOperator? op = token.Text switch
            {
                "=" or "==" => GpuQueryOperator.Equal,
                "!=" => GpuQueryOperator.NotEqual,
                "<" => GpuQueryOperator.Less,
                "<=" => GpuQueryOperator.LessOrEqual,
                ">" => GpuQueryOperator.Greater,
                ">=" => GpuQueryOperator.GreaterOrEqual,
                _ => null,
            };
            if (op is null)
            {
                throw Error(token, $"unknown operator '{token.Text}' at column {Column(token)}; "
                    + $"expected one of {OperatorList}");
            }

            return (op.Value, token);
        }

        if (token.IsKeyword("in"))
            return (GpuQueryOperator.In, token);
        if (token.IsKeyword("notin"))
            return (GpuQueryOperator.NotIn, token);
        if (token.IsKeyword("not"))
        {
            var inToken = Take();
            if (!inToken.IsKeyword("in"))
            {
                throw Error(inToken, $"expected 'in' after 'not' at column {Column(inToken)}, found {Found(inToken)}");
            }

            var span = new GpuQueryToken(GpuQueryTokenKind.Word, "not in", token.Position,
                inToken.Position + inToken.Length - token.Position);
            return (GpuQueryOperator.NotIn, span);
        }

        if (token.Kind == GpuQueryTokenKind.End)
        {
            throw Error(token, $"missing operator after '{fieldToken.Text}' at column {Column(token)}; "
                + $"expected one of {OperatorList}");
        }

        throw Error(token, $"expected an operator after '{fieldToken.Text}' at column {Column(token)}, "
            + $"found {Found(token)}; expected one of {OperatorList}");
    }

    private GpuQueryToken ParseSingle(string name, GpuQueryToken opToken)
    {
        var token = Take();
        switch (token.Kind)
        {
            case GpuQueryTokenKind.Word or GpuQueryTokenKind.Quoted:
                return token;
            case GpuQueryTokenKind.OpenBracket:
                throw Error(token, $"a list at column {Column(token)} needs 'in' or 'notin'; "
                    + $"'{Source(opToken)}' takes a single value");
            case GpuQueryTokenKind.End:
                throw Error(token, $"missing value for {name} at column {Column(token)}; "
                    + $"expected a value after '{Source(opToken)}'");
            default:
                throw Error(token, $"expected a value for {name} after '{Source(opToken)}' at column {Column(token)}, "
                    + $"found {Found(token)}");
        }
    }

    private List<GpuQueryToken> ParseList(string name, GpuQueryToken opToken)
    {
        var open = Take();
        if (open.Kind != GpuQueryTokenKind.OpenBracket)
        {
            var what = open.Kind == GpuQueryTokenKind.End ? "missing list" : $"expected a list, found {Found(open)}";
            throw Error(open, $"{what} after '{opToken.Text}' at column {Column(open)}; "
                + $"write {name} {opToken.Text} [a, b]");
        }

        var items = new List<GpuQueryToken>();
        while (true)
        {
            var item = Take();
            if (item.Kind == GpuQueryTokenKind.End)
                throw Unterminated(open);
            if (item.Kind == GpuQueryTokenKind.CloseBracket && items.Count == 0)
            {
                throw Error(item, $"empty list at column {Column(open)}; "
                    + $"put at least one value between [ and ]");
            }

            if (item.Kind is not (GpuQueryTokenKind.Word or GpuQueryTokenKind.Quoted))
            {
                throw Error(item, $"expected a value for {name} in the list at column {Column(item)}, "
                    + $"found {Found(item)}");
            }

            items.Add(item);
            var separator = Take();
            switch (separator.Kind)
            {
                case GpuQueryTokenKind.Comma:
                    continue;
                case GpuQueryTokenKind.CloseBracket:
                    return items;
                case GpuQueryTokenKind.End:
                    throw Unterminated(open);
                default:
                    throw Error(separator, $"expected ',' or ']' in the list at column {Column(separator)}, "
                        + $"found {Found(separator)}");
            }
        }
    }

    private GpuQueryException Unterminated(GpuQueryToken open) =>
        Error(open, $"unterminated list starting at column {Column(open)}; expected a closing ']'");

    private decimal ParseNumber(GpuQueryField field, GpuQueryToken token)
    {
        var name = GpuQueryFields.Name(field);
        if (token.Kind != GpuQueryTokenKind.Word
            || !decimal.TryParse(token.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw Error(token, $"expected a number for {name} at column {Column(token)}, found {Found(token)}");
        }

        if (field == GpuQueryField.Count && number != decimal.Truncate(number))
        {
            throw Error(token, $"expected a whole number for {name} at column {Column(token)}, found {Found(token)}");
        }

        return number;
    }

    private string CheckText(GpuQueryField field, GpuQueryToken token)
    {
        var name = GpuQueryFields.Name(field);
        var value = token.Text;
        if (value.Trim().Length == 0)
            throw Error(token, $"empty value for {name} at column {Column(token)}");

        switch (field)
        {
            case GpuQueryField.Country:
                if (value.Length != 2 || !char.IsAsciiLetter(value[0]) || !char.IsAsciiLetter(value[1]))
                {
                    throw Error(token, $"expected a two-letter ISO country code such as DE for country at column "
                        + $"{Column(token)}, found {Found(token)}");
                }

                value = value.ToUpperInvariant();
                if (_isKnownCountry is not null && !_isKnownCountry(value))
                    throw Error(token, $"unknown country code '{value}' at column {Column(token)}");
                return value;
            case GpuQueryField.Model:
                if (_isKnownModel is not null && !_isKnownModel(value))
                {
                    throw Error(token, $"unknown GPU model '{value}' at column {Column(token)}; "
                        + "expected a model name such as H100-SXM5-80GB or a family such as H100");
                }

                return value;
            default:
                return value;
        }
    }

    private GpuQueryToken Take()
    {
        var token = _tokens[_next];
        if (token.Kind != GpuQueryTokenKind.End)
            _next++;
        return token;
    }

    private static int Column(GpuQueryToken token) => token.Position + 1;

    private string Source(GpuQueryToken token) => _text.Substring(token.Position, token.Length);

    private string Found(GpuQueryToken token) =>
        token.Kind == GpuQueryTokenKind.End ? "the end of the query" : $"'{Source(token)}'";

    private GpuQueryException Error(GpuQueryToken token, string message) =>
        new(message, _text, token.Position, token.Length);
}
