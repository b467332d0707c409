using Gpunet.Core.Compliance;

namespace Gpunet.Core.Tests.Compliance;

public sealed class KycDocumentsTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    private static readonly KycSubmissionInput Person = new()
    {
        Kind = "person",
        LegalName = "Ada Lovelace",
        DateOfBirth = "1990-12-10",
        Country = "gb",
        DocumentNumber = "P1234567",
        DocumentCountry = "GB",
    };

    private static readonly KycSubmissionInput Company = new()
    {
        Kind = "company",
        LegalName = "Analytical Engines Ltd",
        RegistrationNumber = "HRB 12345",
        Country = "de",
        ParentCountry = "us",
        BeneficialOwners =
        [
            new("Charles Babbage", "1971-12-26", "GB", 60m),
            new("Ada Lovelace", null, "gb", 25m),
        ],
    };

    private static IReadOnlyList<KycFieldError> Errors(KycSubmissionInput input)
    {
        Assert.False(KycDocuments.TryCreate(input, Today, out var document, out var errors));
        Assert.Null(document);
        return errors;
    }

    private static void AssertSingleError(KycSubmissionInput input, string field, string messagePart)
    {
        var error = Assert.Single(Errors(input));
        Assert.Equal(field, error.Field);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_ValidPerson_UpperCasesCountriesAndScreensThePerson()
    {
        Assert.True(KycDocuments.TryCreate(Person with { LegalName = "  Ada Lovelace " }, Today, out var document, out var errors));

        Assert.Empty(errors);
        var person = Assert.IsType<PersonDocument>(document);
        Assert.Equal(new PersonDocument("Ada Lovelace", new DateOnly(1990, 12, 10), "GB", "P1234567", "GB"), person);
        Assert.Null(person.ParentCountryOrNull);
        Assert.Equal([("Ada Lovelace", (DateOnly?)new DateOnly(1990, 12, 10), (string?)"GB")], person.ScreeningNames());
    }

    [Fact]
    public void TryCreate_ValidCompany_ScreensCompanyAndEveryOwnerAndExposesParentCountry()
    {
        Assert.True(KycDocuments.TryCreate(Company, Today, out var document, out var errors));

        Assert.Empty(errors);
        var company = Assert.IsType<CompanyDocument>(document);
        Assert.Equal("DE", company.Country);
        Assert.Equal("US", company.ParentCountryOrNull);
        Assert.Equal("HRB 12345", company.RegistrationNumber);
        Assert.Equal(
            [
                ("Analytical Engines Ltd", (DateOnly?)null, (string?)"DE"),
                ("Charles Babbage", new DateOnly(1971, 12, 26), "GB"),
                ("Ada Lovelace", null, "GB"),
            ],
            company.ScreeningNames());
    }

    [Fact]
    public void TryCreate_CompanyWithoutParentOrOwners_IsValid()
    {
        Assert.True(KycDocuments.TryCreate(Company with { ParentCountry = null, BeneficialOwners = null }, Today, out var document, out _));

        var company = Assert.IsType<CompanyDocument>(document);
        Assert.Null(company.ParentCountryOrNull);
        Assert.Empty(company.BeneficialOwners);
        Assert.Single(company.ScreeningNames());
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("robot", "'robot' is not a kind")]
    public void TryCreate_KindMissingOrUnknown_NamesKind(string? kind, string message) =>
        AssertSingleError(Person with { Kind = kind }, "kind", message);

    [Fact]
    public void TryCreate_KindInAnyCase_IsAccepted() =>
        Assert.True(KycDocuments.TryCreate(Person with { Kind = "Person" }, Today, out _, out _));

    [Fact]
    public void TryCreate_UnknownKind_StillChecksTheCommonFields()
    {
        var errors = Errors(new KycSubmissionInput { Kind = "robot", Country = "XX" });

        Assert.Equal(["kind", "legalName", "country"], errors.Select(e => e.Field));
    }

    [Fact]
    public void TryCreate_EmptyPerson_NamesEveryMissingField()
    {
        var errors = Errors(new KycSubmissionInput { Kind = "person" });

        Assert.Equal(["legalName", "dateOfBirth", "country", "documentNumber", "documentCountry"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal("is required", e.Message));
    }

    [Fact]
    public void TryCreate_EmptyCompany_NamesEveryMissingField()
    {
        var errors = Errors(new KycSubmissionInput { Kind = "company" });

        Assert.Equal(["legalName", "registrationNumber", "country"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("A", "2 to 200 characters")]
    [InlineData("Ada\nLovelace", "control characters")]
    [InlineData("Ada\u0000", "control characters")]
    public void TryCreate_BadLegalName_NamesLegalName(string name, string message) =>
        AssertSingleError(Person with { LegalName = name }, "legalName", message);

    [Theory]
    [InlineData('\u202A')]
    [InlineData('\u202B')]
    [InlineData('\u202C')]
    [InlineData('\u202D')]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    [InlineData('\u2067')]
    [InlineData('\u2068')]
    [InlineData('\u2069')]
    [InlineData('\u200E')]
    [InlineData('\u200F')]
    [InlineData('\u061C')]
    [InlineData('\u200B')]
    [InlineData('\u200C')]
    [InlineData('\u200D')]
    [InlineData('\uFEFF')]
    [InlineData('\u2060')]
    [InlineData('\u00AD')]
    [InlineData('\u2028')]
    [InlineData('\u3164')]
    public void TryCreate_LegalNameWithAnInvisibleCharacter_RefusedNamingTheCharacter(char invisible)
    {
        var error = Assert.Single(Errors(Person with { LegalName = $"Ada {invisible}Lovelace" }));

        Assert.Equal("legalName", error.Field);
        Assert.Contains($"U+{(int)invisible:X4}", error.Message, StringComparison.Ordinal);
        Assert.Contains("invisible", error.Message, StringComparison.Ordinal);
        Assert.Contains("at character 5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u0639\u0644\u06CC\u200C\u0631\u0636\u0627 \u0645\u062D\u0645\u062F\u06CC")] // Persian: Alireza Mohammadi, ZWNJ inside the first name
    [InlineData("\u0936\u094D\u200D\u0930\u0940 \u0915\u0943\u0937\u094D\u0923")] // Devanagari: a ZWJ after a virama
    public void TryCreate_JoinerBetweenLettersOfAScriptThatSpellsWithIt_IsAccepted(string name) =>
        Assert.True(KycDocuments.TryCreate(Person with { LegalName = name }, Today, out _, out var errors), string.Join("; ", errors));

    [Theory]
    [InlineData("Ada Love\u200Clace")]
    [InlineData("\u0418\u0432\u0430\u200D\u043D \u041F\u0435\u0442\u0440\u043E\u0432")] // Cyrillic: Ivan Petrov
    [InlineData("\u0639\u0644\u06CC\u200C Ali")] // a joiner between a Persian letter and a space
    public void TryCreate_JoinerNextToLatinCyrillicOrASpace_IsRefused(string name) =>
        AssertSingleError(Person with { LegalName = name }, "legalName", "invisible");

    [Fact]
    public void TryCreate_RightToLeftOverrideInALegalName_SaysWhatTheCharacterIs() =>
        AssertSingleError(Person with { LegalName = "Ada \u202Eecalevol" }, "legalName", "U+202E (right-to-left override) at character 5");

    [Fact]
    public void TryCreate_InvisibleTagCharacterOutsideTheBasicPlane_RefusedWithItsCodePoint() =>
        AssertSingleError(Person with { LegalName = "Ada Love\U000E0041lace" }, "legalName", "U+E0041 at character 9");

    [Fact]
    public void TryCreate_UnpairedSurrogateInALegalName_Refused() =>
        AssertSingleError(Person with { LegalName = "Ada \uD800Lovelace" }, "legalName", "unpaired surrogate: U+D800");

    [Fact]
    public void TryCreate_ZeroWidthSpaceInAnOwnersName_RefusesThatOwnersName()
    {
        var owners = Company.BeneficialOwners!.ToArray();
        owners[1] = owners[1] with { Name = "Ada Love\u200Blace" };

        AssertSingleError(Company with { BeneficialOwners = owners }, "beneficialOwners[1].name", "U+200B (zero-width space)");
    }

    [Theory]
    [InlineData("Иван Петрович Сидоров")]
    [InlineData("محمد بن سلمان")]
    [InlineData("José Marı\u0301a Ñúñez")]
    [InlineData("Κωνσταντίνος Παπαδόπουλος")]
    [InlineData("田中 太郎")]
    public void TryCreate_NamesInOtherScriptsAndWithCombiningMarks_Accepted(string name) =>
        Assert.True(KycDocuments.TryCreate(Person with { LegalName = name }, Today, out _, out var errors), string.Join("; ", errors));

    [Fact]
    public void TryCreate_LegalNameOf200_AcceptedAnd201_Refused()
    {
        Assert.True(KycDocuments.TryCreate(Person with { LegalName = new string('a', 200) }, Today, out _, out _));
        AssertSingleError(Person with { LegalName = new string('a', 201) }, "legalName", "not 201");
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("UK")]
    [InlineData("Germany")]
    public void TryCreate_UnknownCountryCode_MessageNamesTheCode(string code)
    {
        var error = Assert.Single(Errors(Person with { Country = code }));

        Assert.Equal("country", error.Field);
        Assert.Equal($"'{code}' is not an ISO 3166-1 alpha-2 country code", error.Message);
    }

    [Theory]
    [InlineData("de", "DE")]
    [InlineData("De", "DE")]
    [InlineData(" fr ", "FR")]
    public void TryCreate_CountryCodeInAnyCase_StoredUpperCase(string code, string stored)
    {
        Assert.True(KycDocuments.TryCreate(Person with { Country = code, DocumentCountry = code }, Today, out var document, out _));

        var person = Assert.IsType<PersonDocument>(document);
        Assert.Equal(stored, person.Country);
        Assert.Equal(stored, person.DocumentCountry);
    }

    [Theory]
    [InlineData("10.12.1990", "not a date")]
    [InlineData("1990-13-01", "not a date")]
    [InlineData("1990-2-1", "not a date")]
    [InlineData("2027-01-01", "in the future")]
    [InlineData("1900-12-31", "after 1900")]
    public void TryCreate_BadDateOfBirth_NamesDateOfBirth(string date, string message) =>
        AssertSingleError(Person with { DateOfBirth = date }, "dateOfBirth", message);

    [Fact]
    public void TryCreate_PersonTurning18Tomorrow_Refused() =>
        AssertSingleError(Person with { DateOfBirth = "2008-11-27" }, "dateOfBirth", "at least 18 years old");

    [Fact]
    public void TryCreate_Person18Today_Accepted() =>
        Assert.True(KycDocuments.TryCreate(Person with { DateOfBirth = "2008-11-26" }, Today, out _, out _));

    [Theory]
    [InlineData("AB")]
    [InlineData("P12345678#")]
    [InlineData("Ä1234")]
    public void TryCreate_BadDocumentNumber_NamesDocumentNumber(string number) =>
        AssertSingleError(Person with { DocumentNumber = number }, "documentNumber", "is not a valid number");

    [Theory]
    [InlineData("C01 234/5-6.7")]
    [InlineData("ABC")]
    public void TryCreate_DocumentNumberWithAllowedPunctuation_Accepted(string number) =>
        Assert.True(KycDocuments.TryCreate(Person with { DocumentNumber = number }, Today, out _, out _));

    [Fact]
    public void TryCreate_RegistrationNumberOf65_Refused() =>
        AssertSingleError(Company with { RegistrationNumber = new string('1', 65) }, "registrationNumber", "is not a valid number");

    [Fact]
    public void TryCreate_PersonWithCompanyFields_NamesEachAsOnlyForCompany()
    {
        var errors = Errors(Person with
        {
            RegistrationNumber = "HRB 1",
            ParentCountry = "US",
            BeneficialOwners = [new("Someone Else", null, "US", 50m)],
        });

        Assert.Equal(
            ["registrationNumber: only for kind company", "parentCountry: only for kind company", "beneficialOwners: only for kind company"],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void TryCreate_CompanyWithPersonFields_NamesEachAsOnlyForPerson()
    {
        var errors = Errors(Company with { DateOfBirth = "1990-01-01", DocumentNumber = "P1", DocumentCountry = "DE" });

        Assert.Equal(
            ["dateOfBirth: only for kind person", "documentNumber: only for kind person", "documentCountry: only for kind person"],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void TryCreate_UnknownParentCountry_NamesParentCountry() =>
        AssertSingleError(Company with { ParentCountry = "ZZ" }, "parentCountry", "'ZZ' is not an ISO 3166-1 alpha-2 country code");

    [Theory]
    [InlineData(24.99)]
    [InlineData(100.01)]
    [InlineData(-5)]
    public void TryCreate_OwnerShareOutside25To100_NamesTheOwnersShare(double share) =>
        AssertSingleError(
            Company with { BeneficialOwners = [Company.BeneficialOwners![0], new("Ada Lovelace", null, "GB", (decimal)share)] },
            "beneficialOwners[1].sharePercent", "expected 25 to 100");

    [Fact]
    public void TryCreate_OwnerSharesAbove100InTotal_Refused() =>
        AssertSingleError(
            Company with { BeneficialOwners = [new("Charles Babbage", null, "GB", 60m), new("Ada Lovelace", null, "GB", 40.5m)] },
            "beneficialOwners", "add up to 100.5 %");

    [Fact]
    public void TryCreate_FourOwnersOf25_Accepted() =>
        Assert.True(KycDocuments.TryCreate(
            Company with { BeneficialOwners = [.. Enumerable.Range(0, 4).Select(i => new BeneficialOwnerInput($"Owner {i}", null, "DE", 25m))] },
            Today, out _, out _));

    [Fact]
    public void TryCreate_MoreThan20Owners_Refused()
    {
        var owners = Enumerable.Range(0, 21).Select(i => new BeneficialOwnerInput($"Owner {i}", null, "DE", 25m)).ToList();

        var errors = Errors(Company with { BeneficialOwners = owners });

        Assert.Contains(errors, e => e.Field == "beneficialOwners" && e.Message.Contains("at most 20", StringComparison.Ordinal));
    }

    [Fact]
    public void TryCreate_OwnerWithoutNameCountryOrShare_NamesEachField()
    {
        var errors = Errors(Company with { BeneficialOwners = [Company.BeneficialOwners![0], new(null, "2030-01-01", null, null)] });

        Assert.Equal(
            [
                "beneficialOwners[1].name: is required",
                "beneficialOwners[1].dateOfBirth: 2030-01-01 is in the future",
                "beneficialOwners[1].country: is required",
                "beneficialOwners[1].sharePercent: is required",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void TryCreate_ManyProblemsAtOnce_ReportsThemAll()
    {
        var errors = Errors(new KycSubmissionInput
        {
            Kind = "person",
            LegalName = "X",
            DateOfBirth = "2015-05-05",
            Country = "XX",
            DocumentNumber = "!",
            DocumentCountry = "de",
            RegistrationNumber = "HRB 1",
        });

        Assert.Equal(["legalName", "dateOfBirth", "country", "documentNumber", "registrationNumber"], errors.Select(e => e.Field));
    }
}
