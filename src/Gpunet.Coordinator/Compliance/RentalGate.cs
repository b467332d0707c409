using System.Collections.Concurrent;
using Gpunet.Core.Compliance;

namespace Gpunet.Coordinator.Compliance;

/// <summary>One order's rental rules, resolved once for the matcher: which hosts it may not be placed on, and why.</summary>
/// <remarks>The matcher asks for every candidate host, so the common answer (allowed) costs two set lookups; the reason
/// text is made once per model and country.</remarks>
internal sealed class RentalGate
{
    private readonly CompliancePolicyEvaluator _evaluator;
    private readonly ParticipantKyc _customer;
    private readonly string? _zone;
    private readonly HashSet<string>? _zoneCountries;
    private readonly bool _restricted;
    private readonly string? _unverified;
    private readonly ConcurrentDictionary<(string Model, string Country, string Region, bool Confirmed), string?> _reasons = new();

    public RentalGate(CompliancePolicyEvaluator evaluator, ParticipantKyc customer, string? residency)
    {
        _evaluator = evaluator;
        _customer = customer;
        _zone = residency;
        var policy = evaluator.Policy;
        if (residency is not null)
        {
            var zone = policy.ResidencyZones.FirstOrDefault(z => string.Equals(z.Name, residency, StringComparison.OrdinalIgnoreCase));
            _zoneCountries = new(zone?.Countries ?? [], StringComparer.OrdinalIgnoreCase);
        }

        _unverified = customer.Approved ? null : $"{ComplianceRules.KycNotApproved}: the customer's KYC/KYB is {customer.State}, not Approved";
        _restricted = (customer.Country is { } c && policy.RestrictedCustomerJurisdictions.Contains(c, StringComparer.OrdinalIgnoreCase))
            || (customer.ParentCountry is { } p && policy.RestrictedParentJurisdictions.Contains(p, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Why the order may not be placed on a host in <paramref name="country"/> with <paramref name="model"/>;
    /// null when it may.</summary>
    /// <param name="locationConfirmed">Whether the host's address confirms its country (a residency choice needs it).</param>
    public string? Check(string model, string country, string region, bool locationConfirmed)
    {
        if (_unverified is not null)
            return _unverified;
        var zoneProblem = _zoneCountries is not null && (!locationConfirmed || !_zoneCountries.Contains(country));
        if (!zoneProblem && !(_restricted && _evaluator.Policy.IsControlled(model)))
            return null;
        return _reasons.GetOrAdd((model, country, region, locationConfirmed), k =>
        {
            var decision = _evaluator.EvaluateRental(new RentalFacts(
                _customer.Country ?? "", _customer.ParentCountry, KycState.Approved, k.Model, k.Country, k.Region, _zone, k.Confirmed));
            return decision.Allowed ? null : ComplianceService.Describe(decision);
        });
    }
}
