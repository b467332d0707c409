using Gpunet.Core.Query;

namespace Gpunet.Core.Tests.Query;

public class GpuQueryErrorTests
{
    private const string Fields = "model, vram, count, country, region, price, cc, host";
    private const string Ops = "=, !=, <, <=, >, >=, in, notin";

    /// <summary>Parses, expects the error, and checks that it points at <paramref name="badToken"/> at <paramref name="position"/>.</summary>
    private static GpuQueryException AssertError(string text, string message, int position, string badToken)
    {
        var ex = Assert.Throws<GpuQueryException>(() => GpuQuery.Parse(text, IsKnownModel, IsKnownCountry));
        Assert.Equal(message, ex.Message);
        Assert.Equal(position, ex.Position);
        Assert.True(ex.Length >= 1);
        Assert.Equal(text, ex.Query);
        if (badToken.Length == 0)
        {
            Assert.Equal(text.Length, ex.Position);
            Assert.Equal(1, ex.Length);
        }
        else
        {
            Assert.Equal(badToken, text.Substring(ex.Position, ex.Length));
        }

        return ex;
    }

    private static bool IsKnownModel(string model) =>
        model.ToUpperInvariant() is "H100" or "A100" or "H100-SXM5-80GB" or "RTX4090";

    private static bool IsKnownCountry(string code) => code is "DE" or "FR" or "US" or "NL";

    [Fact]
    public void Parse_SixtyFiveClauses_TheOneTooManyPointedAt_SixtyFourParse()
    {
        var clauses = Enumerable.Repeat("vram>=8", GpuQuery.MaxClauses).ToList();
        Assert.Equal(GpuQuery.MaxClauses, GpuQuery.Parse(string.Join(' ', clauses), IsKnownModel, IsKnownCountry).Clauses.Count);

        var text = string.Join(' ', clauses) + " cc>=8";
        AssertError(text, $"at most 64 clauses in one query; the clause at column {text.Length - 4} is one too many", text.Length - 5, "cc");
    }

    [Fact]
    public void Parse_UnknownField_NamesItAndListsFields() =>
        AssertError("vram>=8 vrm>=80", $"unknown field 'vrm' at column 9; expected one of {Fields}", 8, "vrm");

    [Fact]
    public void Parse_UnknownFieldAtColumn7_ReportsColumn7() =>
        AssertError("cc>=9 vrm>=80", $"unknown field 'vrm' at column 7; expected one of {Fields}", 6, "vrm");

    [Fact]
    public void Parse_QuotedFieldName_IsRejected() =>
        AssertError("'vram'>=80", $"expected a field name at column 1, found ''vram''; fields are {Fields}", 0, "'vram'");

    [Theory]
    [InlineData("vram=>80", "=>", 4)]
    [InlineData("vram=<80", "=<", 4)]
    [InlineData("vram<>80", "<>", 4)]
    [InlineData("vram!80", "!", 4)]
    [InlineData("vram === 80", "===", 5)]
    public void Parse_BadOperator_NamesItAndListsOperators(string text, string op, int position) =>
        AssertError(text, $"unknown operator '{op}' at column {position + 1}; expected one of {Ops}", position, op);

    [Fact]
    public void Parse_MissingOperatorBeforeValue_ReportsTheValue() =>
        AssertError("vram 80", $"expected an operator after 'vram' at column 6, found '80'; expected one of {Ops}", 5, "80");

    [Fact]
    public void Parse_FieldAloneAtEnd_ReportsMissingOperator() =>
        AssertError("count>=1 vram", $"missing operator after 'vram' at column 14; expected one of {Ops}", 13, "");

    [Fact]
    public void Parse_NotWithoutIn_ReportsWhatFollows() =>
        AssertError("country not [DE]", "expected 'in' after 'not' at column 13, found '['", 12, "[");

    [Fact]
    public void Parse_MissingValueAtEnd_PointsPastTheEnd() =>
        AssertError("vram>=", "missing value for vram at column 7; expected a value after '>='", 6, "");

    [Fact]
    public void Parse_MissingValueBeforeBracket_ReportsTheBracket() =>
        AssertError("vram>=]", "expected a value for vram after '>=' at column 7, found ']'", 6, "]");

    [Fact]
    public void Parse_MissingValueFollowedByClause_ReportsTheNextFieldAsNotANumber() =>
        AssertError("vram>= count>=8", "expected a number for vram at column 8, found 'count'", 7, "count");

    [Theory]
    [InlineData("vram>=lots", "vram", "lots", 6)]
    [InlineData("price<=$2", "price", "$2", 7)]
    [InlineData("price<=-1", "price", "-1", 7)]
    [InlineData("cc>=9.0.1", "cc", "9.0.1", 4)]
    [InlineData("vram>=80GB", "vram", "80GB", 6)]
    [InlineData("count=\"8\"", "count", "\"8\"", 6)]
    public void Parse_NonNumericValueForNumericField_NamesFieldAndValue(string text, string field, string value, int position) =>
        AssertError(text, $"expected a number for {field} at column {position + 1}, found '{value}'", position, value);

    [Fact]
    public void Parse_NonNumericValueInNumericList_PointsAtTheItem() =>
        AssertError("vram in [24, big]", "expected a number for vram at column 14, found 'big'", 13, "big");

    [Fact]
    public void Parse_FractionalCount_AsksForWholeNumber() =>
        AssertError("count>=2.5", "expected a whole number for count at column 8, found '2.5'", 7, "2.5");

