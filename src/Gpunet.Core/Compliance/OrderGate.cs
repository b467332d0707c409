using System.Collections.Concurrent;

namespace Gpunet.Core.Compliance;

/// <summary>The one gate every order passes: when it is placed (<see cref="Refusal"/>), on every host the matcher would
/// place it on, and again on every sweep while it runs (<see cref="Check(CandidateHost)"/>).</summary>
/// <remarks>
/// <para>The rules, written once: a host that is not fully staked is refused when stake is required; a customer's
/// order needs approved KYC/KYB, may not rent export-controlled GPUs from a restricted jurisdiction (their own or their
/// parent company's), and stays inside the residency zone it asks for, on hosts whose location is confirmed. The
/// operator's own orders pass every customer rule but the residency they ask for.</para>
/// <para>Pure and thread-safe. The matcher asks for every candidate host, so the common answer (allowed) costs a few
/// set lookups; a refusal's text is made once per model, country, region and confirmation.</para>
/// </remarks>
public sealed class OrderGate
{
    private readonly CompliancePolicyEvaluator _evaluator;
    private readonly OrderOwner _owner;
    private readonly ParticipantKyc _customer;
    private readonly string? _residency;
    private readonly HashSet<string>? _zoneCountries;
    private readonly bool _restricted;
    private readonly ConcurrentDictionary<(string Model, string Country, string Region, bool Confirmed), string?> _reasons = new();

    /// <summary>The gate of one order.</summary>
    /// <param name="customer">The owner's KYC/KYB standing now (not read for the operator).</param>
    /// <param name="residency">The residency zone the order asks for; null for none.</param>
    /// <param name="stakeRequired">Whether hosts must be fully staked to be matched.</param>
    public OrderGate(CompliancePolicyEvaluator evaluator, OrderOwner owner, ParticipantKyc customer, string? residency, bool stakeRequired)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(customer);
        _evaluator = evaluator;
        _owner = owner;
        // The operator answers to no KYC/KYB and has no country: no customer rule but residency can stop it.
        _customer = owner == OrderOwner.Operator ? new ParticipantKyc(KycState.Approved, null, null, null) : customer;
        _residency = residency;
        NeedsStake = stakeRequired;
        var policy = evaluator.Policy;
        if (residency is not null)
        {
            var zone = policy.ResidencyZones.FirstOrDefault(z => string.Equals(z.Name, residency, StringComparison.OrdinalIgnoreCase));
            _zoneCountries = new(zone?.Countries ?? [], StringComparer.OrdinalIgnoreCase);
        }

        _restricted = (_customer.Country is { } c && policy.RestrictedCustomerJurisdictions.Contains(c, StringComparer.OrdinalIgnoreCase))
            || (_customer.ParentCountry is { } p && policy.RestrictedParentJurisdictions.Contains(p, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Whether a host's stake is read (<see cref="CandidateHost.Staked"/>).</summary>
    public bool NeedsStake { get; }

    /// <summary>Whether a host's location confirmation is read (<see cref="CandidateHost.LocationConfirmed"/>): the
    /// order asks for a residency.</summary>
    public bool NeedsConfirmedLocation => _residency is not null;

    /// <summary>Whether any host can be refused: false for the operator's order with no residency where stake is not
    /// required, which every host passes.</summary>
    public bool ChecksHosts => NeedsStake || _owner == OrderOwner.Customer || _residency is not null;

    /// <summary>Why the order may not be placed at all, asking for <paramref name="canonicalModels"/> (the catalog models
    /// it accepts; empty: any); null when it may.</summary>
    public ComplianceDecision? Refusal(IReadOnlyList<string> canonicalModels)
    {
        ArgumentNullException.ThrowIfNull(canonicalModels);
        var policy = _evaluator.Policy;
        var reasons = new List<ComplianceReason>();
        if (!_customer.Approved)
            reasons.Add(new(ComplianceRules.KycNotApproved, $"placing an order needs approved KYC/KYB; yours is {_customer.State}"));
        if (_residency is not null && !policy.ResidencyZones.Any(z => string.Equals(z.Name, _residency, StringComparison.OrdinalIgnoreCase)))
        {
            reasons.Add(new(ComplianceRules.OutsideResidencyZone,
                $"the policy has no residency zone '{_residency}'; it has {string.Join(", ", policy.ResidencyZones.Select(z => z.Name))}"));
        }

        // An order that can only be met by controlled GPUs, from a customer who may not rent them, can never be placed.
        if (_customer.Approved && canonicalModels.Count > 0 && canonicalModels.All(policy.IsControlled))
        {
            var rental = _evaluator.EvaluateRental(new RentalFacts(_customer.Country ?? "", _customer.ParentCountry, KycState.Approved, canonicalModels[0], "", "", null));
            reasons.AddRange(rental.Reasons.Where(r => r.Rule is ComplianceRules.RestrictedCustomerJurisdiction or ComplianceRules.RestrictedParentJurisdiction));
        }

        return reasons.Count == 0 ? null : new ComplianceDecision(policy.Version, reasons);
    }

    /// <summary>Why the order may not be placed on (or keep running on) <paramref name="host"/>; null when it may.</summary>
    public string? Check(CandidateHost host)
    {
        if (NeedsStake && host.Staked < host.RequiredStake)
            return $"{host.HostId} is not fully staked ({host.Staked} of {host.RequiredStake} tokens)";
        return Check(host.GpuModel, host.Country, host.Region, host.LocationConfirmed);
    }

    /// <summary>The customer rules alone (no stake) for a host with <paramref name="model"/> in
    /// <paramref name="country"/>; null when they allow it.</summary>
    /// <param name="locationConfirmed">Whether the host's address confirms its country (a residency choice needs it).</param>
    public string? Check(string model, string country, string region, bool locationConfirmed)
    {
        if (!ChecksHosts)
            return null;
        var zoneProblem = _zoneCountries is not null && (!locationConfirmed || !_zoneCountries.Contains(country));
        // A held host (blocked jurisdiction or region) is the host gate's: it never serves, so it is not asked here.
        if (_customer.Approved && !zoneProblem && !(_restricted && _evaluator.Policy.IsControlled(model)))
            return null;
        return _reasons.GetOrAdd((model, country, region, locationConfirmed), k =>
        {
            var decision = _evaluator.EvaluateRental(new RentalFacts(
                _customer.Country ?? "", _customer.ParentCountry, _customer.State, k.Model, k.Country, k.Region, _residency, k.Confirmed));
            return decision.Allowed ? null : decision.Describe();
        });
    }
}
