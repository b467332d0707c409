namespace Gpunet.Contracts;

/// <summary>The most items an answer's short lists hold, where what they list is bounded where it comes in (the shapes
/// state them as <c>[MaxLength]</c>, the OpenAPI document as <c>maxItems</c>).</summary>
public static class ShortLists
{
    /// <summary>GPUs of one host: the coordinator registers no host with more.</summary>
    public const int GpusPerHost = 16;

    /// <summary>Days of a month (an SLA report covers one).</summary>
    public const int DaysOfMonth = 31;

    /// <summary>Hosts a host operator's live stream follows (the console's page shows as many).</summary>
    public const int FollowedHosts = 50;
}
