// geo_polygon_simplify and geo_line_simplify (and geo_union_lines_array, below): S2Builder snapping with a snap radius of `tolerance` meters and edge
// chain simplification, so that no two output vertices are closer than the tolerance and nearly straight chains of
// short edges become one edge (the KQL docs' wording; their examples are reproduced exactly). Semantics:
//   - geo_polygon_simplify(polygon[, tolerance = 10]), geo_line_simplify(line[, tolerance = 10]); the tolerance is
//     in meters from 0 to S2's largest snap radius (70 degrees, about 7,800 km); otherwise, or for an invalid
//     shape, null. A MultiPolygon is simplified as the union of its polygons.
//   - A shape that snapping makes vanish gives null.
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include <s2/s1angle.h>
#include <s2/s2builder.h>
#include <s2/s2builderutil_s2polygon_layer.h>
#include <s2/s2builderutil_s2polyline_layer.h>
#include <s2/s2builderutil_s2polyline_vector_layer.h>
#include <s2/s2builderutil_snap_functions.h>
#include <s2/s2error.h>

#include "execution/scalar/geo_geojson.h"
#include "execution/scalar/geo_kernels.h"
#include "execution/scalar/geo_shape.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

constexpr double kDefaultSimplifyTolerance = 10;

// The builder options for a tolerance argument, or nullopt when it is invalid.
std::optional<S2Builder::Options> SimplifyOptions(std::span<const Value> args) {
  double meters = kDefaultSimplifyTolerance;
  if (args.size() > 1) {
    std::optional<double> value = ValueNumber(args[1]);
    if (!value || !std::isfinite(*value) || *value < 0) return std::nullopt;
    meters = *value;
  }
  const S1Angle radius = S1Angle::Radians(meters / kEarthRadiusMeters);
  if (radius > S2Builder::SnapFunction::kMaxSnapRadius()) return std::nullopt;
  S2Builder::Options options{s2builderutil::IdentitySnapFunction(radius)};
  options.set_simplify_edge_chains(true);
  return options;
}

Dynamic Coordinates(const std::vector<S2Point>& points) {
  std::vector<Dynamic> items;
  for (const S2Point& point : points) items.push_back(MakeGeoPair(ToGeoCoordinate(point)));
  return DynamicValue::MakeArray(std::move(items));
}

Value PolygonSimplify(std::span<const Value> args, KqlType) {
  std::optional<S2Builder::Options> options = SimplifyOptions(args);
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[0]);
  if (!options || !polygon) return Value::Null(KqlType::kDynamic);
  S2Builder builder(*options);
  S2Polygon simplified;
  builder.StartLayer(std::make_unique<s2builderutil::S2PolygonLayer>(&simplified));
  builder.AddPolygon(*polygon);
  S2Error error;
  if (!builder.Build(&error) || simplified.is_empty()) return Value::Null(KqlType::kDynamic);
  return GeoPolygonValue(simplified);
}

Value LineSimplify(std::span<const Value> args, KqlType) {
  std::optional<S2Builder::Options> options = SimplifyOptions(args);
  std::vector<S2Polyline> lines = ReadGeoLines(args[0]);
  if (!options || lines.empty()) return Value::Null(KqlType::kDynamic);
  std::vector<Dynamic> parts;
  for (const S2Polyline& line : lines) {
    S2Builder builder(*options);
    S2Polyline simplified;
    builder.StartLayer(std::make_unique<s2builderutil::S2PolylineLayer>(&simplified));
    builder.AddPolyline(line);
    S2Error error;
    if (!builder.Build(&error) || simplified.num_vertices() < 2) return Value::Null(KqlType::kDynamic);
    std::vector<S2Point> vertices(&simplified.vertex(0), &simplified.vertex(0) + simplified.num_vertices());
    parts.push_back(Coordinates(vertices));
  }
  const bool multi = args[0].dynamic_value->Find("type")->string_value() == "MultiLineString";
  return Value::FromDynamic(DynamicValue::MakeObject(
      {{"type", DynamicValue::MakeString(multi ? "MultiLineString" : "LineString")},
       {"coordinates", multi ? DynamicValue::MakeArray(std::move(parts)) : parts[0]}}));
}

// geo_union_lines_array: the lines of an array of LineStrings/MultiLineStrings built into maximal paths with
// duplicate edges merged (S2Builder, no snapping): a LineString, or a MultiLineString when the union has several.
Value UnionLinesArray(std::span<const Value> args, KqlType) {
  const Value& array = args[0];
  if (array.is_null || array.type != KqlType::kDynamic || !array.dynamic_value ||
      array.dynamic_value->kind() != DynamicValue::Kind::kArray || array.dynamic_value->items().empty()) {
    return Value::Null(KqlType::kDynamic);
  }
  std::vector<S2Polyline> lines;
  for (const Dynamic& item : array.dynamic_value->items()) {
    std::vector<S2Polyline> parts = ReadGeoLines(Value::FromDynamic(item));
    if (parts.empty()) return Value::Null(KqlType::kDynamic);
    for (S2Polyline& part : parts) lines.push_back(std::move(part));
  }
  S2Builder builder{S2Builder::Options()};
  std::vector<std::unique_ptr<S2Polyline>> united;
  s2builderutil::S2PolylineVectorLayer::Options layer_options;
  layer_options.set_duplicate_edges(S2Builder::GraphOptions::DuplicateEdges::MERGE);
  builder.StartLayer(std::make_unique<s2builderutil::S2PolylineVectorLayer>(&united, layer_options));
  for (const S2Polyline& line : lines) builder.AddPolyline(line);
  S2Error error;
  if (!builder.Build(&error) || united.empty()) return Value::Null(KqlType::kDynamic);
  std::vector<Dynamic> parts;
  for (const auto& line : united) {
    std::vector<S2Point> vertices(&line->vertex(0), &line->vertex(0) + line->num_vertices());
    parts.push_back(Coordinates(vertices));
  }
  const bool multi = parts.size() > 1;
  return Value::FromDynamic(DynamicValue::MakeObject(
      {{"type", DynamicValue::MakeString(multi ? "MultiLineString" : "LineString")},
       {"coordinates", multi ? DynamicValue::MakeArray(std::move(parts)) : parts[0]}}));
}

constexpr ValueFunctionEntry kGeoSimplifyFunctions[] = {
    {"geo_polygon_simplify", PolygonSimplify},
    {"geo_line_simplify", LineSimplify},
    {"geo_union_lines_array", UnionLinesArray},
};

}  // namespace

void GeoSimplifyKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  RunValueFunction(kGeoSimplifyFunctions, call, args, rows, out);
}

}  // namespace kql::exec
