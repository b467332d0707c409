using System.Globalization;
using System.Security.Cryptography;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.Checker.Probing;

/// <summary>One check's connection to a host's probe endpoint (<c>HostProbe</c>): every request carries a fresh
/// <see cref="ProbeAuth"/> signed by the checker for this check, host and kind.</summary>
/// <remarks>Requests are signed before their timer starts, so a signature's cost (about a millisecond) is never
/// counted as the host's round trip or compute time.</remarks>
internal sealed class ProbeConnection : IDisposable
{
    private const int PingPayloadBytes = 32;

    private readonly GrpcChannel _channel;
    private readonly Assignment _assignment;
    private readonly Wallet _wallet;
    private readonly string _network;
    private readonly TimeProvider _time;

    private ProbeConnection(GrpcChannel channel, Assignment assignment, Wallet wallet, string network, TimeProvider time)
    {
        _channel = channel;
        _assignment = assignment;
        _wallet = wallet;
        _network = network;
        _time = time;
        Client = new HostProbe.HostProbeClient(channel);
    }

    /// <summary>The host's probe service.</summary>
    public HostProbe.HostProbeClient Client { get; }

    /// <summary>Opens a channel to the assignment's probe endpoint.</summary>
    /// <exception cref="ProbeFailedException">The endpoint is not an http(s) URL.</exception>
    public static ProbeConnection Open(Assignment assignment, Wallet wallet, string network, TimeProvider time, TimeSpan connectTimeout)
    {
        if (!Uri.TryCreate(assignment.ProbeEndpoint, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new ProbeFailedException($"the probe endpoint '{assignment.ProbeEndpoint}' is not an http(s) URL");
        var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = connectTimeout, EnableMultipleHttp2Connections = true },
            // A download comes in 64 KiB chunks; capacity openings in messages of about 2 MiB (256 rows on each of
            // 8 GPUs are about 17 MiB at n = 2,048, so the agent splits them); 16 MiB is far above either.
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        return new ProbeConnection(channel, assignment, wallet, network, time);
    }

    /// <summary>A fresh signed authorisation: this check, this host, this kind, a new nonce, now.</summary>
    public ProbeAuth Auth()
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var statement = new ProbeStatement(_assignment.CheckId, _assignment.HostId, _assignment.Kind, nonce)
            .ToCanonical(_network, _wallet.Address, _time.GetUtcNow());
        return new ProbeAuth
        {
            CheckId = _assignment.CheckId,
            Checker = _wallet.Address.Value,
            Nonce = nonce,
            TimestampUnixSeconds = statement.Timestamp.ToUnixTimeSeconds(),
            Signature = _wallet.Sign(statement),
        };
    }

    /// <summary>The lower median and the smallest round trip of <paramref name="pings"/> pings, each echoing a random
    /// payload.</summary>
    /// <exception cref="ProbeFailedException">An echo that differs, or an answer as another host.</exception>
    public async Task<(TimeSpan Median, TimeSpan Smallest)> RoundTripAsync(int pings, CancellationToken ct)
    {
        var trips = new List<TimeSpan>(pings);
        for (var i = 0; i < pings; i++)
        {
            var payload = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(PingPayloadBytes));
            var request = new PingRequest { Auth = Auth(), Payload = payload };
            var sent = _time.GetTimestamp();
            var reply = await Client.PingAsync(request, cancellationToken: ct);
            trips.Add(_time.GetElapsedTime(sent));
            if (reply.HostId != _assignment.HostId)
                throw new ProbeFailedException($"the probe endpoint answered as host '{reply.HostId}', not {_assignment.HostId}");
            if (!reply.Payload.Equals(payload))
                throw new ProbeFailedException("the host echoed a different payload than was sent");
        }

        trips.Sort();
        // The lower median: a round trip that was measured, as the majority's medians are.
        return (trips[(trips.Count - 1) / 2], trips[0]);
    }

    /// <summary>Downloads <paramref name="bytes"/> from the host and returns the rate, megabits a second.</summary>
    /// <exception cref="ProbeFailedException">More or fewer bytes than asked.</exception>
    public async Task<double> ThroughputMbpsAsync(int bytes, CancellationToken ct)
    {
        var request = new DownloadRequest { Auth = Auth(), Bytes = bytes };
        var sent = _time.GetTimestamp();
        using var call = Client.Download(request, cancellationToken: ct);
        long received = 0;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(ct))
        {
            received += chunk.Data.Length;
            if (received > bytes)
                throw new ProbeFailedException(string.Create(CultureInfo.InvariantCulture, $"the host sent more than the {bytes} bytes asked"));
        }

        var elapsed = _time.GetElapsedTime(sent);
        if (received != bytes)
            throw new ProbeFailedException(string.Create(CultureInfo.InvariantCulture, $"the host sent {received} of the {bytes} bytes asked"));
        // A clock that did not move (a test's) reads as one microsecond rather than an infinite rate.
        return bytes * 8.0 / Math.Max(elapsed.TotalSeconds, 1e-6) / 1e6;
    }

    public void Dispose() => _channel.Dispose();
}
