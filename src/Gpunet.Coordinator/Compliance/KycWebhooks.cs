using System.Text;
using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Takes an external KYC vendor's webhook: signature first, then idempotence (an event id is applied once),
/// then order (an event older than the newest applied to its submission changes nothing).</summary>
/// <remarks>Every delivery, refused or not, is in the audit log; a refused one changes nothing else.</remarks>
internal sealed class KycWebhooks(
    ComplianceService compliance,
    AuditLog audit,
    IOptions<ComplianceOptions> options,
    TimeProvider time)
{
    /// <summary>What a delivery came to: the HTTP status, and a word for the vendor (and the audit log).</summary>
    public sealed record Delivery(int Status, string Outcome);

    /// <summary>The refusal of a delivery to a vendor this coordinator does not have, decided before its body is read;
    /// null when <paramref name="vendor"/> is the configured one.</summary>
    public Delivery? Unknown(string vendor)
    {
        var o = options.Value;
        return o.KycVendor is null || !string.Equals(vendor, o.KycVendor, StringComparison.Ordinal) || o.KycVendorSecret is null
            ? new(StatusCodes.Status404NotFound, $"no KYC vendor '{vendor}' is configured")
            : null;
    }

    public async Task<Delivery> ReceiveAsync(string vendor, string? signature, byte[] body, CancellationToken ct)
    {
        var o = options.Value;
        var subject = $"webhook:{vendor}";
        if (Unknown(vendor) is { } unknown)
            return unknown;
        var secret = o.KycVendorSecret!; // Unknown refused a vendor without one

        var verdict = WebhookSignature.Verify(Encoding.UTF8.GetBytes(secret), signature, body, time.GetUtcNow(), WebhookSignature.DefaultTolerance);
        if (verdict != WebhookVerdict.Valid)
        {
            var why = verdict switch
            {
                WebhookVerdict.Missing => $"no {HttpKycVendor.SignatureHeader} header",
                WebhookVerdict.Malformed => $"a malformed {HttpKycVendor.SignatureHeader} header",
                WebhookVerdict.Stale => "a signature timestamp outside the 5-minute tolerance (a replay?)",
                _ => "a signature that does not match (forged or altered)",
            };
            await compliance.RecordAsync(subject, "kyc-webhook", new { bytes = body.Length, verdict = verdict.ToString() }, $"refused: {why}", vendor, ct);
            return new(StatusCodes.Status401Unauthorized, $"refused: {why}");
        }

        WebhookEvent? e;
        try
        {
            e = JsonSerializer.Deserialize<WebhookEvent>(body, KycService.DocumentJson);
        }
        catch (JsonException x)
        {
            e = null;
            await compliance.RecordAsync(subject, "kyc-webhook", new { bytes = body.Length }, $"refused: not JSON ({x.Message})", vendor, ct);
            return new(StatusCodes.Status400BadRequest, "refused: the body is not a JSON event");
        }

        var approve = e?.Status?.ToLowerInvariant() switch { "approved" => true, "rejected" => false, _ => (bool?)null };
        if (e is null || string.IsNullOrWhiteSpace(e.EventId) || e.EventId.Length > 128 || string.IsNullOrWhiteSpace(e.Reference)
            || e.OccurredAt is null || approve is null)
        {
            await compliance.RecordAsync(subject, "kyc-webhook", new { e?.EventId, e?.Reference, e?.Status }, "refused: an event needs eventId, reference, occurredAt and status approved|rejected", vendor, ct);
            return new(StatusCodes.Status400BadRequest, "refused: an event needs eventId, reference, occurredAt and status approved|rejected");
        }

        var now = time.GetUtcNow();
        var validity = options.Value.KycValidity;
        var (delivery, changed) = await audit.CommitAsync(async db =>
        {
            var inputs = new { eventId = e.EventId, reference = e.Reference, status = e.Status, occurredAt = e.OccurredAt, e.Final };
            if (await db.WebhookEvents.AsNoTracking().AnyAsync(w => w.Provider == vendor && w.EventId == e.EventId, ct))
                return ((new Delivery(StatusCodes.Status200OK, "duplicate: this event was already received; nothing changed"), (KycSubmissionRecord?)null),
                    (IReadOnlyList<AuditDraft>)[new(e.Reference, "kyc-webhook", inputs, "ignored: a replay of an event already received", vendor)]);

            var s = await db.KycSubmissions.FindAsync([e.Reference], ct);
            string outcome;
            KycSubmissionRecord? applied = null;
            if (s is null || s.Provider != vendor)
            {
                outcome = "ignored: no submission with this reference was sent to this vendor";
            }
            else if (s.LastEventAt is { } last && e.OccurredAt < last)
            {
                outcome = $"ignored: out of order (an event of {last:O} was already applied)";
            }
            else
            {
                var status = ComplianceService.StatusOf(s);
                if (approve == true && s.Screening == "Review")
                {
                    outcome = "noted: the vendor approved, but screening found a possible sanctions match; an officer must decide";
                }
                else
                {
                    var next = approve == true
                        ? KycLifecycle.Approve(status, now, validity)
                        : KycLifecycle.Reject(status, now, string.IsNullOrWhiteSpace(e.Reason) ? "rejected by the verification vendor" : e.Reason.Trim(), e.Final);
                    if (next.Ok)
                    {
                        // Only an applied event moves the submission's clock: an ignored one says nothing of order.
                        KycService.Apply(s, next.Next!, vendor);
                        s.LastEventAt = e.OccurredAt;
                        applied = s;
                        outcome = approve == true ? $"applied: approved until {s.ExpiresAt:yyyy-MM-dd}" : $"applied: rejected{(e.Final ? " (final)" : "")}: {s.Reason}";
                    }
                    else
                    {
                        outcome = $"ignored: {next.Refusal}";
                    }
                }

                s.Version++;
            }

            db.WebhookEvents.Add(new WebhookEventRecord
            {
                Provider = vendor, EventId = e.EventId, SubmissionId = e.Reference, OccurredAt = e.OccurredAt.Value, ReceivedAt = now, Outcome = outcome,
            });
            return ((new Delivery(StatusCodes.Status200OK, outcome), applied ?? s),
                (IReadOnlyList<AuditDraft>)[new(e.Reference, "kyc-webhook", inputs, outcome, vendor)]);
        }, compliance.Versions, ct);
        if (changed is not null)
            compliance.Remember(changed);
        return delivery;
    }
}
