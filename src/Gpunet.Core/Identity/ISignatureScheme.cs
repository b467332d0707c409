namespace Gpunet.Core.Identity;

/// <summary>Checks wallet signatures over canonical messages. One interface, so the implementation
/// (Nethereum today, a faster secp256k1 library tomorrow) can change in one place.</summary>
/// <remarks>Signature checks cost about a millisecond of CPU; keep them off per-heartbeat paths and
/// use <see cref="VerifyBatch"/> where many arrive together.</remarks>
public interface ISignatureScheme
{
    /// <summary>The address that signed <paramref name="message"/>, or null when the signature is malformed.</summary>
    Address? Recover(CanonicalMessage message, string signature);

    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="message"/> by its address.</summary>
    bool Verify(CanonicalMessage message, string signature) => Recover(message, signature) == message.Address;

    /// <summary>Verifies many signatures; result i is for item i.</summary>
    bool[] VerifyBatch(IReadOnlyList<(CanonicalMessage Message, string Signature)> items)
    {
        var results = new bool[items.Count];
        Parallel.For(0, items.Count, i => results[i] = Verify(items[i].Message, items[i].Signature));
        return results;
    }
}
