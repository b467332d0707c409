using System.Diagnostics;
using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Agent.Link;
using Gpunet.Cli.Commands;
using Gpunet.Cli.Devnet;
using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace Gpunet.Cli.Bench;

/// <summary>The load side of <c>gpunet bench heartbeats</c>: the agents' keys and hosts, their HTTP/2 connections, their
/// registrations and the paced heartbeats they send, with the latency of the acknowledged ones.</summary>
internal static class HeartbeatLoad
{
    public static GrpcChannel[] Channels(Uri url, int count) =>
    [
        .. Enumerable.Range(0, count).Select(_ => GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            // One connection per channel: the streams are spread over exactly --connections connections.
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        })),
    ];

    /// <summary>Each agent's wallet and host description.</summary>
    public static async Task<(Wallet Wallet, HostDescription Host)[]> AgentsAsync(int count, CancellationToken ct)
    {
        var agents = new (Wallet, HostDescription)[count];
        var (mac, cpu) = (HardwareFingerprint.PrimaryMac(), HardwareFingerprint.CpuModel());
        await Parallel.ForAsync(0, count, ct, async (i, _) =>
        {
            var wallet = Wallet.Create();
            var site = DevnetPlan.Site(i);
            var options = DevnetCommand.AgentOptionsFor(site, new Uri("http://127.0.0.1"), $"bench-{i}");
            var inventory = await SimulatedGpuSource.FromSpecs([site.Gpus], wallet.Address.Value).ReadAsync(ct);
            // Same machine for every agent (one MAC, one CPU); the simulated GPU UUIDs make each fingerprint unique.
            agents[i] = (wallet, HostDescriptions.Build(options, inventory, mac, cpu));
        });
        return agents;
    }

    public static async Task<AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage>[]> RegisterAllAsync(
        BenchHeartbeatsCommand.Settings s, (Wallet Wallet, HostDescription Host)[] agents, GrpcChannel[] channels, CancellationToken ct,
        Action? registered = null)
    {
        var calls = new AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage>[s.Hosts];
        async Task Register(int i)
        {
            var call = new AgentLink.AgentLinkClient(channels[i % channels.Length]).Connect(cancellationToken: ct);
            await AgentHandshake.RunAsync(call, agents[i].Wallet, agents[i].Host, "bench", TimeProvider.System, ct);
            calls[i] = call;
        }

        await BenchProgress.RunAsync(s.Json, "registering agents (sign + verify + store)", s.Hosts, async tick =>
            await Parallel.ForAsync(0, s.Hosts, new ParallelOptions { MaxDegreeOfParallelism = s.InFlight, CancellationToken = ct }, async (i, _) =>
            {
                await Register(i);
                tick();
                registered?.Invoke();
            }));
        return calls;
    }

    /// <summary>Every stream sends heartbeats back to back; one in --ack-every asks for an ack whose round trip is timed.</summary>
    /// <param name="measuring">Called as the measured window opens (after the warm-up), and with false as it closes.</param>
    public static async Task<(long Messages, double PerSecond, double P50, double P99, int Samples)> DriveAsync(
        BenchHeartbeatsCommand.Settings s, AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage>[] calls, Func<long> received, CancellationToken ct,
        ProcessUse? use = null, Action<bool>? measuring = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var latencies = new double[4_000_000];
        var latencyCount = 0;
        var timing = 0;
        var gpuStatus = new GpuStatus { Index = 0, UtilizationPct = 87, TemperatureC = 64, MemoryUsedMib = 40_960 };

        // Paced: every agent heartbeats each hosts/rate seconds, phases spread evenly over one interval and kept so.
        using var pacer = s.Rate > 0 ? new HeartbeatPacer(calls.Length, TimeSpan.FromSeconds(calls.Length / s.Rate)) : null;

        async Task Send(AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call, int index)
        {
            // Agent i's acked heartbeats are those with (sequence + i) a multiple of --ack-every: the timed round trips
            // spread over the whole run instead of every agent timing the same interval in each --ack-every.
            var offset = (ulong)(index % s.AckEvery);
            var sent = new long[64];
            var reader = Task.Run(async () =>
            {
                try
                {
                    while (await call.ResponseStream.MoveNext(stop.Token))
                    {
                        var seq = call.ResponseStream.Current.HeartbeatAck?.Sequence ?? 0;
                        var at = Volatile.Read(ref sent[((seq + offset) / (ulong)s.AckEvery) % 64]);
                        if (at != 0 && Volatile.Read(ref timing) == 1)
                        {
                            var i = Interlocked.Increment(ref latencyCount) - 1;
                            if (i < latencies.Length)
                                latencies[i] = Stopwatch.GetElapsedTime(at).TotalMilliseconds;
                        }
                    }
                }
                catch (RpcException)
                {
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None);

            ulong sequence = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (pacer is not null)
                    {
                        await pacer.WaitAsync(index);
                        if (stop.IsCancellationRequested)
                            break;
                    }
                    sequence++;
                    var ack = (sequence + offset) % (ulong)s.AckEvery == 0;
                    if (ack)
                        Volatile.Write(ref sent[((sequence + offset) / (ulong)s.AckEvery) % 64], Stopwatch.GetTimestamp());
                    var hb = new Heartbeat { Sequence = sequence, AckRequested = ack };
                    hb.Gpus.Add(gpuStatus);
                    await call.RequestStream.WriteAsync(new AgentMessage { Heartbeat = hb }, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (RpcException)
            {
            }
            catch (InvalidOperationException)
            {
            }

            await reader;
        }

        var senders = calls.Select((c, i) => Task.Run(() => Send(c, i), CancellationToken.None)).ToArray();
        await BenchProgress.RunAsync(s.Json, "warming up", s.Warmup * 10, async tick =>
        {
            for (var i = 0; i < s.Warmup * 10; i++)
            {
                await Task.Delay(100, ct);
                tick();
            }
        });
        measuring?.Invoke(true);
        var start = received();
        use?.Restart();
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref timing, 1);
        await BenchProgress.RunAsync(s.Json, "measuring", s.Seconds * 10, async tick =>
        {
            for (var i = 0; i < s.Seconds * 10; i++)
            {
                await Task.Delay(100, ct);
                tick();
            }
        });
        var messages = received() - start;
        var elapsed = clock.Elapsed.TotalSeconds;
        use?.Stop();
        Volatile.Write(ref timing, 0);
        measuring?.Invoke(false);
        await stop.CancelAsync();
        pacer?.Dispose();
        await Task.WhenAll(senders);

        var n = Math.Min(latencyCount, latencies.Length);
        var sorted = latencies.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        double Pct(double p) => n == 0 ? double.NaN : sorted[Math.Min(n - 1, (int)Math.Ceiling(p * n) - 1)];
        return (messages, messages / elapsed, Pct(0.50), Pct(0.99), n);
    }
}
