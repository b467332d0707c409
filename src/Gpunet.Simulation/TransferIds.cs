using Gpunet.Core.Ledger;

namespace Gpunet.Simulation;

/// <summary>The ids of the run's ledger transfers: derived from what they are for, so a write replayed after a crash
/// posts nothing twice.</summary>
internal static class TransferIds
{
    public const ushort Funding = 1;
    public const ushort Hold = 2;
    public const ushort HostShare = 3;
    public const ushort ProtocolShare = 4;
    public const ushort Release = 5;
    public const ushort Slash = 6;

    /// <summary>The transfer of <paramref name="code"/> for epoch (or 0) <paramref name="epoch"/> and subject
    /// <paramref name="subject"/> (a lease's number, with a host's index in the low 16 bits where one lease pays several).</summary>
    public static TransferId For(ushort code, long epoch, long subject) =>
        TransferId.FromParts(((ulong)code << 56) | (ulong)epoch, (ulong)subject);
}
