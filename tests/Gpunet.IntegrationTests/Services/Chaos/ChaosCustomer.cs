using Gpunet.Core.Identity;

namespace Gpunet.IntegrationTests.Services.Chaos;

/// <summary>A customer in the chaos run: its wallet, its signed-in client (signed in again after a coordinator restart),
/// and every lease of an order the coordinator accepted from it.</summary>
internal sealed class ChaosCustomer(Wallet wallet, HttpClient http)
{
    public Wallet Wallet { get; } = wallet;

    public HttpClient Http { get; set; } = http;

    public List<string> Leases { get; } = [];
}
