using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Core.Audit;

/// <summary>The audit log's hash chain: each entry's hash covers its fields and the previous entry's hash,
/// so altering, removing or reordering an entry breaks the chain from there on.</summary>
/// <remarks>
/// <para>The chain alone cannot show that the last entries were removed, nor that the whole tail from some entry on
/// was rewritten and rehashed: the caller keeps the head (count and hash) somewhere else and compares it.</para>
/// <para>Times are hashed as whole Unix milliseconds (<see cref="DateTimeOffset.ToUnixTimeMilliseconds"/>), so a
/// database that keeps milliseconds or better round-trips an entry unchanged; <see cref="Append"/> truncates to that.</para>
/// </remarks>
public static class AuditChain
{
    /// <summary>The <see cref="AuditEntry.PreviousHash"/> of the first entry: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    // Domain separation: a hash of this format can never equal a hash of some other format.
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("gpunet-audit-v1");

    // Strict UTF-8: a string with a lone surrogate would otherwise encode like a different string.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The lower-case hex SHA-256 of an entry's fields.</summary>
    /// <remarks>Encoding: a domain tag, then each field in order; numbers as 8 bytes big-endian (<paramref name="at"/> as
    /// Unix milliseconds), each text as a presence byte (0 for null, 1 otherwise), a 4-byte big-endian length and its
    /// UTF-8 bytes. So no two different entries share an encoding, and null differs from empty.</remarks>
    /// <exception cref="ArgumentException">A text is not valid UTF-16 (a lone surrogate).</exception>
    public static string ComputeHash(
        long sequence, DateTimeOffset at, string subject, string rule, string inputs, string? listVersion, string? policyVersion,
        string outcome, string decidedBy, string previousHash)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Domain);
        Number(sha, sequence);
        Number(sha, at.ToUnixTimeMilliseconds());
        foreach (var text in (ReadOnlySpan<string?>)[subject, rule, inputs, listVersion, policyVersion, outcome, decidedBy, previousHash])
            Text(sha, text);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The hash <paramref name="entry"/> should carry, from its own fields.</summary>
    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ComputeHash(entry.Sequence, entry.At, entry.Subject, entry.Rule, entry.Inputs, entry.ListVersion,
            entry.PolicyVersion, entry.Outcome, entry.DecidedBy, entry.PreviousHash);
    }

    /// <summary>The entry that follows <paramref name="previous"/> (null: the first entry of the log).</summary>
    /// <param name="at">When the decision was made; stored as UTC whole milliseconds.</param>
    public static AuditEntry Append(
        AuditEntry? previous, DateTimeOffset at, string subject, string rule, string inputs, string? listVersion,
        string? policyVersion, string outcome, string decidedBy)
    {
        var sequence = previous is null ? 1 : previous.Sequence + 1;
        var previousHash = previous?.Hash ?? GenesisHash;
        var stored = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
        var hash = ComputeHash(sequence, stored, subject, rule, inputs, listVersion, policyVersion, outcome, decidedBy, previousHash);
        return new AuditEntry(sequence, stored, subject, rule, inputs, listVersion, policyVersion, outcome, decidedBy, previousHash, hash);
    }

    /// <summary>Checks a whole log, reading it once, and names the first entry that was altered, removed or moved.</summary>
    /// <param name="entriesInSequenceOrder">The log as stored, in ascending sequence order.</param>
    /// <remarks>An empty log is valid with 0 entries. Removing the last entries, or rewriting and rehashing every entry
    /// from some point to the end, leaves a consistent chain: compare <see cref="AuditVerification.Entries"/> and the last
    /// hash with a head kept elsewhere to detect that.</remarks>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entriesInSequenceOrder)
    {
        ArgumentNullException.ThrowIfNull(entriesInSequenceOrder);
        using var reader = entriesInSequenceOrder.GetEnumerator();
        var expected = 1L;
        var previousHash = GenesisHash;
        var more = reader.MoveNext();
        while (more)
        {
            var entry = reader.Current;
            // One entry of look-ahead tells a swap (…, 4, 3, …) from a removal (…, 4, 5, …).
            more = reader.MoveNext();
            var next = more ? reader.Current : null;

            if (entry.Sequence != expected)
                return Misplaced(entry.Sequence, expected, next?.Sequence);
            if (!HashMatches(entry))
                return AuditVerification.Broken(expected, $"entry {expected} was altered: its hash does not match its contents");
            if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                return expected == 1
                    ? AuditVerification.Broken(1, "entry 1 does not start the chain: its previous hash is not the genesis hash (earlier entries were removed)")
                    : AuditVerification.Broken(expected - 1,
                        $"entry {expected - 1} was altered: entry {expected} no longer links to it (its hash was recomputed after the change)");
            }

            previousHash = entry.Hash;
            expected++;
        }

        return AuditVerification.Intact(expected - 1);
    }

    private static AuditVerification Misplaced(long found, long expected, long? next)
    {
        if (found > expected && next == expected)
            return AuditVerification.Broken(expected, $"entries {expected} and {found} are out of order: entry {found} comes before entry {expected}");
        if (found > expected)
        {
            var missing = found - expected == 1 ? $"entry {expected} is missing" : $"entries {expected} to {found - 1} are missing";
            return AuditVerification.Broken(expected, $"{missing} (removed)");
        }

        var after = expected == 1 ? "at the start of the log" : $"after entry {expected - 1}";
        return AuditVerification.Broken(expected, $"entry {expected} is out of place: entry {found} comes {after}");
    }

    private static bool HashMatches(AuditEntry entry)
    {
        try
        {
            return string.Equals(ComputeHash(entry), entry.Hash, StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false; // text that cannot be encoded was not written by Append
        }
    }

    private static void Number(IncrementalHash sha, long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        sha.AppendData(bytes);
    }

    private static void Text(IncrementalHash sha, string? text)
    {
        if (text is null)
        {
            sha.AppendData([0]);
            return;
        }

        var bytes = Utf8.GetBytes(text);
        Span<byte> header = stackalloc byte[1 + sizeof(int)];
        header[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], bytes.Length);
        sha.AppendData(header);
        sha.AppendData(bytes);
    }
}
