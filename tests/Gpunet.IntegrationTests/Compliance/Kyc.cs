using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>KYC through the real API: a participant submits, the operator (an officer) decides.</summary>
internal static class Kyc
{
    public static object Person(string name = "Alice Example", string country = "DE", string dob = "1985-04-12") => new
    {
        kind = "person", legalName = name, dateOfBirth = dob, country, documentNumber = "P1234567", documentCountry = country,
    };

    public static object Company(string name, string country, string? parent) => new
    {
        kind = "company", legalName = name, registrationNumber = "HRB 12345", country, parentCountry = parent,
        beneficialOwners = new[] { new { name = "Bob Owner", country, sharePercent = 60m, dateOfBirth = "1970-01-01" } },
    };

    /// <summary>Submits <paramref name="document"/> and returns the submission (fails the test if refused).</summary>
    public static async Task<JsonElement> SubmitAsync(HttpClient participant, object document)
    {
        using var response = await participant.PostAsJsonAsync("/api/v1/kyc", document);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"submission refused: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> DecideAsync(HttpClient officer, string id, bool approve, string? reason = null, bool final = false)
    {
        using var response = await officer.PostAsJsonAsync($"/api/v1/kyc/submissions/{id}/{(approve ? "approve" : "reject")}", new { reason, final });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"decision refused: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Submits and has the operator approve: the participant can then take part.</summary>
    public static async Task ApprovedAsync(TestCoordinator c, HttpClient participant, object? document = null)
    {
        var s = await SubmitAsync(participant, document ?? Person());
        await DecideAsync(c.Admin, s.GetProperty("id").GetString()!, approve: true, "documents checked");
    }

    public static async Task<string> StateAsync(HttpClient participant) =>
        (await participant.GetFromJsonAsync<JsonElement>("/api/v1/kyc")).GetProperty("state").GetString()!;

    public static async Task<List<JsonElement>> AuditAsync(HttpClient officer, string? subject = null) =>
        [.. (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/audit?limit=1000{(subject is null ? "" : "&subject=" + Uri.EscapeDataString(subject))}")).EnumerateArray()];

    public static async Task<JsonElement> VerifyAsync(HttpClient officer) => await officer.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
}
