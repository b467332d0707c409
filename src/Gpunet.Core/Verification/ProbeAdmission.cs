using System.Globalization;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>Which probe requests a host answers: only a check the coordinator announced to it, only to one of that
/// check's checkers, signed by it for this host, and only with the call and the work the check is for.</summary>
/// <remarks>Pure: the caller looks up the announced check, knows its own host id and network, and passes the clock's
/// reading. Anything refused starts no work on the host.</remarks>
public static class ProbeAdmission
{
    /// <summary>How far a signed timestamp may be from the host's clock, either way.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Largest ping payload echoed, in bytes.</summary>
    public const int MaxPingPayload = 1024;

    /// <summary>Most pings answered per checker and check: a checker's round trip is 5 pings (its default), and any
    /// kind of check starts with them; 16 leaves room for a checker set to more, not for using the host as an echo.</summary>
    public const int MaxPingsPerChecker = 16;

    /// <summary>Largest download asked for, in bytes.</summary>
    public const int MaxDownloadBytes = 8 * 1024 * 1024;

    /// <summary>Most rows a checker may have opened per GPU: 1,024, four times the default
    /// (<see cref="FreivaldsCheck.DefaultOpenedRows"/>), about 8 MiB per GPU at n = 2,048.</summary>
    /// <remarks>A bound on what one assigned checker can make the host send; the coordinator's setting may not exceed it.</remarks>
    public const int MaxOpenedRowsPerGpu = 1024;

    /// <summary>Whether <paramref name="rpc"/> belongs to a check of kind <paramref name="kind"/>: a ping to every
    /// kind (the round trip is part of every verdict), a download to service checks, a capacity run to capacity checks.</summary>
    public static bool Allows(string kind, ProbeRpc rpc) => rpc switch
    {
        ProbeRpc.Ping => CheckKind.IsKnown(kind),
        ProbeRpc.Download => kind == CheckKind.Service,
        ProbeRpc.Capacity => kind == CheckKind.Capacity,
        _ => false,
    };

    /// <summary>Null when the request may be answered; otherwise why not.</summary>
    /// <param name="check">The announced check named by <paramref name="auth"/>, or null when none is.</param>
    /// <param name="auth">What the checker sent.</param>
    /// <param name="rpc">The call asked for.</param>
    /// <param name="hostId">This host's id from its latest registration; null before the first.</param>
    /// <param name="network">The network of that registration.</param>
    /// <param name="now">The host's clock.</param>
    /// <param name="signatures">Recovers signers.</param>
    public static ProbeRefusal? Admit(AnnouncedCheck? check, ProbeCredentials? auth, ProbeRpc rpc, string? hostId, string? network,
        DateTimeOffset now, ISignatureScheme signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        if (auth is null || string.IsNullOrEmpty(auth.CheckId) || string.IsNullOrEmpty(auth.Nonce) || string.IsNullOrEmpty(auth.Signature))
            return Malformed("auth: a check id, a nonce and a signature are required");
        if (!Address.TryParse(auth.Checker, out var checker, out var addressError))
            return Malformed($"auth.checker: {addressError}");
        if (hostId is null || string.IsNullOrEmpty(network))
            return new(ProbeRefusalReason.NotRegistered, "This host is not registered yet and answers no check.");
        if (check is null || check.CheckId != auth.CheckId)
            return new(ProbeRefusalReason.NotAnnounced, $"Check {auth.CheckId} was not announced to this host.");
        if (now >= check.ExpiresAt)
            return new(ProbeRefusalReason.Expired, string.Create(CultureInfo.InvariantCulture,
                $"Check {check.CheckId} expired at {check.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}."));
        if (!check.Checkers.Contains(checker))
            return new(ProbeRefusalReason.NotAssigned, $"{checker} is not an assigned checker of check {check.CheckId}.");
        if (!Allows(check.Kind, rpc))
            return new(ProbeRefusalReason.WrongKind, $"Check {check.CheckId} is a {check.Kind} check: {rpc} is not part of it.");

        DateTimeOffset signedAt;
        try
        {
            signedAt = DateTimeOffset.FromUnixTimeSeconds(auth.TimestampUnixSeconds);
        }
        catch (ArgumentOutOfRangeException)
        {
            return Malformed("auth.timestamp_unix_seconds: not a time");
        }

        if ((signedAt - now).Duration() > MaxClockSkew)
            return new(ProbeRefusalReason.Stale, string.Create(CultureInfo.InvariantCulture,
                $"The signed timestamp {signedAt:yyyy-MM-ddTHH:mm:ssZ} is more than {MaxClockSkew.TotalMinutes:0} minutes from this host's clock ({now:yyyy-MM-ddTHH:mm:ssZ})."));

        CanonicalMessage message;
        try
        {
            message = new ProbeStatement(check.CheckId, hostId, check.Kind, auth.Nonce).ToCanonical(network, checker, signedAt);
        }
        catch (ArgumentException e)
        {
            return Malformed($"auth.nonce: {e.Message}");
        }

        return signatures.Recover(message, auth.Signature) == checker
            ? null
            : new(ProbeRefusalReason.BadSignature,
                $"The signature is not {checker}'s over check {check.CheckId} of host {hostId} on network {network}.");
    }

