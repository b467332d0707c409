using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Gpunet.Core.Identity;

namespace Gpunet.Cli.Client;

/// <summary>The CLI's REST client: finds the coordinator, signs in, and turns problem details into one-line errors.</summary>
internal sealed class CoordinatorClient : IDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private readonly HttpClient _http;
    private readonly string? _adminToken;
    private readonly string? _keyFile;
    private bool _signedIn;

    private CoordinatorClient(Uri baseUri, string? adminToken, string? keyFile, TimeSpan timeout)
    {
        BaseUri = baseUri;
        _http = new HttpClient { BaseAddress = baseUri, Timeout = timeout };
        _adminToken = adminToken;
        _keyFile = keyFile;
    }

    public Uri BaseUri { get; }

    /// <summary>Coordinator from <c>--coordinator</c>, else <c>$GPUNET_COORDINATOR</c>, else the profile.</summary>
    /// <param name="asCustomer">Sign in with the profile's customer key rather than its admin token (marketplace
    /// commands: a lease belongs to whoever rented it). <c>$GPUNET_ADMIN_TOKEN</c> still wins when set.</param>
    /// <param name="timeout">How long to wait for one answer; default 30 s. Longer for uploads the coordinator works through
    /// before it answers (a sanctions list, with everyone screened again).</param>
    public static CoordinatorClient From(ClientSettings s, bool asCustomer = false, TimeSpan? timeout = null)
    {
        var profile = GpunetHome.Current().LoadProfile(s.Profile);
        if (s.Profile is not null && profile is null)
            throw new CliException($"no profile '{s.Profile}' in {GpunetHome.Current().Path}");
        var url = s.Coordinator ?? Environment.GetEnvironmentVariable("GPUNET_COORDINATOR") ?? profile?.Coordinator
            ?? throw new CliException("no coordinator: pass --coordinator URL, set GPUNET_COORDINATOR, or start one with gpunet devnet");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new CliException($"--coordinator: '{url}' is not an http(s) URL");
        var key = s.Key ?? Environment.GetEnvironmentVariable("GPUNET_KEY");
        var admin = key is null
            ? Environment.GetEnvironmentVariable("GPUNET_ADMIN_TOKEN") ?? (asCustomer && profile?.CustomerKeyFile is not null ? null : profile?.AdminToken)
            : null;
        return new CoordinatorClient(uri, admin, key ?? profile?.CustomerKeyFile, timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>A client of the coordinator at <paramref name="url"/>, signed in with <paramref name="adminToken"/>, or
    /// else with the wallet in <paramref name="keyFile"/> (a benchmark's own participants).</summary>
    public static CoordinatorClient For(Uri url, string? adminToken, string? keyFile, TimeSpan? timeout = null) =>
        new(url, adminToken, keyFile, timeout ?? TimeSpan.FromSeconds(30));

    public async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        await AuthenticateAsync(ct);
        using var response = await SendAsync(() => _http.GetAsync(path, ct));
        return await ReadAsync<T>(response, ct);
    }

    /// <summary>Every item of a list the coordinator answers in pages: each page's <c>Link</c> header names the next
    /// (<c>rel="next"</c>), until one names none.</summary>
    public async Task<List<T>> GetAllAsync<T>(string path, CancellationToken ct)
    {
        await AuthenticateAsync(ct);
        var all = new List<T>();
        for (string? next = path; next is not null;)
        {
            var page = next;
            using var response = await SendAsync(() => _http.GetAsync(page, ct));
            all.AddRange(await ReadAsync<List<T>>(response, ct));
            next = NextPage(response);
            if (next is not null && !next.StartsWith('/'))
                throw new CliException($"the coordinator named a next page off its own address: {next}");
            if (next == page)
                throw new CliException($"the coordinator named the same page as the next one: {next}");
        }

        return all;
    }

    // RFC 8288: <address>; rel="next" (the coordinator sends its path and query, relative to itself).
    private static string? NextPage(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var links)
            ? links.SelectMany(l => l.Split(','))
                .Select(l => l.Split(';', StringSplitOptions.TrimEntries))
                .Where(p => p.Length > 1 && p[0].StartsWith('<') && p[0].EndsWith('>') && p.Skip(1).Contains("rel=\"next\"", StringComparer.OrdinalIgnoreCase))
                .Select(p => p[0][1..^1])
                .FirstOrDefault()
            : null;

    public async Task<T> PostAsync<T>(string path, object? body, CancellationToken ct)
    {
        await AuthenticateAsync(ct);
        using var response = await SendAsync(() => _http.PostAsJsonAsync(path, body, Json, ct));
        return await ReadAsync<T>(response, ct);
    }

    public async Task<T> PutAsync<T>(string path, object? body, CancellationToken ct)
    {
        await AuthenticateAsync(ct);
        using var response = await SendAsync(() => _http.PutAsJsonAsync(path, body, Json, ct));
        return await ReadAsync<T>(response, ct);
    }

    /// <summary>Deletes <paramref name="path"/>; throws with the problem's detail when refused.</summary>
    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        await AuthenticateAsync(ct);
        using var response = await SendAsync(() => _http.DeleteAsync(path, ct));
        if (!response.IsSuccessStatusCode)
            await ReadAsync<object>(response, ct); // throws with the problem's detail
    }

    /// <summary>Reads a newline-delimited JSON stream (which may stay open while the server follows it) line by line.</summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await AuthenticateAsync(ct);
        using var response = await SendAsync(() => _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct));
        if (!response.IsSuccessStatusCode)
            await ReadAsync<T>(response, ct); // throws with the problem's detail
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length > 0)
                yield return JsonSerializer.Deserialize<T>(line, Json) ?? throw new CliException("the coordinator sent an empty line");
        }
    }

    private async Task AuthenticateAsync(CancellationToken ct)
    {
        if (_signedIn)
            return;
        _signedIn = true;
        if (_adminToken is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
            return;
        }

        if (_keyFile is null)
            throw new CliException("not signed in: pass --key FILE, set GPUNET_KEY or GPUNET_ADMIN_TOKEN, or use the devnet profile");
        var wallet = Keys.Load(_keyFile);
        using var challengeResponse = await SendAsync(() => _http.PostAsJsonAsync("/api/v1/auth/challenge", new ChallengeRequest(wallet.Address.Value), ct));
        var challenge = await ReadAsync<ChallengeResponse>(challengeResponse, ct);
        var message = SignInMessages.ForApiToken(challenge.Network, wallet.Address, challenge.Nonce, DateTimeOffset.FromUnixTimeSeconds(challenge.Timestamp));
        using var tokenResponse = await SendAsync(() => _http.PostAsJsonAsync("/api/v1/auth/token",
            new TokenRequest(wallet.Address.Value, challenge.Nonce, challenge.Timestamp, wallet.Sign(message)), ct));
        var token = await ReadAsync<TokenDto>(tokenResponse, ct);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new CliException($"cannot reach the coordinator at {BaseUri}: {e.Message}");
        }
        catch (TaskCanceledException e) when (!e.CancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the coordinator at {BaseUri} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return await response.Content.ReadFromJsonAsync<T>(Json, ct) ?? throw new CliException("the coordinator sent an empty answer");
        var (detail, pointer, errors) = await ProblemAsync(response, ct);
        var lines = string.Concat(errors.Prepend(pointer).OfType<string>().Select(l => "\n" + l));
        // The status travels as the inner exception, so that a command can say what a refusal leaves unchanged.
        throw new CliException(response.StatusCode == HttpStatusCode.Unauthorized && detail is null
            ? "the coordinator refused the credentials (401): check the admin token or key"
            : $"{detail ?? response.ReasonPhrase} ({(int)response.StatusCode}){lines}",
            new HttpRequestException(response.ReasonPhrase, null, response.StatusCode));
    }

    /// <summary>A problem's detail, pointer and each of its <c>errors</c>, one line each (<c>line N: field: message</c>).</summary>
    private static async Task<(string? Detail, string? Pointer, IReadOnlyList<string> Errors)> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemDto>(Json, ct);
            return (problem?.Detail ?? problem?.Title, problem?.Pointer, ErrorLines(problem?.Errors));
        }
        catch (JsonException)
        {
            return (null, null, []);
        }
    }

    // An array of {line?, field?, message} or of strings, or ASP.NET's {field: [messages]}.
    private static List<string> ErrorLines(JsonElement? errors) => errors switch
    {
        { ValueKind: JsonValueKind.Array } a => [.. a.EnumerateArray().Select(ErrorLine)],
        { ValueKind: JsonValueKind.Object } o => [.. o.EnumerateObject().SelectMany(p => p.Value.ValueKind == JsonValueKind.Array
            ? p.Value.EnumerateArray().Select(m => $"{p.Name}: {m}") : [$"{p.Name}: {p.Value}"])],
        _ => [],
    };

    private static string ErrorLine(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return e.ToString();
        string? Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;
        var parts = new[] { Text("line") is { } line ? $"line {line}" : null, Text("field") is { Length: > 0 } f ? f : null, Text("message") ?? e.ToString() };
        return string.Join(": ", parts.Where(p => p is not null));
    }

    public void Dispose() => _http.Dispose();

    private sealed record TokenDto(string AccessToken);

    internal sealed record ProblemDto(string? Title, string? Detail, string? Pointer, JsonElement? Errors);
}
