using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Gpunet.Core.Geography;

namespace Gpunet.Core.Compliance;

/// <summary>Validates a KYC/KYB submission and turns it into a <see cref="KycDocument"/>.</summary>
/// <remarks>Every error is reported, not only the first. Texts are trimmed; country codes are accepted in any case
/// and stored upper-case. An empty string or an empty list counts as absent. Every name (the legal name, each owner's)
/// refuses control characters and invisible ones such as a right-to-left override (<see cref="LegalNameCharacters"/>).</remarks>
public static class KycDocuments
{
    /// <summary>The <see cref="KycSubmissionInput.Kind"/> of a natural person (KYC).</summary>
    public const string PersonKind = "person";

    /// <summary>The <see cref="KycSubmissionInput.Kind"/> of a company (KYB).</summary>
    public const string CompanyKind = "company";

    /// <summary>The youngest age at which a person may take part, in years.</summary>
    public const int MinimumAge = 18;

    /// <summary>The most beneficial owners one company may declare.</summary>
    public const int MaxBeneficialOwners = 20;

    /// <summary>The smallest share, in percent, that makes someone a beneficial owner.</summary>
    /// <remarks>The 25 % threshold of the EU AML directive (2015/849, art. 3(6)) and the US CDD rule (31 CFR 1010.230).</remarks>
    public const decimal MinimumOwnerSharePercent = 25m;

    private const int MinNameLength = 2;
    private const int MaxNameLength = 200;
    private const int MinNumberLength = 3;
    private const int MaxNumberLength = 64;
    private const string Required = "is required";

    // Nobody born before 1901 is alive; an earlier date is a typing error.
    private static readonly DateOnly EarliestDateOfBirth = new(1901, 1, 1);

    /// <summary>Validates <paramref name="input"/> as of <paramref name="today"/>.</summary>
    /// <param name="today">The current date (UTC), for the age and future-date rules.</param>
    /// <param name="document">The validated document when there are no errors.</param>
    /// <param name="errors">Every problem found, in field order; empty on success.</param>
    /// <returns>Whether the submission is valid.</returns>
    public static bool TryCreate(
        KycSubmissionInput input, DateOnly today,
        [NotNullWhen(true)] out KycDocument? document, out IReadOnlyList<KycFieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        var found = new List<KycFieldError>();
        var kind = Kind(input.Kind, found);
        var legalName = Name("legalName", input.LegalName, found);
        document = kind switch
        {
            PersonKind => Person(input, legalName, today, found),
            CompanyKind => Company(input, legalName, today, found),
            _ => CommonOnly(input, found),
        };

        errors = found;
        if (found.Count > 0)
            document = null;
        return document is not null;
    }

    private static string? Kind(string? kind, List<KycFieldError> errors)
    {
        if (IsAbsent(kind))
        {
            errors.Add(new("kind", $"{Required}: '{PersonKind}' or '{CompanyKind}'"));
            return null;
        }

        var k = kind!.Trim();
        if (k.Equals(PersonKind, StringComparison.OrdinalIgnoreCase))
            return PersonKind;
        if (k.Equals(CompanyKind, StringComparison.OrdinalIgnoreCase))
            return CompanyKind;
        errors.Add(new("kind", $"'{Clip(k)}' is not a kind: expected '{PersonKind}' or '{CompanyKind}'"));
        return null;
    }

    // Without a kind, the kind-specific fields cannot be judged; the common one still is.
    private static PersonDocument? CommonOnly(KycSubmissionInput input, List<KycFieldError> errors)
    {
        Country("country", input.Country, errors);
        return null;
    }

    private static PersonDocument? Person(KycSubmissionInput input, string? legalName, DateOnly today, List<KycFieldError> errors)
    {
        var dateOfBirth = Date("dateOfBirth", input.DateOfBirth, today, required: true, errors);
        if (dateOfBirth is { } born && born.AddYears(MinimumAge) > today)
            errors.Add(new("dateOfBirth", $"the person must be at least {MinimumAge} years old"));
        var country = Country("country", input.Country, errors);
        var documentNumber = Number("documentNumber", input.DocumentNumber, errors);
        var documentCountry = Country("documentCountry", input.DocumentCountry, errors);
        OnlyFor(CompanyKind, "registrationNumber", !IsAbsent(input.RegistrationNumber), errors);
        OnlyFor(CompanyKind, "parentCountry", !IsAbsent(input.ParentCountry), errors);
        OnlyFor(CompanyKind, "beneficialOwners", input.BeneficialOwners is { Count: > 0 }, errors);

        return legalName is null || dateOfBirth is null || country is null || documentNumber is null || documentCountry is null
            ? null
            : new PersonDocument(legalName, dateOfBirth.Value, country, documentNumber, documentCountry);
    }

