using BenchmarkDotNet.Attributes;
using Gpunet.Core.Identity;

namespace Gpunet.Benchmarks;

/// <summary>Signing and recovering the agent sign-in message: the cost of one agent registration.</summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private readonly Wallet _wallet = Wallet.FromPrivateKey("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private CanonicalMessage _message = null!;
    private string _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = SignInMessages.ForAgentStream("bench", _wallet.Address, "0123456789abcdef0123456789abcdef",
            DateTimeOffset.FromUnixTimeSeconds(1_764_000_000), new string('a', 64));
        _signature = _wallet.Sign(_message);
    }

    [Benchmark]
    public string Sign() => _wallet.Sign(_message);

    [Benchmark(Baseline = true)]
    public Address? RecoverNethereum() => EthereumSignatureScheme.Instance.Recover(_message, _signature);

    [Benchmark]
    public Address? RecoverSecp256k1() => Secp256k1SignatureScheme.Instance.Recover(_message, _signature);
}
