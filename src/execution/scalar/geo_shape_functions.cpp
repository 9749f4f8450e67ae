// Geo shape functions over GeoJSON polygons and lines (geo_geojson.h), computed with S2 on Kusto's sphere:
// geo_point_in_polygon, geo_distance_point_to_polygon, geo_distance_point_to_line, geo_polygon_area,
// geo_polygon_perimeter, geo_polygon_centroid, geo_line_length, geo_line_centroid, geo_intersects_2polygons,
// geo_intersects_line_with_polygon, geo_intersects_2lines. Semantics (KQL docs; every documented value is
// reproduced to the printed digits):
//   - An invalid point or shape gives null.
//   - A MultiPolygon is the union of its polygons: area, perimeter and centroid are those of the union.
//   - Areas are in square meters, lengths and distances in meters; the distance from a point inside a polygon is 0.
//   - Centroids are the area- (or length-) weighted centroids on the sphere, as GeoJSON points.
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include <s2/s1angle.h>
#include <s2/s2polygon.h>
#include <s2/s2polyline.h>

#include "execution/scalar/geo_geojson.h"
#include "execution/scalar/geo_kernels.h"
#include "execution/scalar/geo_shape.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

double Meters(S1Angle angle) { return angle.radians() * kEarthRadiusMeters; }

Value NullReal() { return Value::Null(KqlType::kReal); }
Value NullBool() { return Value::Null(KqlType::kBool); }

Value PointInPolygon(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> point = ReadGeoCoordinate(args[0], args[1]);
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[2]);
  if (!point || !polygon) return NullBool();
  return Value::Bool(polygon->Contains(ToS2Point(*point)));
}

Value DistancePointToPolygon(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> point = ReadGeoCoordinate(args[0], args[1]);
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[2]);
  if (!point || !polygon) return NullReal();
  return Value::Real(Meters(polygon->GetDistance(ToS2Point(*point))));
}

Value DistancePointToLine(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> point = ReadGeoCoordinate(args[0], args[1]);
  std::vector<S2Polyline> lines = ReadGeoLines(args[2]);
  if (!point || lines.empty()) return NullReal();
  const S2Point target = ToS2Point(*point);
  double best = std::numeric_limits<double>::infinity();
  for (const S2Polyline& line : lines) {
    int next_vertex = 0;
    best = std::min(best, Meters(S1Angle(target, line.Project(target, &next_vertex))));
  }
  return Value::Real(best);
}

Value PolygonArea(std::span<const Value> args, KqlType) {
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[0]);
  if (!polygon) return NullReal();
  return Value::Real(polygon->GetArea() * kEarthRadiusMeters * kEarthRadiusMeters);
}

Value PolygonPerimeter(std::span<const Value> args, KqlType) {
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[0]);
  if (!polygon) return NullReal();
  double radians = 0;
  for (int index = 0; index < polygon->num_loops(); ++index) {
    const S2Loop* loop = polygon->loop(index);
    for (int vertex = 0; vertex < loop->num_vertices(); ++vertex) {
      radians += S1Angle(loop->vertex(vertex), loop->vertex(vertex + 1)).radians();
    }
  }
  return Value::Real(radians * kEarthRadiusMeters);
}

Value CentroidPoint(const S2Point& weighted) {
  if (weighted.Norm2() == 0) return Value::Null(KqlType::kDynamic);
  return Value::FromDynamic(MakeGeoPoint(ToGeoCoordinate(weighted.Normalize())));
}

Value PolygonCentroid(std::span<const Value> args, KqlType) {
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[0]);
  if (!polygon) return Value::Null(KqlType::kDynamic);
  return CentroidPoint(polygon->GetCentroid());
}

Value LineLength(std::span<const Value> args, KqlType) {
  std::vector<S2Polyline> lines = ReadGeoLines(args[0]);
  if (lines.empty()) return NullReal();
  double meters = 0;
  for (const S2Polyline& line : lines) meters += Meters(line.GetLength());
  return Value::Real(meters);
}

Value LineCentroid(std::span<const Value> args, KqlType) {
  std::vector<S2Polyline> lines = ReadGeoLines(args[0]);
  if (lines.empty()) return Value::Null(KqlType::kDynamic);
  S2Point weighted;
  for (const S2Polyline& line : lines) weighted += line.GetCentroid();
  return CentroidPoint(weighted);
}

Value Intersects2Polygons(std::span<const Value> args, KqlType) {
  std::unique_ptr<S2Polygon> first = ReadGeoPolygon(args[0]);
  std::unique_ptr<S2Polygon> second = ReadGeoPolygon(args[1]);
  if (!first || !second) return NullBool();
  return Value::Bool(first->Intersects(second.get()));
}

Value IntersectsLineWithPolygon(std::span<const Value> args, KqlType) {
  std::vector<S2Polyline> lines = ReadGeoLines(args[0]);
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[1]);
  if (lines.empty() || !polygon) return NullBool();
  for (const S2Polyline& line : lines) {
    if (!polygon->IntersectWithPolyline(line).empty()) return Value::Bool(true);
  }
  return Value::Bool(false);
}

Value Intersects2Lines(std::span<const Value> args, KqlType) {
  std::vector<S2Polyline> first = ReadGeoLines(args[0]);
  std::vector<S2Polyline> second = ReadGeoLines(args[1]);
  if (first.empty() || second.empty()) return NullBool();
  for (const S2Polyline& a : first) {
    for (const S2Polyline& b : second) {
      if (a.Intersects(&b)) return Value::Bool(true);
    }
  }
  return Value::Bool(false);
}

constexpr ValueFunctionEntry kGeoShapeFunctions[] = {
    {"geo_point_in_polygon", PointInPolygon},
    {"geo_distance_point_to_polygon", DistancePointToPolygon},
    {"geo_distance_point_to_line", DistancePointToLine},
    {"geo_polygon_area", PolygonArea},
    {"geo_polygon_perimeter", PolygonPerimeter},
    {"geo_polygon_centroid", PolygonCentroid},
    {"geo_line_length", LineLength},
    {"geo_line_centroid", LineCentroid},
    {"geo_intersects_2polygons", Intersects2Polygons},
    {"geo_intersects_line_with_polygon", IntersectsLineWithPolygon},
    {"geo_intersects_2lines", Intersects2Lines},
};

}  // namespace

void GeoShapeKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  RunValueFunction(kGeoShapeFunctions, call, args, rows, out);
}

}  // namespace kql::exec