    private static CompanyDocument? Company(KycSubmissionInput input, string? legalName, DateOnly today, List<KycFieldError> errors)
    {
        var registrationNumber = Number("registrationNumber", input.RegistrationNumber, errors);
        var country = Country("country", input.Country, errors);
        var parentCountry = IsAbsent(input.ParentCountry) ? null : Country("parentCountry", input.ParentCountry, errors);
        var owners = Owners(input.BeneficialOwners ?? [], today, errors);
        OnlyFor(PersonKind, "dateOfBirth", !IsAbsent(input.DateOfBirth), errors);
        OnlyFor(PersonKind, "documentNumber", !IsAbsent(input.DocumentNumber), errors);
        OnlyFor(PersonKind, "documentCountry", !IsAbsent(input.DocumentCountry), errors);

        return legalName is null || registrationNumber is null || country is null || owners is null
            ? null
            : new CompanyDocument(legalName, registrationNumber, country, parentCountry, owners);
    }

    private static BeneficialOwner[]? Owners(IReadOnlyList<BeneficialOwnerInput> inputs, DateOnly today, List<KycFieldError> errors)
    {
        var before = errors.Count;
        if (inputs.Count > MaxBeneficialOwners)
            errors.Add(new("beneficialOwners", $"at most {MaxBeneficialOwners} beneficial owners, not {inputs.Count}"));

        var owners = new BeneficialOwner[inputs.Count];
        var total = 0m;
        for (var i = 0; i < inputs.Count; i++)
        {
            var path = $"beneficialOwners[{i}]";
            if (inputs[i] is not { } owner)
            {
                errors.Add(new(path, Required));
                continue;
            }

            var name = Name($"{path}.name", owner.Name, errors);
            var born = Date($"{path}.dateOfBirth", owner.DateOfBirth, today, required: false, errors);
            var country = Country($"{path}.country", owner.Country, errors);
            var share = Share($"{path}.sharePercent", owner.SharePercent, errors);
            total += share ?? 0m;
            if (name is not null && country is not null && share is not null)
                owners[i] = new BeneficialOwner(name, born, country, share.Value);
        }

        if (total > 100m)
            errors.Add(new("beneficialOwners", $"the shares add up to {total.ToString(CultureInfo.InvariantCulture)} %, more than 100 %"));
        return errors.Count == before ? owners : null;
    }

    private static decimal? Share(string field, decimal? share, List<KycFieldError> errors)
    {
        if (share is not { } s)
        {
            errors.Add(new(field, Required));
            return null;
        }

        if (s is < MinimumOwnerSharePercent or > 100m)
        {
            errors.Add(new(field, $"{s.ToString(CultureInfo.InvariantCulture)} is not a beneficial owner's share: expected {MinimumOwnerSharePercent} to 100 (percent)"));
            return null;
        }

        return s;
    }

    private static string? Name(string field, string? text, List<KycFieldError> errors)
    {
        if (Present(field, text, errors) is not { } name)
            return null;

        if (LegalNameCharacters.Problem(name) is { } problem)
        {
            errors.Add(new(field, problem));
            return null;
        }

        if (name.Length is < MinNameLength or > MaxNameLength)
        {
            errors.Add(new(field, $"must be {MinNameLength} to {MaxNameLength} characters long, not {name.Length}"));
            return null;
        }

        return name;
    }

    private static string? Number(string field, string? text, List<KycFieldError> errors)
    {
        if (Present(field, text, errors) is not { } number)
            return null;

        if (number.Length is < MinNumberLength or > MaxNumberLength
            || !number.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or ' ' or '.'))
        {
            errors.Add(new(field, $"'{Clip(number)}' is not a valid number: {MinNumberLength} to {MaxNumberLength} characters of letters, digits, '-', '/', '.' and spaces"));
            return null;
        }

        return number;
    }

    private static string? Country(string field, string? text, List<KycFieldError> errors)
    {
        if (Present(field, text, errors) is not { } code)
            return null;

        if (!Countries.IsKnown(code))
        {
            errors.Add(new(field, $"'{Clip(code)}' is not an ISO 3166-1 alpha-2 country code"));
            return null;
        }

        return code.ToUpperInvariant();
    }

    private static DateOnly? Date(string field, string? text, DateOnly today, bool required, List<KycFieldError> errors)
    {
        if (IsAbsent(text))
        {
            if (required)
                errors.Add(new(field, Required));
            return null;
        }

        var t = text!.Trim();
        if (!DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new(field, $"'{Clip(t)}' is not a date: expected yyyy-MM-dd"));
            return null;
        }

        if (date > today)
        {
            errors.Add(new(field, $"{t} is in the future"));
            return null;
        }

        if (date < EarliestDateOfBirth)
        {
            errors.Add(new(field, $"{t} is too early: must be after 1900"));
            return null;
        }

        return date;
    }

    // The trimmed text, or null with an error when it is absent.
    private static string? Present(string field, string? text, List<KycFieldError> errors)
    {
        if (IsAbsent(text))
        {
            errors.Add(new(field, Required));
            return null;
        }

        return text!.Trim();
    }

    private static void OnlyFor(string kind, string field, bool present, List<KycFieldError> errors)
    {
        if (present)
            errors.Add(new(field, $"only for kind {kind}"));
    }

    private static bool IsAbsent(string? text) => string.IsNullOrWhiteSpace(text);

    private static string Clip(string s) => s.Length <= 50 ? s : s[..47] + "...";
}
