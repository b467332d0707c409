using Gpunet.Cli;
using Gpunet.Cli.Client;
using Gpunet.Cli.Sla;
using Gpunet.Contracts.Sla;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Cli;

/// <summary>The CLI reading a whole SLA report page by page, from a coordinator that pages and from one that does not
/// (an older one, which ignores <c>windowsFrom</c>): the second is refused with the reason, never read in a loop or
/// written with its first page twice.</summary>
public sealed class SlaReportPagesTests
{
    [Fact]
    public async Task ACoordinatorThatDoesNotPage_IsRefusedWithTheReason_NotReadForever()
    {
        var asked = 0;
        await using var old = await ServeAsync(_ =>
        {
            Interlocked.Increment(ref asked);
            return SlaReportCliTests.Report() with { WindowsUnlisted = 5 };
        });
        using var client = CoordinatorClient.For(new Uri(old.Url), "gpa_0123456789abcdef0123456789abcdef", null);

        var e = await Assert.ThrowsAsync<CliException>(() => SlaReportPages.WholeAsync(client, "/api/v1/sla/report?lease=lease-0123456789ab", CancellationToken.None));

        Assert.Contains("does not page through the rest", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task ACoordinatorThatPages_IsReadToTheEnd_EveryWindowOnce()
    {
        var whole = SlaReportCliTests.Report();
        await using var paging = await ServeAsync(request =>
        {
            // One window per page, as a coordinator with a page of one would answer.
            var from = int.Parse(request.Query["windowsFrom"].FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var rest = whole.Windows.Count - from - 1;
            return whole with { Windows = [.. whole.Windows.Skip(from).Take(1)], Credits = from == 0 ? whole.Credits : [], WindowsUnlisted = rest > 0 ? rest : null };
        });
        using var client = CoordinatorClient.For(new Uri(paging.Url), "gpa_0123456789abcdef0123456789abcdef", null);

        var read = await SlaReportPages.WholeAsync(client, "/api/v1/sla/report?lease=lease-0123456789ab", CancellationToken.None);

        Assert.Equal(whole.Windows, read.Windows);
        Assert.Equal(whole.Credits, read.Credits);
        Assert.Null(read.WindowsUnlisted);
    }

    private static async Task<Server> ServeAsync(Func<HttpRequest, SlaReportView> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/api/v1/sla/report", (HttpRequest r) => Results.Json(answer(r)));
        await app.StartAsync();
        return new Server(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private sealed record Server(WebApplication App, string Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
