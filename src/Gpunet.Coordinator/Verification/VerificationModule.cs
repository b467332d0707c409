namespace Gpunet.Coordinator.Verification;

/// <summary>Verification: checker nodes that prove each host's GPUs, liveness, service and location. Now: the licences
/// that admit a wallet as a checker; the checkers' stream, assignments and aggregation come next (README, Verification).</summary>
internal static class VerificationModule
{
    public static WebApplicationBuilder AddVerification(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CheckerLicences>();
        return builder;
    }

    public static RouteGroupBuilder MapVerification(this RouteGroupBuilder api) => api.MapCheckersApi();
}
