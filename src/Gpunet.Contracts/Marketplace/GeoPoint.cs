using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Marketplace;

/// <summary>A point on Earth, in degrees.</summary>
public sealed record GeoPoint([property: Range(-90.0, 90.0)] double Latitude, [property: Range(-180.0, 180.0)] double Longitude);
