using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Contracts.Network;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Deploy;

/// <summary>The shipped deployment: both images built (from the local base, as CI does) and deploy/compose.yaml started
/// with docker-compose: PostgreSQL, two coordinators behind HAProxy, three simulated agents.</summary>
/// <remarks>Slow (the images are written through the vfs driver, every layer and container a full copy): its own trait,
/// <c>Category=Images</c>, so that a run can leave it out (<c>--filter Category!=Images</c>).</remarks>
[Trait("Category", "Images")]
[LongRunning]
public sealed class ComposeTests
{
    private const string AdminToken = "gpa_composetest0123456789abcdef";
    private const string ProjectPrefix = "gpunet-images";

    [ImagesFact]
    public async Task Compose_TwoCoordinatorsBehindOneAddress_BothAnswerAndSimulatedAgentsRegister()
    {
        var repository = PublishFolder.RepositoryRoot();
        // The project is named after this test host, so that a run whose host died clears what it left (below).
        var project = Leftovers.Name(ProjectPrefix, $"{Environment.TickCount64 % 100_000}");
        await ClearOrphanProjectsAsync();
        var coordinatorImage = $"gpunet-test/coordinator:{project}";
        var agentImage = $"gpunet-test/agent:{project}";
        var context = PublishFolder.Stage(repository);
        var ports = LoopbackPorts.Free(6);
        var env = new Dictionary<string, string>
        {
            ["GPUNET_ADMIN_TOKEN"] = AdminToken,
            ["GPUNET_COORDINATOR_IMAGE"] = coordinatorImage,
            ["GPUNET_AGENT_IMAGE"] = agentImage,
            ["GPUNET_HAPROXY_IMAGE"] = "gpunet-ci/haproxy:2.6",
            ["GPUNET_POSTGRES_IMAGE"] = "gpunet-ci/postgres:15",
            ["GPUNET_PORT"] = $"{ports[0]}",
            ["GPUNET_COORDINATOR1_PORT"] = $"{ports[1]}",
            ["GPUNET_COORDINATOR1_AGENT_PORT"] = $"{ports[2]}",
            ["GPUNET_COORDINATOR2_PORT"] = $"{ports[3]}",
            ["GPUNET_COORDINATOR2_AGENT_PORT"] = $"{ports[4]}",
            ["GPUNET_POSTGRES_PORT"] = $"{ports[5]}",
        };
        string[] compose = ["-p", project, "-f", Path.Combine(repository, "deploy", "compose.yaml")];
        try
        {
            foreach (var (dockerfile, tag) in new[] { ("coordinator.Dockerfile", coordinatorImage), ("agent.Dockerfile", agentImage) })
            {
                await DockerCli.MustAsync(DockerCli.Docker, ["build", "-q", "-f", Path.Combine(repository, "deploy", "docker", dockerfile),
                    "--target", "prebuilt", "--build-arg", "RUNTIME_IMAGE=gpunet-ci/aspnet:10.0", "-t", tag, context]);
            }

            await DockerCli.MustAsync("docker-compose", [.. compose, "up", "-d", "--no-build"], env);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[0]}") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);

            // Round robin through the one address: each coordinator names its own agent port.
            var answered = new HashSet<string>();
            await Eventually.Async(async () =>
            {
                if (await TryAsync(() => http.GetFromJsonAsync<NetworkView>("/api/v1/network")) is { } network)
                    answered.Add(network.AgentUrl);
                return answered;
            }, a => a.Count == 2, "both coordinators answering through the balancer", seconds: 180);
            Assert.Equal(new[] { $"http://127.0.0.1:{ports[2]}", $"http://127.0.0.1:{ports[4]}" }.Order(StringComparer.Ordinal), answered.Order(StringComparer.Ordinal));

            // One network: each coordinator, asked directly, lists all three agents' hosts (whichever it streams with),
            // and both name the same elected leader.
            string? leader = null;
            foreach (var port in new[] { ports[1], ports[3] })
            {
                using var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
                var hosts = await Eventually.Async(
                    () => TryAsync(() => direct.GetFromJsonAsync<JsonElement>("/api/v1/hosts")),
                    h => h.ValueKind == JsonValueKind.Array && h.GetArrayLength() == 3, $"the three simulated agents' hosts at the coordinator on {port}", seconds: 120);
                Assert.Equal(["DE", "JP", "US"], hosts.EnumerateArray().Select(h => h.GetProperty("country").GetString()).Order(StringComparer.Ordinal));
                var view = await Eventually.Async(() => TryAsync(() => direct.GetFromJsonAsync<NetworkView>("/api/v1/network")), v => v?.Leader is not null,
                    $"a leader named at the coordinator on {port}", seconds: 60);
                Assert.True(leader is null || leader == view!.Leader, $"the coordinators name different leaders: {leader} and {view!.Leader}");
                leader = view!.Leader;
            }
        }
        catch (Xunit.Sdk.XunitException e)
        {
            var logs = await DockerCli.RunAsync("docker-compose", [.. compose, "logs", "--no-color", "--tail", "30"], env);
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- docker-compose logs ---\n{logs.Output}");
        }
        finally
        {
            await DockerCli.RunAsync("docker-compose", [.. compose, "down", "-v", "--remove-orphans"], env);
            await DockerCli.RunAsync(DockerCli.Docker, ["rmi", coordinatorImage, agentImage]);
            Directory.Delete(context, recursive: true);
        }
    }

    /// <summary>Removes the containers of compose projects whose test host is gone (it died before its <c>down</c>).</summary>
    private static async Task ClearOrphanProjectsAsync()
    {
        var listed = await DockerCli.RunAsync(DockerCli.Docker, ["ps", "-a", "--filter", "label=com.docker.compose.project", "--format", "{{.ID}} {{.Label \"com.docker.compose.project\"}}"]);
        var orphans = listed.ExitCode != 0 ? [] : listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')).Where(f => f.Length == 2 && OrphanProject(f[1])).Select(f => f[0]).ToList();
        if (orphans.Count > 0)
            await DockerCli.RunAsync(DockerCli.Docker, ["rm", "-f", "-v", .. orphans]);
    }

    /// <summary>Whether <paramref name="project"/> is this test's (gpunet-images-PID-START-N) and its test host is gone.</summary>
    internal static bool OrphanProject(string project) => Leftovers.IsOrphanName(project, ProjectPrefix);

    /// <summary>The answer, or default while the balancer or the coordinators are still starting.</summary>
    private static async Task<T?> TryAsync<T>(Func<Task<T?>> get)
    {
        try
        {
            return await get();
        }
        catch (HttpRequestException)
        {
            return default;
        }
    }
}
