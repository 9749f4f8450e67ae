// geo_line_densify and geo_polygon_densify: GeoJSON edges read as straight lines of the longitude/latitude plane
// are turned into chains whose geodesic edges stay within a tolerance of them, by adding planar points. Semantics
// (KQL docs and their examples):
//   - geo_line_densify(line[, tolerance[, preserve_crossing]]) and geo_polygon_densify(polygon[, ...]): tolerance in
//     meters in [0.1, 10000], default 10; an invalid shape or tolerance gives null.
//   - Each edge is halved at its planar midpoint while that midpoint is farther than the tolerance from the midpoint
//     of the geodesic between the edge's ends (the docs' 1-degree edges become 8 and 4 pieces); the added points are
//     planar, the original vertices are kept.
//   - preserve_crossing (default false): when true, an edge whose longitudes differ by more than 180 degrees crosses
//     the antimeridian instead of running the long way round the plane.
//   - More than 10485760 points give null.
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <s2/s1angle.h>
#include <s2/s2latlng.h>

#include "execution/scalar/geo_geojson.h"
#include "execution/scalar/geo_kernels.h"
#include "execution/scalar/geo_shape.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

constexpr double kDefaultTolerance = 10;
constexpr double kMinTolerance = 0.1;
constexpr double kMaxTolerance = 10000;
constexpr size_t kMaxDensifiedPoints = 10485760;

class Densifier {
 public:
  Densifier(double tolerance, bool preserve_crossing) : tolerance_(tolerance), preserve_crossing_(preserve_crossing) {}

  // The densified copy of a coordinate array ([[lng, lat], ...]); nullptr when too many points or an edge is invalid.
  Dynamic Chain(const DynamicValue& coordinates) {
    std::vector<GeoCoordinate> vertices;
    for (const Dynamic& item : coordinates.items()) {
      vertices.push_back({NumberOf(*item->items()[0]), NumberOf(*item->items()[1])});
    }
    std::vector<Dynamic> out;
    for (size_t index = 0; index < vertices.size(); ++index) {
      if (index > 0) {
        GeoCoordinate from = vertices[index - 1];
        GeoCoordinate to = vertices[index];
        if (preserve_crossing_ && std::fabs(to.longitude - from.longitude) > 180) {
          to.longitude += to.longitude < from.longitude ? 360 : -360;
        }
        if (!Split(from, to, out)) return nullptr;
      }
      Emit(vertices[index], out);
    }
    if (points_ > kMaxDensifiedPoints) return nullptr;
    return DynamicValue::MakeArray(std::move(out));
  }

 private:
  static double NumberOf(const DynamicValue& value) {
    return value.kind() == DynamicValue::Kind::kLong ? static_cast<double>(value.int_value()) : value.real_value();
  }

  static S2Point ToPoint(GeoCoordinate point) {
    return S2LatLng::FromDegrees(point.latitude, point.longitude).Normalized().ToPoint();
  }

  void Emit(GeoCoordinate point, std::vector<Dynamic>& out) {
    if (point.longitude > 180) point.longitude -= 360;
    if (point.longitude < -180) point.longitude += 360;
    ++points_;
    out.push_back(MakeGeoPair(point));
  }

  // Adds the points strictly between `from` and `to`; false when the edge joins antipodal points.
  bool Split(GeoCoordinate from, GeoCoordinate to, std::vector<Dynamic>& out) {
    if (points_ > kMaxDensifiedPoints) return true;
    const S2Point sum = ToPoint(from) + ToPoint(to);
    if (sum.Norm2() == 0) return false;
    const GeoCoordinate middle{(from.longitude + to.longitude) / 2, (from.latitude + to.latitude) / 2};
    if (S1Angle(sum.Normalize(), ToPoint(middle)).radians() * kEarthRadiusMeters <= tolerance_) return true;
    if (!Split(from, middle, out)) return false;
    Emit(middle, out);
    return Split(middle, to, out);
  }

  double tolerance_;
  bool preserve_crossing_;
  size_t points_ = 0;
};

std::optional<Densifier> DensifierOf(std::span<const Value> args) {
  double tolerance = kDefaultTolerance;
  if (args.size() > 1) {
    std::optional<double> value = ValueNumber(args[1]);
    if (!value || !(*value >= kMinTolerance && *value <= kMaxTolerance)) return std::nullopt;
    tolerance = *value;
  }
  bool preserve_crossing = false;
  if (args.size() > 2) {
    if (args[2].is_null || args[2].type != KqlType::kBool) return std::nullopt;
    preserve_crossing = args[2].int_value != 0;
  }
  return Densifier(tolerance, preserve_crossing);
}

// Rebuilds a GeoJSON shape with its coordinate arrays `depth` levels down densified.
Dynamic DensifyNested(const DynamicValue& value, int depth, Densifier& densifier) {
  if (depth == 0) return densifier.Chain(value);
  std::vector<Dynamic> items;
  for (const Dynamic& item : value.items()) {
    Dynamic densified = DensifyNested(*item, depth - 1, densifier);
    if (!densified) return nullptr;
    items.push_back(std::move(densified));
  }
  return DynamicValue::MakeArray(std::move(items));
}

Value DensifyShape(const Value& shape, int depth, Densifier& densifier) {
  const DynamicValue* coordinates = shape.dynamic_value->Find("coordinates");
  Dynamic densified = DensifyNested(*coordinates, depth, densifier);
  if (!densified) return Value::Null(KqlType::kDynamic);
  return Value::FromDynamic(DynamicValue::MakeObject(
      {{"type", DynamicValue::MakeString(shape.dynamic_value->Find("type")->string_value())},
       {"coordinates", std::move(densified)}}));
}

Value LineDensify(std::span<const Value> args, KqlType) {
  std::optional<Densifier> densifier = DensifierOf(args);
  if (!densifier || ReadGeoLines(args[0]).empty()) return Value::Null(KqlType::kDynamic);
  const bool multi = args[0].dynamic_value->Find("type")->string_value() == "MultiLineString";
  return DensifyShape(args[0], multi ? 1 : 0, *densifier);
}

Value PolygonDensify(std::span<const Value> args, KqlType) {
  std::optional<Densifier> densifier = DensifierOf(args);
  if (!densifier || !ReadGeoPolygon(args[0])) return Value::Null(KqlType::kDynamic);
  const bool multi = args[0].dynamic_value->Find("type")->string_value() == "MultiPolygon";
  return DensifyShape(args[0], multi ? 2 : 1, *densifier);
}

constexpr ValueFunctionEntry kGeoDensifyFunctions[] = {
    {"geo_line_densify", LineDensify},
    {"geo_polygon_densify", PolygonDensify},
};

}  // namespace

void GeoDensifyKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  RunValueFunction(kGeoDensifyFunctions, call, args, rows, out);
}

}  // namespace kql::exec
