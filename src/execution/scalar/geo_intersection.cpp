// geo_intersection_2polygons and geo_intersection_line_with_polygon: S2BooleanOperation's intersection with closed
// polygons and polylines, so shapes that only touch give the shared points or edges. The result is GeoJSON: a
// Point/MultiPoint, LineString/MultiLineString or Polygon/MultiPolygon when it has one dimension, a
// GeometryCollection of them when it has several, and an empty GeometryCollection when the shapes do not meet
// (the KQL docs' examples are reproduced exactly). Invalid shapes give null.
#include <memory>
#include <vector>

#include <s2/mutable_s2shape_index.h>
#include <s2/s2boolean_operation.h>
#include <s2/s2builderutil_s2point_vector_layer.h>
#include <s2/s2builderutil_s2polygon_layer.h>
#include <s2/s2builderutil_s2polyline_vector_layer.h>
#include <s2/s2error.h>

#include "execution/scalar/geo_geojson.h"
#include "execution/scalar/geo_kernels.h"
#include "execution/scalar/geo_shape.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

Dynamic Pair(const S2Point& point) { return MakeGeoPair(ToGeoCoordinate(point)); }

Dynamic Chain(const S2Polyline& line) {
  std::vector<Dynamic> items;
  for (int vertex = 0; vertex < line.num_vertices(); ++vertex) items.push_back(Pair(line.vertex(vertex)));
  return DynamicValue::MakeArray(std::move(items));
}

Dynamic Shape(std::string_view single, std::string_view multi, std::vector<Dynamic> parts) {
  const bool one = parts.size() == 1;
  return DynamicValue::MakeObject({{"type", DynamicValue::MakeString(std::string(one ? single : multi))},
                                   {"coordinates", one ? parts[0] : DynamicValue::MakeArray(std::move(parts))}});
}

Value Intersect(const MutableS2ShapeIndex& first, const MutableS2ShapeIndex& second) {
  std::vector<S2Point> points;
  std::vector<std::unique_ptr<S2Polyline>> lines;
  S2Polygon polygon;
  std::vector<std::unique_ptr<S2Builder::Layer>> layers;
  layers.push_back(std::make_unique<s2builderutil::S2PointVectorLayer>(&points));
  layers.push_back(std::make_unique<s2builderutil::S2PolylineVectorLayer>(&lines));
  layers.push_back(std::make_unique<s2builderutil::S2PolygonLayer>(&polygon));
  S2BooleanOperation::Options options;
  options.set_polygon_model(S2BooleanOperation::PolygonModel::CLOSED);
  options.set_polyline_model(S2BooleanOperation::PolylineModel::CLOSED);
  S2BooleanOperation operation(S2BooleanOperation::OpType::INTERSECTION, std::move(layers), options);
  S2Error error;
  if (!operation.Build(first, second, &error)) return Value::Null(KqlType::kDynamic);
  std::vector<Dynamic> geometries;
  if (!points.empty()) {
    std::vector<Dynamic> parts;
    for (const S2Point& point : points) parts.push_back(Pair(point));
    geometries.push_back(Shape("Point", "MultiPoint", std::move(parts)));
  }
  if (!lines.empty()) {
    std::vector<Dynamic> parts;
    for (const auto& line : lines) parts.push_back(Chain(*line));
    geometries.push_back(Shape("LineString", "MultiLineString", std::move(parts)));
  }
  if (!polygon.is_empty()) geometries.push_back(GeoPolygonValue(polygon).dynamic_value);
  if (geometries.size() == 1) return Value::FromDynamic(geometries[0]);
  return Value::FromDynamic(DynamicValue::MakeObject({{"type", DynamicValue::MakeString("GeometryCollection")},
                                                      {"geometries", DynamicValue::MakeArray(std::move(geometries))}}));
}

Value Intersection2Polygons(std::span<const Value> args, KqlType) {
  std::unique_ptr<S2Polygon> first = ReadGeoPolygon(args[0]);
  std::unique_ptr<S2Polygon> second = ReadGeoPolygon(args[1]);
  if (!first || !second) return Value::Null(KqlType::kDynamic);
  MutableS2ShapeIndex first_index;
  MutableS2ShapeIndex second_index;
  first_index.Add(std::make_unique<S2Polygon::Shape>(first.get()));
  second_index.Add(std::make_unique<S2Polygon::Shape>(second.get()));
  return Intersect(first_index, second_index);
}

Value IntersectionLineWithPolygon(std::span<const Value> args, KqlType) {
  std::vector<S2Polyline> lines = ReadGeoLines(args[0]);
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[1]);
  if (lines.empty() || !polygon) return Value::Null(KqlType::kDynamic);
  MutableS2ShapeIndex line_index;
  MutableS2ShapeIndex polygon_index;
  for (const S2Polyline& line : lines) line_index.Add(std::make_unique<S2Polyline::Shape>(&line));
  polygon_index.Add(std::make_unique<S2Polygon::Shape>(polygon.get()));
  return Intersect(line_index, polygon_index);
}

constexpr ValueFunctionEntry kGeoIntersectionFunctions[] = {
    {"geo_intersection_2polygons", Intersection2Polygons},
    {"geo_intersection_line_with_polygon", IntersectionLineWithPolygon},
};

}  // namespace

void GeoIntersectionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                           ColumnVector& out) {
  RunValueFunction(kGeoIntersectionFunctions, call, args, rows, out);
}

}  // namespace kql::exec
