using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Gpunet.Cli.Bench;

/// <summary>PostgreSQL's own <c>pgbench</c> on the server a benchmark used, for comparison: its simple-update builtin
/// (<c>-N</c>: one UPDATE of an account, a SELECT and an INSERT into history per transaction, the closest to a ledger
/// write), 2 clients for 10 seconds, on a scratch database created and dropped here.</summary>
internal static partial class Pgbench
{
    /// <summary>pgbench's transactions per second, or null when there is no pgbench binary.</summary>
    public static async Task<double?> TpsAsync(string server, int seconds, CancellationToken ct)
    {
        var binary = Find();
        if (binary is null)
            return null;
        var b = new NpgsqlConnectionStringBuilder(server);
        var name = "gpunet_pgbench_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        await ScratchDatabase.CreateAsync(server, name, ct);
        try
        {
            await RunAsync(binary, b, ["-i", "-q", "-s", "1", name], ct);
            var output = await RunAsync(binary, b, ["-N", "-c", "2", "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), name], ct);
            var m = TpsLine().Match(output);
            return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : throw new CliException("pgbench printed no tps line:\n" + output);
        }
        finally
        {
            await ScratchDatabase.DropAsync(server, name, CancellationToken.None);
        }
    }

    private static string? Find()
    {
        var candidates = new List<string>();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "bin", "pgbench")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "pgbench")));
        return candidates.FirstOrDefault(File.Exists);
    }

    private static async Task<string> RunAsync(string binary, NpgsqlConnectionStringBuilder server, IEnumerable<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-h", server.Host ?? "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", server.Username ?? "postgres"])
            info.ArgumentList.Add(a);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        if (server.Password is { } password)
            info.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(info) ?? throw new CliException("cannot start " + binary);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var text = await stdout + await stderr;
        return process.ExitCode == 0 ? text : throw new CliException($"pgbench failed ({process.ExitCode}):\n{text}");
    }

    // "tps = 1234.567890 (without initial connection time)"
    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
