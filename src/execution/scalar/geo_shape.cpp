// GeoShape: coordinate validation and the GeoJSON values the geo_* families return.
#include "execution/scalar/geo_shape.h"

#include <cmath>

#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

std::optional<GeoCoordinate> ReadGeoCoordinate(const Value& longitude, const Value& latitude) {
  std::optional<double> x = ValueNumber(longitude);
  std::optional<double> y = ValueNumber(latitude);
  if (!x || !y || !std::isfinite(*x) || !std::isfinite(*y)) return std::nullopt;
  if (*x < -180 || *x > 180 || *y < -90 || *y > 90) return std::nullopt;
  return GeoCoordinate{*x, *y};
}

std::optional<int> ReadGeoLevel(const Value& value, int low, int high) {
  std::optional<double> number = ValueNumber(value);
  if (!number || !std::isfinite(*number) || *number != std::floor(*number)) return std::nullopt;
  if (*number < low || *number > high) return std::nullopt;
  return static_cast<int>(*number);
}

Dynamic MakeGeoPair(GeoCoordinate point) {
  return DynamicValue::MakeArray({DynamicValue::MakeReal(point.longitude), DynamicValue::MakeReal(point.latitude)});
}

Dynamic MakeGeoPoint(GeoCoordinate point) {
  return DynamicValue::MakeObject({{"type", DynamicValue::MakeString("Point")}, {"coordinates", MakeGeoPair(point)}});
}

Dynamic MakeGeoPolygon(std::span<const GeoCoordinate> ring) {
  std::vector<Dynamic> vertices;
  vertices.reserve(ring.size() + 1);
  for (const GeoCoordinate& vertex : ring) vertices.push_back(MakeGeoPair(vertex));
  if (!ring.empty()) vertices.push_back(MakeGeoPair(ring.front()));
  std::vector<Dynamic> rings{DynamicValue::MakeArray(std::move(vertices))};
  return DynamicValue::MakeObject(
      {{"type", DynamicValue::MakeString("Polygon")}, {"coordinates", DynamicValue::MakeArray(std::move(rings))}});
}

}  // namespace kql::exec
