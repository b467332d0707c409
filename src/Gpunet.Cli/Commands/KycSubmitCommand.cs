using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet kyc submit</c>: a participant submits their identity (a person, KYC) or their company's (KYB),
/// from <c>--file</c> or from flags; bad input is refused here, before anything is sent.</summary>
internal sealed class KycSubmitCommand : AsyncCommand<KycSubmitCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--file <DOC.json>")]
        [Description("The submission as a JSON document, sent as is (kind, legalName, dateOfBirth, country, documentNumber, documentCountry, registrationNumber, parentCountry, beneficialOwners)")]
        public string? File { get; init; }

        [CommandOption("--person")]
        [Description("Submit a natural person (KYC): --name, --dob, --country, --document, --document-country")]
        public bool Person { get; init; }

        [CommandOption("--company")]
        [Description("Submit a company (KYB): --name, --registration, --country, --parent-country, --owner")]
        public bool Company { get; init; }

        [CommandOption("--name <NAME>")]
        [Description("The person's or the company's legal name")]
        public string? Name { get; init; }

        [CommandOption("--dob <yyyy-MM-dd>")]
        [Description("Person: date of birth")]
        public string? DateOfBirth { get; init; }

        [CommandOption("--country <CC>")]
        [Description("Person: country of residence; company: country of registration (ISO 3166-1 alpha-2)")]
        public string? Country { get; init; }

        [CommandOption("--document <NUMBER>")]
        [Description("Person: the identity document's number")]
        public string? Document { get; init; }

        [CommandOption("--document-country <CC>")]
        [Description("Person: the country that issued the identity document")]
        public string? DocumentCountry { get; init; }

        [CommandOption("--registration <NUMBER>")]
        [Description("Company: the number in the company register")]
        public string? Registration { get; init; }

        [CommandOption("--parent-country <CC>")]
        [Description("Company: the country of the ultimate parent company, if there is one")]
        public string? ParentCountry { get; init; }

        [CommandOption("--owner <OWNER>")]
        [Description("Company: a beneficial owner (25 % or more) as \"Name,CC,SHARE[[,yyyy-MM-dd]]\"; repeat for each")]
        public string[] Owners { get; init; } = [];
    }

    /// <summary>The body of <c>POST /api/v1/kyc</c>, as the coordinator reads it.</summary>
    internal sealed record Submission(string Kind, string? LegalName, string? DateOfBirth, string? Country, string? DocumentNumber,
        string? DocumentCountry, string? RegistrationNumber, string? ParentCountry, IReadOnlyList<Owner>? BeneficialOwners);

    /// <summary>A beneficial owner in <see cref="Submission"/>.</summary>
    internal sealed record Owner(string Name, string? DateOfBirth, string Country, decimal SharePercent);

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var body = Body(settings);
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var s = await client.PostAsync<KycSubmissionView>("/api/v1/kyc", body, cancellationToken);
        if (settings.Json)
            Render.Json(s);
        else
            ComplianceRender.Submission(s);
        return 0;
    }

    /// <summary>The JSON to send: the file as is, or the flags' document.</summary>
    internal static object Body(Settings s)
    {
        var flags = new (string Name, bool Given)[]
        {
            ("--person", s.Person), ("--company", s.Company), ("--name", s.Name is not null), ("--dob", s.DateOfBirth is not null),
            ("--country", s.Country is not null), ("--document", s.Document is not null), ("--document-country", s.DocumentCountry is not null),
            ("--registration", s.Registration is not null), ("--parent-country", s.ParentCountry is not null), ("--owner", s.Owners.Length > 0),
        };
        if (s.File is not null)
        {
            if (flags.FirstOrDefault(f => f.Given) is { Name: { } flag })
                throw new CliException($"--file and {flag}: give the submission either as a file or as flags, not both");
            var text = ComplianceFiles.ReadText(s.File, "--file");
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new CliException($"--file: {s.File} is not a JSON object");
                return doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new CliException($"--file: {s.File} is not JSON: {e.Message}");
            }
        }

        if (s.Person == s.Company)
            throw new CliException(s.Person
                ? "--person and --company: a submission is one or the other"
                : "say what you submit: --person (KYC) or --company (KYB), or --file DOC.json");
        var wrong = s.Person
            ? flags.Where(f => f.Given && f.Name is "--registration" or "--parent-country" or "--owner").Select(f => f.Name).ToList()
            : flags.Where(f => f.Given && f.Name is "--dob" or "--document" or "--document-country").Select(f => f.Name).ToList();
        if (wrong.Count > 0)
            throw new CliException($"{string.Join(", ", wrong)}: not for a {(s.Person ? "person" : "company")}");
        if (s.DateOfBirth is not null)
            Date(s.DateOfBirth, "--dob");
        return s.Person
            ? new Submission("person", s.Name, s.DateOfBirth, s.Country, s.Document, s.DocumentCountry, null, null, null)
            : new Submission("company", s.Name, null, s.Country, null, null, s.Registration, s.ParentCountry, [.. s.Owners.Select(ParseOwner)]);
    }

    /// <summary><c>Name,CC,SHARE[,yyyy-MM-dd]</c>; the name may itself hold commas ("Doe, Jane,DE,50").</summary>
    internal static Owner ParseOwner(string text)
    {
        const string Form = "expected \"Name,CC,SHARE[,yyyy-MM-dd]\", e.g. \"Jane Doe,DE,50,1980-04-01\"";
        var parts = text.Split(',').ToList();
        string? dob = null;
        if (parts.Count >= 4 && parts[^1].Trim() is { Length: 10 } last && last[4] == '-')
        {
            dob = Date(last, $"--owner '{text}': date of birth");
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count < 3)
            throw new CliException($"--owner '{text}': {Form}");
        var shareText = parts[^1].Trim();
        if (!decimal.TryParse(shareText.TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var share))
            throw new CliException($"--owner '{text}': share '{shareText}' is not a number of percent; {Form}");
        var country = parts[^2].Trim();
        var name = string.Join(",", parts[..^2]).Trim();
        if (country.Length != 2 || !country.All(char.IsAsciiLetter))
            throw new CliException($"--owner '{text}': country '{country}' is not a two-letter code; {Form}");
        if (name.Length == 0)
            throw new CliException($"--owner '{text}': the name is missing; {Form}");
        return new Owner(name, dob, country.ToUpperInvariant(), share);
    }

    private static string Date(string text, string what) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? text
            : throw new CliException($"{what}: '{text}' is not a date as yyyy-MM-dd");
}
