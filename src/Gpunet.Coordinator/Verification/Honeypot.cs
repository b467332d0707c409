using Gpunet.Coordinator.Auth;
using System.Collections.Concurrent;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>The planted known-bad hosts: which honeypot checks are open, and who may probe them. The probes are
/// answered by <see cref="HoneypotProbeService"/> on this coordinator's agent listener, as a host that computes a wrong
/// product would answer.</summary>
internal sealed class Honeypot(CoordinatorEndpoints endpoints, ISignatureScheme signatures, IOptions<AccessOptions> access, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, OpenCheck> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Check, string Checker), bool> _started = new();

    /// <summary>Where checkers probe a honeypot: this coordinator's agent listener.</summary>
    public string Endpoint => endpoints.AgentUrl;

    public void Expect(OpenCheck check) => _open[check.Id] = check;

    public void Forget(string checkId) => _open.TryRemove(checkId, out _);

    /// <summary>The open honeypot check <paramref name="auth"/> is signed for by one of its checkers; null (with why) when
    /// it is not. A capacity start is taken once per checker.</summary>
    public OpenCheck? Authorize(ProbeAuth? auth, bool capacityStart, out string refusal)
    {
        refusal = "";
        if (auth is null || !_open.TryGetValue(auth.CheckId ?? "", out var check) || time.GetUtcNow() > check.Record.Deadline)
        {
            refusal = "no such check is announced to this host";
            return null;
        }

        if (!Address.TryParse(auth.Checker, out var checker, out _) || !check.IsAssigned(checker.Value))
        {
            refusal = "the signer is not assigned to this check";
            return null;
        }

        CanonicalMessage signed;
        try
        {
            signed = new ProbeStatement(check.Id, check.Record.HostId, check.Record.Kind, auth.Nonce ?? "")
                .ToCanonical(access.Value.NetworkId, checker, DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(auth.TimestampUnixSeconds, 0, 253402300799)));
        }
        catch (ArgumentException e)
        {
            refusal = e.Message;
            return null;
        }

        if (!signatures.Verify(signed, auth.Signature ?? ""))
        {
            refusal = "the probe's signature does not verify";
            return null;
        }

        if (capacityStart && !_started.TryAdd((check.Id, checker.Value), true))
        {
            refusal = "this checker already started this capacity check";
            return null;
        }

        return check;
    }
}
