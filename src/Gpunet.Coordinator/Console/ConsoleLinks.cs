using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Console;

/// <summary>One-time links that sign a browser into the console as whoever made them (<c>gpunet login --web</c>).</summary>
/// <remarks>
/// <list type="bullet">
/// <item>The code is 32 bytes from a CSPRNG (base64url, 43 characters); only its SHA-256 is stored, so a copy of the
/// store opens no session.</item>
/// <item>Single use across coordinators: redeeming deletes the row and goes on only when this delete removed it.</item>
/// <item>Short-lived (<see cref="ConsoleOptions.ConsoleLinkLifetime"/>), and a wallet holds at most
/// <see cref="ConsoleOptions.ConsoleLinksPerWallet"/> unused ones (a new one replaces the oldest), so links cannot pile
/// up; expired ones are swept whenever one is made.</item>
/// </list>
/// </remarks>
internal sealed class ConsoleLinks(IDbContextFactory<GpunetDb> dbFactory, IOptions<ConsoleOptions> options, TimeProvider time)
{
    /// <summary>Makes a link for <paramref name="address"/> (null: the network operator, signed in with the admin token).</summary>
    /// <returns>The code to put in the link, and when it expires.</returns>
    public async Task<(string Code, DateTimeOffset ExpiresAt)> IssueAsync(string? address, CancellationToken ct)
    {
        var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var owner = address?.ToLowerInvariant() ?? "";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.ConsoleLinks.Where(l => l.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var open = await db.ConsoleLinks.Where(l => l.Address == owner).OrderBy(l => l.IssuedAt).Select(l => l.CodeHash).ToListAsync(ct);
        var excess = open.Count - options.Value.ConsoleLinksPerWallet + 1;
        if (excess > 0)
        {
            var oldest = open.Take(excess).ToList();
            await db.ConsoleLinks.Where(l => oldest.Contains(l.CodeHash)).ExecuteDeleteAsync(ct);
        }

        var expires = now + options.Value.ConsoleLinkLifetime;
        db.ConsoleLinks.Add(new ConsoleLinkRecord
        {
            CodeHash = Hash(code), Address = owner, Role = address is null ? GpunetClaims.AdminRole : GpunetClaims.CustomerRole,
            IssuedAt = now, ExpiresAt = expires,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (code, expires);
    }

    /// <summary>Uses a link: who it signs in, or null when the code is unknown, already used or expired (the link is
    /// used up whatever the outcome).</summary>
    public async Task<ConsoleLinkRecord?> RedeemAsync(string code, CancellationToken ct)
    {
        var hash = Hash(code);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ConsoleLinks.AsNoTracking().FirstOrDefaultAsync(l => l.CodeHash == hash, ct);
        // Whoever deletes the row has used the link: a second use, here or at another coordinator, deletes nothing.
        if (row is null || await db.ConsoleLinks.Where(l => l.CodeHash == hash).ExecuteDeleteAsync(ct) == 0)
            return null;
        return row.ExpiresAt < time.GetUtcNow() ? null : row;
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
