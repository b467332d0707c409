using System.Threading.Channels;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Support;

/// <summary>A checker stream driven by the test: it signs in for real (real gRPC, its own wallet), collects its
/// assignments, and sends the signed reports the test writes (any verdict, any figures), without probing anyone.</summary>
internal sealed class FakeChecker : IAsyncDisposable
{
    private static readonly TimeSpan ReadDeadline = TimeSpan.FromSeconds(30);

    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<CheckerMessage, CheckerCoordinatorMessage> _call;
    private readonly TimeProvider _time;
    private readonly Channel<Assignment> _assignments = Channel.CreateUnbounded<Assignment>();
    private readonly Channel<ReportAck> _acks = Channel.CreateUnbounded<ReportAck>();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Task _reader;

    private FakeChecker(GrpcChannel channel, AsyncDuplexStreamingCall<CheckerMessage, CheckerCoordinatorMessage> call, Wallet wallet, TimeProvider time)
    {
        _channel = channel;
        _call = call;
        Wallet = wallet;
        _time = time;
        _reader = Task.Run(ReadAsync);
    }

    public Wallet Wallet { get; }

    public string Address => Wallet.Address.Value;

    /// <summary>Why the stream ended, once it has (null while it is open).</summary>
    public RpcException? Ended { get; private set; }

    /// <summary>Signs in as <paramref name="wallet"/> (default a new one) from <paramref name="latitude"/>,
    /// <paramref name="longitude"/> in <paramref name="country"/>; throws the coordinator's refusal.</summary>
    public static async Task<FakeChecker> ConnectAsync(TestCoordinator c, double latitude, double longitude, string country, Wallet? wallet = null)
    {
        wallet ??= Wallet.Create();
        var time = (TimeProvider?)c.Clock ?? TimeProvider.System;
        var channel = GrpcChannel.ForAddress(c.AgentUrl);
        var call = new CheckerLink.CheckerLinkClient(channel).Connect();
        try
        {
            await call.RequestStream.WriteAsync(new CheckerMessage
            {
                Hello = new CheckerHello { Address = wallet.Address.Value, Version = "test", Latitude = latitude, Longitude = longitude, Country = country },
            });
            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
                throw new InvalidOperationException("no challenge");
            var challenge = call.ResponseStream.Current.Challenge;
            var now = time.GetUtcNow();
            var signed = SignInMessages.ForCheckerStream(challenge.Network, wallet.Address, challenge.Nonce, now);
            await call.RequestStream.WriteAsync(new CheckerMessage
            {
                Register = new CheckerRegister { TimestampUnixSeconds = now.ToUnixTimeSeconds(), Signature = wallet.Sign(signed) },
            });
            if (!await call.ResponseStream.MoveNext(CancellationToken.None) || call.ResponseStream.Current.Admitted is null)
                throw new InvalidOperationException("not admitted");
        }
        catch
        {
            call.Dispose();
            channel.Dispose();
            throw;
        }

        return new FakeChecker(channel, call, wallet, time);
    }

    /// <summary>The next assignment the coordinator gives this checker.</summary>
    public async Task<Assignment> NextAssignmentAsync() => await _assignments.Reader.ReadAsync().AsTask().WaitAsync(ReadDeadline);

    /// <summary>An assignment that has come, if any.</summary>
    public bool TryNextAssignment([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Assignment? assignment) =>
        _assignments.Reader.TryRead(out assignment);

    /// <summary>A report on <paramref name="a"/>, signed by <paramref name="signer"/> (default this checker) over exactly
    /// these figures; for a capacity check one GPU verdict per claimed GPU with the same verdict.</summary>
    public CheckReport Report(Assignment a, bool passed, long roundTripUs = 2_000, string reason = "", Wallet? signer = null, string network = "test",
        IEnumerable<GpuVerdict>? gpus = null)
    {
        var report = new CheckReport
        {
            CheckId = a.CheckId, Passed = passed, Reason = reason, RoundTripUs = roundTripUs,
            SignedAtUnixSeconds = _time.GetUtcNow().ToUnixTimeSeconds(),
        };
        report.Gpus.AddRange(gpus ?? (a.Capacity?.Gpus ?? []).Select(g => new GpuVerdict
        {
            Index = g.Index, Passed = passed, ProductCorrect = passed, AnsweredUs = 2_100_000, ExpectedUs = 2_000_000, Reason = reason,
        }));
        var statement = new CheckReportStatement(a.CheckId, a.HostId, a.Kind, passed, roundTripUs, 0,
            [.. report.Gpus.Select(g => new CheckReportStatement.Gpu(g.Index, g.Passed, g.ProductCorrect, g.AnsweredUs, g.ExpectedUs, g.LimitUs))]);
        report.Signature = (signer ?? Wallet).Sign(statement.ToCanonical(network, Wallet.Address, DateTimeOffset.FromUnixTimeSeconds(report.SignedAtUnixSeconds)));
        return report;
    }

    /// <summary>The claimed model's expected compute time for <paramref name="gpu"/> of <paramref name="a"/>'s capacity
    /// task, µs, as an honest checker signs it.</summary>
    public static long ExpectedUs(Assignment a, ClaimedGpu gpu) => Micros(Expected(a, gpu));

    /// <summary>The limit an honest checker signs for <paramref name="gpu"/> whose timing allowance rests on a round trip
    /// of <paramref name="roundTripUs"/>: expected × (1 + card band) + round trip × (1 + jitter band), by the task's
    /// bands.</summary>
    public static long LimitUs(Assignment a, ClaimedGpu gpu, long roundTripUs)
    {
        var bands = new CapacityTimingOptions().WithTaskBands(a.Capacity.CardBand, a.Capacity.JitterBand);
        return Micros((Expected(a, gpu) * (1 + bands.CardBand)) + (TimeSpan.FromMicroseconds(roundTripUs) * (1 + bands.JitterBand)));
    }

    private static TimeSpan Expected(Assignment a, ClaimedGpu gpu) =>
        CapacityTiming.ExpectedTimeOfTask(gpu.Model, a.Capacity.TimingSize, a.Capacity.TimingInnerSize, a.Capacity.TimingProducts);

    private static long Micros(TimeSpan t) => t.Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>Sends <paramref name="report"/> and returns the coordinator's answer.</summary>
    public async Task<ReportAck> SendAsync(CheckReport report)
    {
        await _write.WaitAsync();
        try
        {
            await _call.RequestStream.WriteAsync(new CheckerMessage { Report = report });
        }
        finally
        {
            _write.Release();
        }

        return await _acks.Reader.ReadAsync().AsTask().WaitAsync(ReadDeadline);
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var m in _call.ResponseStream.ReadAllAsync())
            {
                if (m.Assignment is { } a)
                    _assignments.Writer.TryWrite(a);
                else if (m.ReportAck is { } ack)
                    _acks.Writer.TryWrite(ack);
            }
        }
        catch (RpcException e)
        {
            Ended = e;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed (the call may be disposed while a read is in flight).
        }
        finally
        {
            Ended ??= new RpcException(new Status(StatusCode.OK, "stream ended"));
            _assignments.Writer.TryComplete();
            _acks.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or ObjectDisposedException)
        {
            // Already over.
        }

        _call.Dispose();
        await _reader.ConfigureAwait(false);
        _channel.Dispose();
        _write.Dispose();
    }
}
