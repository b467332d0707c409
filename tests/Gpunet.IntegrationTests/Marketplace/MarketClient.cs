using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>The marketplace's REST endpoints as a customer (or operator) calls them.</summary>
internal static class MarketClient
{
    public static async Task<OrderView> RentAsync(this HttpClient http, object order)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/orders", order);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<OrderView>(body, TestCoordinator.Json)!;
    }

    /// <summary>True when every lease of the order was placed at once (by the time the answer is read, a fast
    /// workload may already be running or even done).</summary>
    public static bool Placed(this OrderView order) => order.Leases.All(l => l.HostId is not null && l.State != "Pending");

    public static async Task<LeaseView?> LeaseAsync(this HttpClient http, string id)
    {
        using var response = await http.GetAsync($"/api/v1/leases/{id}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<LeaseView>(TestCoordinator.Json) : null;
    }

    public static async Task<List<LeaseView>> LeasesAsync(this HttpClient http) =>
        (await http.GetFromJsonAsync<List<LeaseView>>("/api/v1/leases", TestCoordinator.Json))!;

    public static Task<LeaseView> WaitForLeaseAsync(this HttpClient http, string id, Func<LeaseView, bool> until, string what, double seconds = 30) =>
        Eventually.Async(() => http.LeaseAsync(id), l => until(l), $"lease {id} {what}", seconds);

    public static Task<LeaseView> WaitForStateAsync(this HttpClient http, string id, string state, double seconds = 30) =>
        http.WaitForLeaseAsync(id, l => l.State == state, $"to be {state}", seconds);

    public static async Task<List<LogLineView>> LogsAsync(this HttpClient http, string id, string query = "")
    {
        var text = await http.GetStringAsync($"/api/v1/leases/{id}/logs{query}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<LogLineView>(l, TestCoordinator.Json)!)];
    }

    /// <summary>A one-host order for <paramref name="count"/> H100s running <paramref name="script"/> in sh.</summary>
    public static object Order(string script, int count = 1, string gpu = "H100", string restart = "never", double queueMinutes = 60, decimal maxPrice = 3) => new
    {
        gpu = new[] { gpu },
        count,
        maxPrice,
        restart,
        queueTimeoutMinutes = queueMinutes,
        command = new[] { "/bin/sh", "-c", script },
    };
}