    /// <summary>Null when the host keeps <paramref name="check"/> as announced; otherwise why not: a capacity check whose
    /// work this host does not compute (<see cref="CapacityWorkError"/>).</summary>
    /// <remarks>The one place the announced work is validated: a start is then only compared with it
    /// (<see cref="CheckCapacityStart"/>), and a coordinator asking for more than a host computes is told why before any
    /// GPU memory is taken for it.</remarks>
    public static string? AnnouncementError(AnnouncedCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Kind == CheckKind.Capacity && CapacityWorkError(check.Size, check.Inner, check.Products) is { } beyond
            ? $"capacity work beyond what this host computes: {beyond}"
            : null;
    }

    /// <summary>Null when a capacity start asks for exactly the announced work with a seed of the right length.</summary>
    /// <remarks>The announced work passed <see cref="AnnouncementError"/> when it was announced, so a start asking for
    /// it is admitted as it is. Any other start is refused: as malformed when no host computes its shape (with the
    /// reason), otherwise as the wrong work.</remarks>
    /// <param name="check">The announced check.</param>
    /// <param name="seedLength">Bytes of the start's seed.</param>
    /// <param name="size">The start's n.</param>
    /// <param name="products">The start's products per GPU.</param>
    /// <param name="innerSize">The start's k; 0 for square (a checker from before the inner size sends none).</param>
    public static ProbeRefusal? CheckCapacityStart(AnnouncedCheck check, int seedLength, int size, int products, int innerSize = 0)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (seedLength != MatrixChallenge.SeedLength)
            return Malformed($"start.seed: {MatrixChallenge.SeedLength} bytes, not {seedLength}");
        var inner = MatrixChallenge.EffectiveInnerSize(size, innerSize);
        if (size == check.Size && inner == check.Inner && products == check.Products)
            return null;
        return CapacityWorkError(size, inner, products) is { } beyond
            ? Malformed($"start: {beyond}")
            : new(ProbeRefusalReason.WrongWork, string.Create(CultureInfo.InvariantCulture,
                $"Check {check.CheckId} was announced with size {check.Size}, inner size {check.Inner} and {check.Products} products, not size {size}, inner size {inner} and {products}."));
    }

    /// <summary>Null when a host answers capacity work of this shape; otherwise why not: n and k within what
    /// <see cref="MatrixChallenge.ShapeError"/> accepts and at least one product.</summary>
    public static string? CapacityWorkError(int size, int innerSize, int products) =>
        products < 1 ? $"at least one product, not {products}" : MatrixChallenge.ShapeError(size, innerSize);

    /// <summary>Null when every asked row is of a GPU, product and row that exist, at most
    /// <see cref="MaxOpenedRowsPerGpu"/> per GPU.</summary>
    public static ProbeRefusal? CheckOpenRequest(IEnumerable<(int Gpu, int Product, int Row)> rows, IReadOnlyCollection<int> gpus,
        int size, int products)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(gpus);
        var perGpu = new Dictionary<int, int>();
        foreach (var (gpu, product, row) in rows)
        {
            if (!gpus.Contains(gpu))
                return Malformed($"open.rows: this host has no GPU {gpu}");
            if (product < 0 || product >= products || row < 0 || row >= size)
                return Malformed(string.Create(CultureInfo.InvariantCulture,
                    $"open.rows: GPU {gpu} product {product} row {row} is outside {products} products of {size} rows"));
            perGpu[gpu] = perGpu.GetValueOrDefault(gpu) + 1;
            if (perGpu[gpu] > MaxOpenedRowsPerGpu)
                return Malformed($"open.rows: at most {MaxOpenedRowsPerGpu} rows per GPU");
        }

        return null;
    }

    private static ProbeRefusal Malformed(string detail) => new(ProbeRefusalReason.Malformed, detail);
}
