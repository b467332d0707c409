using System.Text;
using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>An external verification vendor: each new submission is POSTed to it as signed JSON; its decision comes
/// back to <c>POST /api/v1/kyc/webhooks/{vendor}</c> (<see cref="KycWebhooks"/>).</summary>
/// <remarks>The request carries <c>Gpunet-Signature: t=…,v1=…</c> (HMAC-SHA256 over "t.body" with the shared secret),
/// the same scheme the vendor signs its webhooks with. A vendor that cannot be reached leaves the submission pending
/// (an officer can still decide it); the failure is logged.</remarks>
internal sealed partial class HttpKycVendor(HttpClient http, IOptions<ComplianceOptions> options, TimeProvider time, ILogger<HttpKycVendor> log) : IKycProvider
{
    public const string SignatureHeader = "Gpunet-Signature";

    public string Name => options.Value.KycVendor!;

    public async Task StartAsync(KycSubmissionRecord submission, KycDocument document, CancellationToken ct)
    {
        var o = options.Value;
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            reference = submission.Id,
            kind = submission.Kind,
            document = JsonSerializer.Deserialize<JsonElement>(submission.Document),
            callback = $"/api/v1/kyc/webhooks/{Name}",
        }, KycService.DocumentJson);
        using var request = new HttpRequestMessage(HttpMethod.Post, o.KycVendorUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(SignatureHeader, WebhookSignature.Sign(Encoding.UTF8.GetBytes(o.KycVendorSecret!), time.GetUtcNow().ToUnixTimeSeconds(), body));
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
                LogVendorFailed(log, submission.Id, $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            LogVendorFailed(log, submission.Id, e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            LogVendorFailed(log, submission.Id, $"no answer within {http.Timeout.TotalSeconds:0} s");
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "KYC vendor did not take submission {Submission}: {Reason}; it stays pending for an officer")]
    private static partial void LogVendorFailed(ILogger logger, string submission, string reason);
}
