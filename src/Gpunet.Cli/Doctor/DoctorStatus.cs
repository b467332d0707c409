using System.Text.Json.Serialization;

namespace Gpunet.Cli.Doctor;

/// <summary>How one check of <c>gpunet doctor</c> came out.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DoctorStatus>))]
internal enum DoctorStatus
{
    /// <summary>Nothing to fix.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>The host can join, but something works less well than it could, or could not be told.</summary>
    [JsonStringEnumMemberName("warn")]
    Warn,

    /// <summary>The host cannot join, or will be refused or penalised, until this is fixed.</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,
}
