using System.Security.Claims;
using System.Text.Json;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>KYC/KYB for participants and officers, the vendor webhook, the policy, the sanctions list, host location
/// checks and the audit log.</summary>
internal static class ComplianceApi
{
    private static readonly ListLimit AuditLimit = new(Default: 100, Maximum: 10_000);

    private static readonly ListLimit SubmissionsLimit = new(Default: 100, Maximum: 1000);

    // What a participant may send; anything else (a state, a role, a verdict) is a mass-assignment attempt.
    private static readonly HashSet<string> SubmissionFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "kind", "legalName", "dateOfBirth", "country", "documentNumber", "documentCountry", "registrationNumber", "parentCountry", "beneficialOwners",
    };

    private static readonly JsonSerializerOptions InputJson = new(JsonSerializerDefaults.Web);

    /// <summary>A full OFAC list with its aliases is several MB (as JSON, a little more): far past the default body limit.</summary>
    private const long MaxSanctionsListBytes = 64L * 1024 * 1024;

    private sealed class BodyLimit(long bytes) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }

    public static RouteGroupBuilder MapComplianceApi(this RouteGroupBuilder api)
    {
        var kyc = api.MapGroup("/kyc").WithTags("Compliance");
        kyc.MapPost("", Submit).WithName("SubmitKyc").WithSummary("Submit KYC or KYB")
            .WithDescription("Submit your identity (a person) or your company's (KYB) for verification")
            .Accepts<KycSubmissionInput>("application/json").ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        kyc.MapGet("", Mine).WithName("MyKyc").WithSummary("Your KYC state")
            .WithDescription("Where your KYC/KYB verification stands").ProducesProblem(StatusCodes.Status400BadRequest);
        kyc.MapGet("/submissions", List).RequireAuthorization(GpunetPolicies.Officer).WithName("ListKycSubmissions").WithSummary("List KYC submissions")
            .WithDescription("Submissions, newest first (compliance officers)")
            .WithParameter("state", values: [.. Enum.GetNames<KycState>().Select(n => n.ToLowerInvariant())]).WithListLimit(SubmissionsLimit)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        kyc.MapGet("/submissions/{id}", Show).WithName("GetKycSubmission").WithSummary("Get a KYC submission")
            .WithDescription("One submission with its document (officers, or its submitter)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        kyc.MapPost("/submissions/{id}/approve", Approve).RequireAuthorization(GpunetPolicies.Officer).WithName("ApproveKyc").WithSummary("Approve a KYC submission")
            .WithDescription("Approve a pending submission (compliance officers)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        kyc.MapPost("/submissions/{id}/reject", Reject).RequireAuthorization(GpunetPolicies.Officer).WithName("RejectKyc").WithSummary("Reject a KYC submission")
            .WithDescription("Reject a pending submission, final or open to retry (compliance officers)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        kyc.MapPost("/webhooks/{vendor}", Webhook).WithName("KycVendorWebhook").RequireRateLimiting(AuthApi.RateLimitPolicy)
            .WithSummary("A KYC vendor's decision")
            .WithDescription("An external verification vendor's decision, signed with the shared secret (Gpunet-Signature: t=…,v1=…)").AllowAnonymous()
            .Accepts<WebhookEvent>("application/json").Produces<WebhookReceipt>()
            .WithRequiredHeader(HttpKycVendor.SignatureHeader, "t=UNIX-SECONDS,v1=HEX: the HMAC-SHA256 of \"T.BODY\" with the shared secret")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);

        var compliance = api.MapGroup("/compliance").WithTags("Compliance");
        compliance.MapGet("/policy", Policy).WithName("GetCompliancePolicy").WithSummary("Get the compliance policy")
            .WithDescription("The policy in force, as YAML");
        compliance.MapPut("/policy", ApplyPolicy).RequireAuthorization(GpunetPolicies.Officer).WithName("ApplyCompliancePolicy")
            .WithSummary("Apply a compliance policy")
            .WithDescription("Apply a new policy (compliance officers): refused whole with each error's line, or applied and every host and lease re-evaluated")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        compliance.MapPost("/policy/validate", ValidatePolicy).WithName("ValidateCompliancePolicy").WithSummary("Validate a compliance policy")
            .WithDescription("Check a policy without applying it");
        compliance.MapGet("/sanctions", Sanctions).WithName("GetSanctionsList").WithSummary("Get the sanctions list")
            .WithDescription("The sanctions list in force (version, entries)");
        compliance.MapPut("/sanctions", ImportSanctions).RequireAuthorization(GpunetPolicies.Officer).WithName("ImportSanctionsList").WithMetadata(new BodyLimit(MaxSanctionsListBytes))
            .WithSummary("Import a sanctions list")
            .WithDescription("Import a list in the OFAC SDN CSV format, with its aliases file (compliance officers); everyone is screened again")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        compliance.MapGet("/hosts/{id}", HostCompliance).WithName("GetHostCompliance").WithSummary("A host's compliance")
            .WithDescription("Every rule that stops a host, and its location check")
            .ProducesProblem(StatusCodes.Status404NotFound);
        compliance.MapPost("/hosts/{id}/clear-location", ClearLocation).RequireAuthorization(GpunetPolicies.Officer).WithName("ClearHostLocation")
            .WithSummary("Clear a host's location").WithDescription("Clear a host whose address did not confirm its declared location (compliance officers)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var audit = api.MapGroup("/audit").WithTags("Compliance");
        audit.MapGet("", Audit).RequireAuthorization(GpunetPolicies.Officer).WithName("ListAuditLog").WithSummary("List compliance decisions")
            .WithDescription("Compliance decisions, newest first (compliance officers)")
            .WithListLimit(AuditLimit).ProducesProblem(StatusCodes.Status403Forbidden);
        audit.MapGet("/verify", Verify).RequireAuthorization(GpunetPolicies.Officer).WithName("VerifyAuditLog").WithSummary("Verify the audit log")
            .WithDescription("Recompute the audit log's hash chain and name the first altered or removed entry")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    /// <summary>Who decided, for the audit log: the officer's address, or <c>admin</c>.</summary>
    internal static string Actor(ClaimsPrincipal user) => user.FindFirstValue(GpunetClaims.Address) ?? GpunetClaims.AdminRole;

    private static ProblemHttpResult Problem(KycOutcome o) => TypedResults.Problem(
        o.Problem, statusCode: o.Status, title: o.Status switch { 400 => "Invalid submission", 404 => "Not found", 403 => "Forbidden", _ => "Refused" },
        extensions: o.Errors.Count == 0 ? null : Problems.Listing(o.Errors[0].Field, o.Errors, e => new FieldProblem(e.Field, e.Message)));

    private static async Task<Results<Created<KycSubmissionView>, ProblemHttpResult>> Submit(
        HttpRequest http, ClaimsPrincipal user, KycService kyc, ComplianceService compliance, CancellationToken ct)
    {
        if (user.FindFirstValue(GpunetClaims.Address) is not { } address)
            return TypedResults.Problem("submit KYC signed in with your wallet, not the admin token", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

        JsonDocument json;
        try
        {
            json = await JsonDocument.ParseAsync(http.Body, default, ct);
        }
        catch (JsonException e)
        {
            await compliance.RecordAsync(address, "kyc-submission", new { }, $"refused: not JSON ({e.Message})", address, ct);
            return Problems.Field("body", $"not a JSON document: {e.Message}");
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                return Problems.Field("body", "a JSON object is expected");
            var extra = json.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !SubmissionFields.Contains(n)).ToList();
            if (extra.Count > 0)
            {
                // A client setting its own verdict, state or role: refused and recorded, nothing changed.
                var message = $"{string.Join(", ", extra.Select(n => $"'{Clip(n)}'"))} cannot be set by a participant; a submission holds only {string.Join(", ", SubmissionFields)}";
                await compliance.RecordAsync(address, "mass-assignment", new { fields = extra.Select(Clip) }, $"refused: {message}", address, ct);
                return Problems.Field(Clip(extra[0]), message);
            }

            KycSubmissionInput? input;
            try
            {
                input = json.RootElement.Deserialize<KycSubmissionInput>(InputJson);
            }
            catch (JsonException e)
            {
                var field = e.Path?.TrimStart('$', '.') ?? "body";
                await compliance.RecordAsync(address, "kyc-submission", new { field }, $"refused: {e.Message}", address, ct);
                return Problems.Field(field.Length == 0 ? "body" : field, "a value of the wrong type");
            }

            var outcome = await kyc.SubmitAsync(address, input ?? new KycSubmissionInput(), ct);
            return outcome.Submission is { } s
                ? TypedResults.Created($"/api/v1/kyc/submissions/{s.Id}", View(s, null, includeDocument: false))
                : Problem(outcome);
        }
    }

    // Never splits a surrogate pair.
    private static string Clip(string s) => s.Length <= 40 ? s : s[..(char.IsHighSurrogate(s[36]) ? 36 : 37)] + "...";

    private static Results<Ok<KycStatusView>, ProblemHttpResult> Mine(ClaimsPrincipal user, ComplianceService compliance)
    {
        if (user.FindFirstValue(GpunetClaims.Address) is not { } address)
            return TypedResults.Problem("the admin token has no KYC; sign in with a wallet", statusCode: StatusCodes.Status400BadRequest, title: "No wallet");
        var kyc = compliance.KycOf(address);
        var s = compliance.LatestOf(address);
        return TypedResults.Ok(new KycStatusView(address, kyc.State, s?.Id, s?.Country, s?.ParentCountry, s?.ExpiresAt, s?.Reason, s?.Final ?? false));
    }

    private static async Task<Results<Ok<List<KycSubmissionView>>, ProblemHttpResult>> List(
        KycService kyc, TimeProvider time, string? state, int? limit, CancellationToken ct)
    {
        KycState? filter = null;
        if (state is not null)
        {
            if (!Enum.TryParse<KycState>(state, ignoreCase: true, out var s) || int.TryParse(state, out _))
                return Problems.Field("state", $"'{Clip(state)}' is not one of {string.Join(", ", Enum.GetNames<KycState>().Select(n => n.ToLowerInvariant()))}");
            filter = s;
        }

        if (SubmissionsLimit.Refuse(limit) is { } refused)
            return refused;
        var rows = await kyc.ListAsync(filter, SubmissionsLimit.Of(limit), ct);
        var now = time.GetUtcNow();
        var views = rows.Select(r => View(r, now, includeDocument: false))
            .Where(v => filter is null || v.State == filter).ToList();
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<KycSubmissionView>, ProblemHttpResult>> Show(
        string id, ClaimsPrincipal user, KycService kyc, IOptions<ComplianceOptions> options, TimeProvider time, CancellationToken ct)
    {
        var s = await kyc.FindAsync(id, ct);
        var officer = GpunetPolicies.IsOfficer(user, options.Value);
        if (s is null || (!officer && !string.Equals(s.Address, user.FindFirstValue(GpunetClaims.Address), StringComparison.OrdinalIgnoreCase)))
            return Problems.NotFound($"no submission {Clip(id)}");
        return TypedResults.Ok(View(s, time.GetUtcNow(), includeDocument: true));
    }

    private static Task<Results<Ok<KycSubmissionView>, ProblemHttpResult>> Approve(
        string id, DecisionRequest? request, ClaimsPrincipal user, KycService kyc, TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, approve: true, request, user, kyc, time, ct);

    private static Task<Results<Ok<KycSubmissionView>, ProblemHttpResult>> Reject(
        string id, DecisionRequest? request, ClaimsPrincipal user, KycService kyc, TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, approve: false, request, user, kyc, time, ct);

    private static async Task<Results<Ok<KycSubmissionView>, ProblemHttpResult>> DecideAsync(
        string id, bool approve, DecisionRequest? request, ClaimsPrincipal user, KycService kyc, TimeProvider time, CancellationToken ct)
    {
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason.Trim();
        if (reason is { Length: > 500 })
            return Problems.Field("reason", "at most 500 characters");
        if (!approve && reason is null)
            return Problems.Field("reason", "a rejection needs a reason the participant can read");
        var outcome = await kyc.DecideAsync(id, approve, reason, request?.Final ?? false, Actor(user), ct);
        return outcome.Submission is { } s ? TypedResults.Ok(View(s, time.GetUtcNow(), includeDocument: false)) : Problem(outcome);
    }

    private static async Task<IResult> Webhook(string vendor, HttpRequest http, KycWebhooks webhooks, CancellationToken ct)
    {
        // Anonymous: a delivery to a vendor this coordinator does not have is refused before its body is read.
        var delivery = webhooks.Unknown(vendor);
        if (delivery is null)
        {
            using var buffer = new MemoryStream();
            await http.Body.CopyToAsync(buffer, ct);
            delivery = await webhooks.ReceiveAsync(vendor, http.Headers[HttpKycVendor.SignatureHeader].FirstOrDefault(), buffer.ToArray(), ct);
        }

        return delivery.Status == StatusCodes.Status200OK
            ? TypedResults.Ok(new WebhookReceipt(delivery.Outcome))
            : TypedResults.Problem(delivery.Outcome, statusCode: delivery.Status, title: "Webhook refused");
    }

    private static Ok<PolicyView> Policy(ComplianceService compliance)
    {
        var r = compliance.PolicyRecord;
        return TypedResults.Ok(new PolicyView(r.Version, r.Yaml, r.AppliedBy == "default" ? null : r.AppliedAt, r.AppliedBy));
    }

    private static PolicyValidation Validate(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
            return new(false, null, [new PolicyErrorView(1, "yaml", "the policy text is empty")]);
        var (policy, errors) = CompliancePolicyParser.Parse(yaml);
        var (listed, unlisted) = ShortLists.Cut(errors, ShortLists.Problems);
        return new(policy is not null, policy?.Version, [.. listed.Select(e => new PolicyErrorView(e.Line, e.Field, e.Message))], unlisted);
    }

    private static Ok<PolicyValidation> ValidatePolicy(PolicyRequest request) => TypedResults.Ok(Validate(request.Yaml));

    private static async Task<Results<Ok<PolicyAppliedView>, ProblemHttpResult>> ApplyPolicy(
        PolicyRequest request, ClaimsPrincipal user, ComplianceAdministration admin, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Yaml))
            return Problems.Field("yaml", "the policy text is required");
        var applied = await admin.ApplyPolicyAsync(request.Yaml, Actor(user), ct);
        if (applied.Errors.Count > 0)
        {
            var extensions = Problems.Listing("yaml", applied.Errors, e => new PolicyErrorView(e.Line, e.Field, e.Message));
            extensions["line"] = applied.Errors[0].Line;
            return TypedResults.Problem(
                Problems.Summary(applied.Errors, end: "; the policy in force is unchanged"),
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid policy", extensions: extensions);
        }

        if (applied.Conflict is { } conflict)
            return TypedResults.Problem(conflict, statusCode: StatusCodes.Status409Conflict, title: "Version already in force");
        var (hosts, hostsUnlisted) = ShortLists.Cut(applied.Enforcement!.HostsPaused, ShortLists.Enforced);
        var (leases, leasesUnlisted) = ShortLists.Cut(applied.Enforcement.LeasesEnded, ShortLists.Enforced);
        return TypedResults.Ok(new PolicyAppliedView(applied.Version!, applied.Unchanged, hosts, leases, hostsUnlisted, leasesUnlisted));
    }

    private static Ok<SanctionsView> Sanctions(ComplianceService compliance)
    {
        var list = compliance.Screener.List;
        var r = compliance.ListRecord;
        return TypedResults.Ok(new SanctionsView(list.Version, list.Entries.Count, list.NameCount, r is null ? "sample" : "imported", r?.ImportedAt, r?.ImportedBy));
    }

    private static async Task<Results<Ok<SanctionsImportedView>, ProblemHttpResult>> ImportSanctions(
        SanctionsRequest request, ClaimsPrincipal user, ComplianceAdministration admin, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Sdn))
            return Problems.Field("sdn", "the SDN CSV text is required");
        var imported = await admin.ImportSanctionsAsync(request.Sdn, string.IsNullOrWhiteSpace(request.Alt) ? null : request.Alt, Actor(user), ct);
        if (imported.Error is { } error)
            return Problems.Field("sdn", error + "; the list in force is unchanged");
        var (hosts, hostsUnlisted) = ShortLists.Cut(imported.Enforcement!.HostsPaused, ShortLists.Enforced);
        var (leases, leasesUnlisted) = ShortLists.Cut(imported.Enforcement.LeasesEnded, ShortLists.Enforced);
        return TypedResults.Ok(new SanctionsImportedView(imported.List!.Version, imported.List.Entries, imported.Names, imported.Screened, imported.Rejected,
            imported.Review, hosts, leases, hostsUnlisted, leasesUnlisted));
    }

    private static Results<Ok<HostComplianceView>, ProblemHttpResult> HostCompliance(
        string id, ClaimsPrincipal user, HostRegistry registry, ComplianceService compliance, RoundTripFlags roundTrips, IOptions<ComplianceOptions> options)
    {
        if (!registry.TryGet(id, out var entry)
            || (!GpunetPolicies.IsOfficer(user, options.Value) && !entry.IsOperatedBy(user.FindFirstValue(GpunetClaims.Address))))
            return Problems.NotFound($"no host {Clip(id)} of yours");
        return TypedResults.Ok(ComplianceHostsApi.Of(entry, compliance, roundTrips));
    }

    private static async Task<Results<Ok<HostComplianceView>, ProblemHttpResult>> ClearLocation(
        string id, ClearRequest? request, ClaimsPrincipal user, ComplianceAdministration admin, ComplianceEnforcer enforcer, HostRegistry registry,
        ComplianceService compliance, RoundTripFlags roundTrips, IOptions<ComplianceOptions> options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.Reason) || request.Reason.Length > 500)
            return Problems.Field("reason", "a clearance needs a reason (at most 500 characters): what evidence places the host where it says");
        if (await admin.ClearLocationAsync(id, request.Reason.Trim(), Actor(user), ct) is { } problem)
            return TypedResults.Problem(problem.Problem, statusCode: problem.Status, title: problem.Status == 404 ? "Not found" : "Refused");
        await enforcer.EnforceAsync($"location of {id} cleared", Actor(user), ct);
        return HostCompliance(id, user, registry, compliance, roundTrips, options);
    }

    private static async Task<Results<Ok<List<AuditEntryView>>, ProblemHttpResult>> Audit(
        AuditLog log, string? subject, int? limit, CancellationToken ct)
    {
        if (AuditLimit.Refuse(limit) is { } refused)
            return refused;
        var rows = await log.ListAsync(string.IsNullOrWhiteSpace(subject) ? null : subject.Trim(), AuditLimit.Of(limit), ct);
        return TypedResults.Ok(rows.Select(r => new AuditEntryView(r.Sequence, r.At, r.Subject, r.Rule, JsonSerializer.Deserialize<JsonElement>(r.Inputs),
            r.ListVersion, r.PolicyVersion, r.Outcome, r.DecidedBy, r.Hash)).ToList());
    }

    private static async Task<Results<Ok<AuditVerifyView>, ProblemHttpResult>> Verify(AuditLog log, CancellationToken ct)
    {
        var v = await log.VerifyAsync(ct);
        return TypedResults.Ok(new AuditVerifyView(v.Valid, v.Entries, v.FirstInvalidSequence, v.Problem));
    }

    internal static KycSubmissionView View(KycSubmissionRecord s, DateTimeOffset? now, bool includeDocument) => new(
        s.Id, s.Address, s.Kind, s.LegalName, s.Country, s.ParentCountry,
        now is { } t ? KycLifecycle.EffectiveState(ComplianceService.StatusOf(s), t) : Enum.Parse<KycState>(s.State),
        s.SubmittedAt, s.DecidedAt, s.ExpiresAt, s.Final, s.Reason, s.DecidedBy, s.Provider, s.Screening, s.ScreeningSummary, s.ListVersion,
        includeDocument ? JsonSerializer.Deserialize<JsonElement>(s.Document) : null);
}
