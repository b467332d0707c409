using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gpunet.Agent.Workloads;

/// <summary>The nftables rules that keep sandboxed leases from opening connections to this host and to local networks:
/// the agent's own services, the coordinator on the same machine, a cloud's metadata endpoint (169.254.169.254, which
/// hands out the machine's cloud credentials), the operator's LAN.</summary>
/// <remarks>The sandbox shares the host's network (workloads download models and data, and services listen on their
/// port), so the filter is by user: each lease runs as a uid of <see cref="SandboxUids"/>, and packets of those uids
/// that open a connection to an address of this host (<c>fib daddr type local</c>) or of <see cref="DeniedNetworks"/>
/// are refused, but for DNS (port 53: the resolver is often on this host or a local network). Replies on connections
/// others opened to a lease (a customer reaching its service) pass. The table is
/// replaced whole, so several agents on one machine (a devnet) install the same rules.</remarks>
internal static class LeaseEgressFilter
{
    /// <summary>The nftables table the rules live in.</summary>
    public const string Table = "gpunet_lease_egress";

    /// <summary>Where a lease may not open connections, besides this host's own addresses: "this network", private
    /// (RFC 1918, RFC 4193), shared (RFC 6598) and link-local (RFC 3927, RFC 4291) networks.</summary>
    public static readonly IReadOnlyList<IPNetwork> DeniedNetworks =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
    ];

    /// <summary>The nft script for leases running as uids <paramref name="firstUid"/> to <paramref name="lastUid"/>; pure.</summary>
    public static string Rules(int firstUid, int lastUid, IReadOnlyList<IPNetwork> denied)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstUid);
        ArgumentOutOfRangeException.ThrowIfLessThan(lastUid, firstUid);
        var v4 = denied.Where(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetwork).Select(n => n.ToString()).ToList();
        var v6 = denied.Where(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6).Select(n => n.ToString()).ToList();
        var uids = string.Create(CultureInfo.InvariantCulture, $"{firstUid}-{lastUid}");
        var lines = new List<string>
        {
            // Declaring, deleting and declaring again replaces the table in one transaction, whether it was there or not.
            $"table inet {Table}",
            $"delete table inet {Table}",
            $"table inet {Table} {{",
            "  chain output {",
            "    type filter hook output priority 0; policy accept;",
            $"    meta skuid != {uids} accept",
            "    ct state established,related accept",
            // Name resolution: the resolver in /etc/resolv.conf is often on this host (127.0.0.53) or a link-local or
            // private address (169.254.169.253, 10.0.0.2); a lease that cannot resolve names cannot download anything.
            "    meta l4proto { tcp, udp } th dport 53 accept",
            "    fib daddr type local reject",
        };
        if (v4.Count > 0)
            lines.Add($"    ip daddr {{ {string.Join(", ", v4)} }} reject");
        if (v6.Count > 0)
            lines.Add($"    ip6 daddr {{ {string.Join(", ", v6)} }} reject");
        lines.Add("  }");
        lines.Add("}");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Installs the rules with <c>nft</c>; null when they are in place, else why not.</summary>
    public static string? Install(int firstUid, int lastUid, string nft = "nft")
    {
        if (ProgramPath.Find(nft) is not { } program)
            return "nft is not installed (Debian: apt-get install nftables)";
        try
        {
            var psi = new ProcessStartInfo(program)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("-f");
            psi.ArgumentList.Add("-");
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("nft did not start");
            process.StandardInput.Write(Rules(firstUid, lastUid, DeniedNetworks));
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return "nft did not answer within 30 s";
            }

            return process.ExitCode == 0 ? null : $"nft refused the rules: {stderr.Result.Trim()}";
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
        {
            return $"nft could not run: {e.Message}";
        }
    }
}
