// Geo point functions on Kusto's spherical Earth (geo_shape.h): geo_distance_2points, geo_point_in_circle,
// geo_azimuth and geo_angle. Semantics (KQL docs and their examples):
//   - Any invalid coordinate (null, out of range) makes the result null.
//   - geo_distance_2points is the great-circle distance in meters (haversine on the sphere).
//   - geo_point_in_circle: the circle is a spherical cap; its radius (meters) must be positive, else null. A point
//     on the cap's boundary is inside.
//   - geo_azimuth is the initial bearing from the first point to the second, clockwise from true north, in
//     radians in [0, 2*pi); null when the points coincide.
//   - geo_angle(p1, p2, p3) is the clockwise angle at p2 from the line p2->p1 to the line p2->p3, in radians in
//     [0, 2*pi); null when p2 coincides with p1 or p3.
#include <cmath>
#include <numbers>
#include <optional>

#include <s2/s2latlng.h>

#include "execution/scalar/geo_geojson.h"
#include "execution/scalar/geo_kernels.h"
#include "execution/scalar/geo_shape.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

S2LatLng ToLatLng(GeoCoordinate point) { return S2LatLng::FromDegrees(point.latitude, point.longitude); }

double DistanceMeters(GeoCoordinate from, GeoCoordinate to) {
  return ToLatLng(from).GetDistance(ToLatLng(to)).radians() * kEarthRadiusMeters;
}

// The initial bearing from one point to another in radians in [0, 2*pi); nullopt when they coincide.
std::optional<double> Azimuth(GeoCoordinate from, GeoCoordinate to) {
  const S2LatLng a = ToLatLng(from);
  const S2LatLng b = ToLatLng(to);
  if (SameS2Point(a.ToPoint(), b.ToPoint())) return std::nullopt;
  const double delta = b.lng().radians() - a.lng().radians();
  const double y = std::sin(delta) * std::cos(b.lat().radians());
  const double x = std::cos(a.lat().radians()) * std::sin(b.lat().radians()) -
                   std::sin(a.lat().radians()) * std::cos(b.lat().radians()) * std::cos(delta);
  double azimuth = std::atan2(y, x);
  if (azimuth < 0) azimuth += 2 * std::numbers::pi;
  return azimuth;
}

Value Distance2Points(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> from = ReadGeoCoordinate(args[0], args[1]);
  std::optional<GeoCoordinate> to = ReadGeoCoordinate(args[2], args[3]);
  if (!from || !to) return Value::Null(KqlType::kReal);
  return Value::Real(DistanceMeters(*from, *to));
}

Value PointInCircle(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> point = ReadGeoCoordinate(args[0], args[1]);
  std::optional<GeoCoordinate> center = ReadGeoCoordinate(args[2], args[3]);
  std::optional<double> radius = ValueNumber(args[4]);
  if (!point || !center || !radius || !(*radius > 0) || std::isnan(*radius)) return Value::Null(KqlType::kBool);
  return Value::Bool(DistanceMeters(*point, *center) <= *radius);
}

Value GeoAzimuth(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> from = ReadGeoCoordinate(args[0], args[1]);
  std::optional<GeoCoordinate> to = ReadGeoCoordinate(args[2], args[3]);
  if (!from || !to) return Value::Null(KqlType::kReal);
  std::optional<double> azimuth = Azimuth(*from, *to);
  return azimuth ? Value::Real(*azimuth) : Value::Null(KqlType::kReal);
}

Value GeoAngle(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> first = ReadGeoCoordinate(args[0], args[1]);
  std::optional<GeoCoordinate> vertex = ReadGeoCoordinate(args[2], args[3]);
  std::optional<GeoCoordinate> last = ReadGeoCoordinate(args[4], args[5]);
  if (!first || !vertex || !last) return Value::Null(KqlType::kReal);
  std::optional<double> to_first = Azimuth(*vertex, *first);
  std::optional<double> to_last = Azimuth(*vertex, *last);
  if (!to_first || !to_last) return Value::Null(KqlType::kReal);
  double angle = *to_last - *to_first;
  if (angle < 0) angle += 2 * std::numbers::pi;
  return Value::Real(angle);
}

constexpr ValueFunctionEntry kGeoPointFunctions[] = {
    {"geo_distance_2points", Distance2Points},
    {"geo_point_in_circle", PointInCircle},
    {"geo_azimuth", GeoAzimuth},
    {"geo_angle", GeoAngle},
};

}  // namespace

void GeoPointKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  RunValueFunction(kGeoPointFunctions, call, args, rows, out);
}

}  // namespace kql::exec