    [Theory]
    [InlineData("model<H100", "<", "model")]
    [InlineData("model >= H100", ">=", "model")]
    [InlineData("gpu>H100", ">", "model")]
    [InlineData("country<=DE", "<=", "country")]
    [InlineData("region>Berlin", ">", "region")]
    [InlineData("host<host-1", "<", "host")]
    public void Parse_OrderingOperatorOnTextField_IsRejected(string text, string op, string field)
    {
        var position = text.IndexOf(op, StringComparison.Ordinal);
        AssertError(text,
            $"operator '{op}' at column {position + 1} does not apply to {field}, a text field; expected one of =, !=, in, notin",
            position, op);
    }

    [Fact]
    public void Parse_ListWithEquals_IsRejected() =>
        AssertError("country=[DE,FR]", "a list at column 9 needs 'in' or 'notin'; '=' takes a single value", 8, "[");

    [Fact]
    public void Parse_InWithoutList_AsksForList() =>
        AssertError("country in DE", "expected a list, found 'DE' after 'in' at column 12; write country in [a, b]", 11, "DE");

    [Fact]
    public void Parse_InAtEnd_ReportsMissingList() =>
        AssertError("country in", "missing list after 'in' at column 11; write country in [a, b]", 10, "");

    [Theory]
    [InlineData("country in [DE, FR")]
    [InlineData("country in [DE,")]
    [InlineData("country in [")]
    public void Parse_UnterminatedList_PointsAtTheOpeningBracket(string text) =>
        AssertError(text, "unterminated list starting at column 12; expected a closing ']'", 11, "[");

    [Fact]
    public void Parse_EmptyList_IsRejected() =>
        AssertError("country in []", "empty list at column 12; put at least one value between [ and ]", 12, "]");

    [Fact]
    public void Parse_ListWithoutCommas_ReportsTheSecondItem() =>
        AssertError("country in [DE FR]", "expected ',' or ']' in the list at column 16, found 'FR'", 15, "FR");

    [Fact]
    public void Parse_ListWithTrailingComma_ReportsTheBracket() =>
        AssertError("country in [DE,]", "expected a value for country in the list at column 16, found ']'", 15, "]");

    [Theory]
    [InlineData("region='North Holland", "'")]
    [InlineData("region=\"North Holland", "\"")]
    public void Parse_UnterminatedQuote_PointsFromQuoteToEnd(string text, string quote) =>
        AssertError(text, $"unterminated string starting at column 8; expected a closing {quote}", 7, text[7..]);

    [Fact]
    public void Parse_EmptyQuotedValue_IsRejected() =>
        AssertError("region=''", "empty value for region at column 8", 7, "''");

    [Theory]
    [InlineData("vram>=80 ]", "]", 9)]
    [InlineData("price<=2.5 ,", ",", 11)]
    [InlineData("price<=2.5 >=3", ">=", 11)]
    [InlineData("price<=2.5 \"x\"", "\"x\"", 11)]
    public void Parse_TrailingGarbage_ExpectsAField(string text, string garbage, int position) =>
        AssertError(text, $"expected a field name at column {position + 1}, found '{garbage}'; fields are {Fields}", position, garbage);

    [Fact]
    public void Parse_TrailingWord_IsAnUnknownField() =>
        AssertError("price<=2.5 cheap", $"unknown field 'cheap' at column 12; expected one of {Fields}", 11, "cheap");

    [Theory]
    [InlineData("vram>=80 and", "and", 9)]
    [InlineData("vram>=80 &&", "&&", 9)]
    public void Parse_DanglingJoiner_IsRejected(string text, string joiner, int position) =>
        AssertError(text,
            $"'{joiner}' at column {position + 1} is not followed by a clause; remove it or add a clause such as vram>=24",
            position, joiner);

    [Fact]
    public void Parse_SingleAmpersand_IsRejected() =>
        AssertError("vram>=80 & count>=8",
            "unexpected '&' at column 10; join clauses with '&&', 'and' or a space, or quote a value that contains '&'",
            9, "&");

    [Fact]
    public void Parse_UnknownModel_WithPredicate_IsRejected() =>
        AssertError("vram>=80 model=H1000",
            "unknown GPU model 'H1000' at column 16; expected a model name such as H100-SXM5-80GB or a family such as H100",
            15, "H1000");

    [Fact]
    public void Parse_UnknownModelInList_PointsAtThatItem() =>
        AssertError("gpu in [H100, 'B999']",
            "unknown GPU model 'B999' at column 15; expected a model name such as H100-SXM5-80GB or a family such as H100",
            14, "'B999'");

    [Fact]
    public void Parse_UnknownModel_WithoutPredicate_IsAccepted() =>
        Assert.Single(GpuQuery.Parse("model=H1000").Clauses);

    [Fact]
    public void Parse_UnknownCountry_WithPredicate_IsRejected() =>
        AssertError("country in [DE, xx]", "unknown country code 'XX' at column 17", 16, "xx");

    [Fact]
    public void Parse_UnknownCountry_WithoutPredicate_IsAccepted() =>
        Assert.Equal("country=XX", GpuQuery.Parse("country=xx").ToString());

    [Theory]
    [InlineData("country=DEU", "DEU")]
    [InlineData("country=D", "D")]
    [InlineData("country=D1", "D1")]
    [InlineData("country='D E'", "'D E'")]
    public void Parse_CountryNotTwoLetters_IsAlwaysRejected(string text, string value)
    {
        var message = $"expected a two-letter ISO country code such as DE for country at column 9, found '{value}'";
        AssertError(text, message, 8, value);
        var ex = Assert.Throws<GpuQueryException>(() => GpuQuery.Parse(text));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Parse_Error_IsAFormatException() =>
        Assert.IsType<FormatException>(Record.Exception(() => GpuQuery.Parse("vrm=1")), exactMatch: false);
}
