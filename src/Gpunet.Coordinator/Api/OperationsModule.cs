using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Observability;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Prometheus;
using Scalar.AspNetCore;

namespace Gpunet.Coordinator.Api;

/// <summary>What operators and tools read: health, Prometheus metrics, traces (exported when configured), the OpenAPI document and its reference page,
/// the network's summary.</summary>
internal static class OperationsModule
{
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CoordinatorMetrics>();
        builder.Services.AddSingleton<ModuleMetrics>();
        builder.AddTelemetry();
        builder.Services.AddOpenApi(api => api.AddGpunetContract(CoordinatorApp.Version));
        return builder;
    }

    /// <summary>Counts every request (after the edge, so refused ones count too).</summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        app.UseHttpMetrics(m => m.SetMetricFactory(app.Services.GetRequiredService<CoordinatorMetrics>().Factory));
        // Created now, so that its counters listen to the modules from the start.
        app.Services.GetRequiredService<ModuleMetrics>();
        return app;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapGet("/healthz", Healthz).WithName("Health").WithTags("Operations").WithSummary("Health")
            .WithDescription("Liveness and store reachability").AllowAnonymous()
            .Produces<HealthView>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CoordinatorMetrics>().Registry);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/reference", s => s.WithTitle("Gpunet coordinator API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        return app;
    }

    public static RouteGroupBuilder MapNetwork(this RouteGroupBuilder api) => api.MapNetworkApi();

    private static async Task<IResult> Healthz(IDbContextFactory<GpunetDb> dbs, HostRegistry registry, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ok = await db.Database.CanConnectAsync(ct);
        return ok
            ? TypedResults.Ok(new HealthView("ok", registry.Count))
            : TypedResults.Problem("the store is unreachable", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
