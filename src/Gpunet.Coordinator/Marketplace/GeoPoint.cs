namespace Gpunet.Coordinator.Marketplace;

/// <summary>A point on Earth, in degrees.</summary>
public sealed record GeoPoint(double Latitude, double Longitude);
