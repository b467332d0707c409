using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>Splits a fee between the host and the protocol (MISSION.md: 20 % protocol fee, 80 % to the host).</summary>
public static class FeeSplit
{
    /// <summary>protocol = floor(fee × <paramref name="protocolShare"/>), host = fee − protocol: the two always sum to the fee.</summary>
    /// <remarks>The odd base unit goes to the host. 100 tokens at the default 0.20 are 80 to the host and 20 to the protocol.</remarks>
    public static (TokenAmount Host, TokenAmount Protocol) Split(TokenAmount fee, decimal protocolShare)
    {
        if (protocolShare is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(protocolShare), protocolShare, "a share is from 0 to 1");
        var protocol = TokenAmount.FromBaseUnits((long)decimal.Floor(fee.BaseUnits * protocolShare));
        return (fee - protocol, protocol);
    }
}
