// GeoShape: what the geo_* families share. Coordinates are WGS-84 degrees (longitude first, as in GeoJSON); a
// coordinate is valid when finite with longitude in [-180, +180] and latitude in [-90, +90]. Distances are measured
// on Kusto's sphere, S2's mean Earth radius of 6,371,010 m (geo_distance_2points' documented example gives
// 1546754.35197381 m, which only that radius reproduces). Results are GeoJSON dynamic values.
#pragma once
#include <optional>
#include <span>
#include <vector>

#include "types/dynamic.h"
#include "types/value.h"
#include "execution/layer.h"

namespace kql::exec {

/// One geographic coordinate in degrees.
struct GeoCoordinate {
  double longitude = 0;
  double latitude = 0;
};

/// Kusto's Earth radius in meters (a sphere).
inline constexpr double kEarthRadiusMeters = 6371010.0;

/// The coordinate of two numeric Values, or nullopt when either is null, not a number, or out of range.
std::optional<GeoCoordinate> ReadGeoCoordinate(const Value& longitude, const Value& latitude);

/// An integer argument (level, accuracy) in [low, high], or nullopt when null, fractional or out of range.
std::optional<int> ReadGeoLevel(const Value& value, int low, int high);

/// [longitude, latitude] as a dynamic array of two reals.
Dynamic MakeGeoPair(GeoCoordinate point);

/// {"type":"Point","coordinates":[longitude,latitude]}.
Dynamic MakeGeoPoint(GeoCoordinate point);

/// {"type":"Polygon","coordinates":[[...ring..., first]]}: the ring is closed by repeating its first vertex.
Dynamic MakeGeoPolygon(std::span<const GeoCoordinate> ring);

}  // namespace kql::exec
