using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>What a checker signs to be answered by a host's probe endpoint: this check, of this host, of this kind.</summary>
/// <remarks>A <see cref="CanonicalMessage"/> with purpose <see cref="Purpose"/>, nonce <c>CHECK/NONCE</c> (the checker's
/// own nonce per request), so a signature for one check, host or network is refused for any other. The host answers it
/// only while the check it names is announced to it and only when the signer is one of that check's checkers.</remarks>
/// <param name="CheckId">The check the coordinator assigned.</param>
/// <param name="HostId">The host probed.</param>
/// <param name="Kind">One of <see cref="CheckKind.All"/>.</param>
/// <param name="Nonce">The checker's nonce for this request.</param>
public sealed record ProbeStatement(string CheckId, string HostId, string Kind, string Nonce)
{
    /// <summary>Purpose of the signed probe text.</summary>
    public const string Purpose = "host-probe";

    /// <summary>The canonical text signed by <paramref name="checker"/> at <paramref name="timestamp"/>.</summary>
    /// <exception cref="ArgumentException">A part that is empty or holds a line break.</exception>
    public CanonicalMessage ToCanonical(string network, Address checker, DateTimeOffset timestamp) =>
        CanonicalMessage.Create(Purpose, network, checker, CheckId + "/" + Nonce, timestamp,
        [
            new("format", "gpunet host probe v1"),
            new("check", CheckId),
            new("host", HostId),
            new("kind", Kind),
        ]);
}
