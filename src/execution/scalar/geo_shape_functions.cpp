// Geo shape functions over GeoJSON polygons and lines (geo_geojson.h), computed with S2 on Kusto's sphere:
// geo_point_in_polygon, geo_distance_point_to_polygon, geo_distance_point_to_line, geo_polygon_area,
// geo_polygon_perimeter, geo_polygon_centroid, geo_line_length, geo_line_centroid, geo_intersects_2polygons,
// geo_intersects_line_with_polygon, geo_intersects_2lines, geo_closest_point_on_line/_polygon,
// geo_line_interpolate_point, geo_line_locate_point, geo_polygon_to_s2cells, geo_line_to_s2cells,
// geo_intersection_2lines. Semantics (KQL docs; every documented value is
// reproduced to the printed digits):
//   - An invalid point or shape gives null.
//   - A MultiPolygon is the union of its polygons: area, perimeter and centroid are those of the union.
//   - Areas are in square meters, lengths and distances in meters; the distance from a point inside a polygon is 0.
//   - Centroids are the area- (or length-) weighted centroids on the sphere, as GeoJSON points.
//   - The closest point on a polygon to a point inside it is the point itself.
//   - geo_line_interpolate_point(line, fraction) and geo_line_locate_point(line, lng, lat) take one LineString and a
//     fraction of its length in [0, 1].
//   - geo_intersection_2lines gives the points where the lines cross or share a vertex: a Point, a MultiPoint, or an
//     empty GeometryCollection (a stretch where two edges run along each other is not reported as a line).
//   - geo_polygon_to_s2cells / geo_line_to_s2cells(shape[, level = 11[, radius = 0]]) list the tokens of the cells of
//     one level that cover the shape, in cell-id order; more than 65536 cells give null. A positive buffer radius
//     is rejected with an error (not implemented).
#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include <s2/s1angle.h>
#include <s2/s2cell_union.h>
#include <s2/s2edge_crossings.h>
#include <s2/s2metrics.h>
#include <s2/s2polygon.h>
#include <s2/s2polyline.h>
#include <s2/s2region_coverer.h>

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
  return Value::Bool(first->Intersects(*second));
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
      if (a.Intersects(b)) return Value::Bool(true);
    }
  }
  return Value::Bool(false);
}

Value PointValue(const S2Point& point) { return Value::FromDynamic(MakeGeoPoint(ToGeoCoordinate(point))); }

Value ClosestPointOnLine(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> point = ReadGeoCoordinate(args[0], args[1]);
  std::vector<S2Polyline> lines = ReadGeoLines(args[2]);
  if (!point || lines.empty()) return Value::Null(KqlType::kDynamic);
  const S2Point target = ToS2Point(*point);
  S2Point best;
  double best_distance = std::numeric_limits<double>::infinity();
  for (const S2Polyline& line : lines) {
    int next_vertex = 0;
    const S2Point projected = line.Project(target, &next_vertex);
    const double distance = S1Angle(target, projected).radians();
    if (distance < best_distance) {
      best_distance = distance;
      best = projected;
    }
  }
  return PointValue(best);
}

Value ClosestPointOnPolygon(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> point = ReadGeoCoordinate(args[0], args[1]);
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[2]);
  if (!point || !polygon) return Value::Null(KqlType::kDynamic);
  return PointValue(polygon->Project(ToS2Point(*point)));
}

// geo_line_interpolate_point and geo_line_locate_point take a single LineString.
const S2Polyline* SingleLine(const std::vector<S2Polyline>& lines) { return lines.size() == 1 ? &lines[0] : nullptr; }

Value LineInterpolatePoint(std::span<const Value> args, KqlType) {
  std::vector<S2Polyline> lines = ReadGeoLines(args[0]);
  const S2Polyline* line = SingleLine(lines);
  std::optional<double> fraction = ValueNumber(args[1]);
  if (line == nullptr || !fraction || !(*fraction >= 0 && *fraction <= 1)) return Value::Null(KqlType::kDynamic);
  return PointValue(line->Interpolate(*fraction));
}

Value LineLocatePoint(std::span<const Value> args, KqlType) {
  std::vector<S2Polyline> lines = ReadGeoLines(args[0]);
  const S2Polyline* line = SingleLine(lines);
  std::optional<GeoCoordinate> point = ReadGeoCoordinate(args[1], args[2]);
  if (line == nullptr || !point) return NullReal();
  int next_vertex = 0;
  const S2Point projected = line->Project(ToS2Point(*point), &next_vertex);
  return Value::Real(line->UnInterpolate(projected, next_vertex));
}

// Kusto returns null rather than more covering tokens than this.
constexpr size_t kMaxCoveringCells = 65536;

// The tokens of the level-`level` cells that cover a region, or null when there would be too many.
Value CoveringTokens(const S2Region& region, double area_steradians, int level) {
  if (area_steradians / S2::kAvgArea.GetValue(level) > 4.0 * kMaxCoveringCells) return Value::Null(KqlType::kDynamic);
  S2RegionCoverer::Options options;
  options.set_fixed_level(level);
  options.set_max_cells(static_cast<int>(kMaxCoveringCells));
  S2RegionCoverer coverer(options);
  std::vector<S2CellId> cells;
  coverer.GetCovering(region, &cells);
  if (cells.size() > kMaxCoveringCells) return Value::Null(KqlType::kDynamic);
  std::vector<Dynamic> tokens;
  tokens.reserve(cells.size());
  for (const S2CellId& cell : cells) tokens.push_back(DynamicValue::MakeString(cell.ToToken()));
  return Value::FromDynamic(DynamicValue::MakeArray(std::move(tokens)));
}

constexpr int kDefaultCoveringLevel = 11;

std::optional<int> CoveringLevel(std::span<const Value> args) {
  return args.size() > 1 ? ReadGeoLevel(args[1], 0, S2CellId::kMaxLevel) : std::optional<int>(kDefaultCoveringLevel);
}

Value PolygonToS2Cells(std::span<const Value> args, KqlType) {
  std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(args[0]);
  std::optional<int> level = CoveringLevel(args);
  if (args.size() > 2) {
    std::optional<double> radius = ValueNumber(args[2]);
    if (!radius || !(*radius >= 0)) return Value::Null(KqlType::kDynamic);
    if (*radius > 0) throw QueryError("geo_polygon_to_s2cells: a positive buffer radius is not supported");
  }
  if (!polygon || !level) return Value::Null(KqlType::kDynamic);
  return CoveringTokens(*polygon, polygon->GetArea(), *level);
}

Value LineToS2Cells(std::span<const Value> args, KqlType) {
  std::vector<S2Polyline> lines = ReadGeoLines(args[0]);
  std::optional<int> level = CoveringLevel(args);
  if (args.size() > 2) {
    std::optional<double> radius = ValueNumber(args[2]);
    if (!radius || !(*radius >= 0)) return Value::Null(KqlType::kDynamic);
    if (*radius > 0) throw QueryError("geo_line_to_s2cells: a positive buffer radius is not supported");
  }
  if (lines.empty() || !level) return Value::Null(KqlType::kDynamic);
  std::vector<S2CellId> cells;
  for (const S2Polyline& line : lines) {
    Value part = CoveringTokens(line, 0, *level);
    if (part.is_null) return part;
    for (const Dynamic& token : part.dynamic_value->items()) {
      cells.push_back(S2CellId::FromToken(token->string_value()));
    }
  }
  std::sort(cells.begin(), cells.end());
  cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
  if (cells.size() > kMaxCoveringCells) return Value::Null(KqlType::kDynamic);
  std::vector<Dynamic> tokens;
  for (const S2CellId& cell : cells) tokens.push_back(DynamicValue::MakeString(cell.ToToken()));
  return Value::FromDynamic(DynamicValue::MakeArray(std::move(tokens)));
}

// The points where two lines cross or touch: a Point, a MultiPoint, or an empty GeometryCollection.
Value Intersection2Lines(std::span<const Value> args, KqlType) {
  std::vector<S2Polyline> first = ReadGeoLines(args[0]);
  std::vector<S2Polyline> second = ReadGeoLines(args[1]);
  if (first.empty() || second.empty()) return Value::Null(KqlType::kDynamic);
  std::vector<S2Point> points;
  auto add = [&](const S2Point& point) {
    auto same = [&](const S2Point& other) { return SameS2Point(other, point); };
    if (std::none_of(points.begin(), points.end(), same)) points.push_back(point);
  };
  for (const S2Polyline& a : first) {
    for (const S2Polyline& b : second) {
      for (int i = 0; i + 1 < a.num_vertices(); ++i) {
        for (int j = 0; j + 1 < b.num_vertices(); ++j) {
          const S2Point &a0 = a.vertex(i), &a1 = a.vertex(i + 1), &b0 = b.vertex(j), &b1 = b.vertex(j + 1);
          const int sign = S2::CrossingSign(a0, a1, b0, b1);
          if (sign > 0) add(S2::GetIntersection(a0, a1, b0, b1));
          if (sign == 0) {
            for (const S2Point& vertex : {a0, a1}) {
              if (SameS2Point(vertex, b0) || SameS2Point(vertex, b1)) add(vertex);
            }
          }
        }
      }
    }
  }
  if (points.empty()) {
    return Value::FromDynamic(DynamicValue::MakeObject({{"type", DynamicValue::MakeString("GeometryCollection")},
                                                        {"geometries", DynamicValue::MakeArray({})}}));
  }
  if (points.size() == 1) return PointValue(points[0]);
  std::vector<Dynamic> coordinates;
  for (const S2Point& point : points) coordinates.push_back(MakeGeoPair(ToGeoCoordinate(point)));
  Dynamic array = DynamicValue::MakeArray(std::move(coordinates));
  return Value::FromDynamic(
      DynamicValue::MakeObject({{"type", DynamicValue::MakeString("MultiPoint")}, {"coordinates", std::move(array)}}));
}

Value UnionPolygonsArray(std::span<const Value> args, KqlType) {
  const Value& array = args[0];
  if (array.is_null || array.type != KqlType::kDynamic || !array.dynamic_value ||
      array.dynamic_value->kind() != DynamicValue::Kind::kArray || array.dynamic_value->items().empty()) {
    return Value::Null(KqlType::kDynamic);
  }
  std::vector<std::unique_ptr<S2Polygon>> polygons;
  for (const Dynamic& item : array.dynamic_value->items()) {
    std::unique_ptr<S2Polygon> polygon = ReadGeoPolygon(Value::FromDynamic(item));
    if (!polygon) return Value::Null(KqlType::kDynamic);
    polygons.push_back(std::move(polygon));
  }
  std::unique_ptr<S2Polygon> united = S2Polygon::DestructiveUnion(std::move(polygons));
  return GeoPolygonValue(*united);
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
    {"geo_closest_point_on_line", ClosestPointOnLine},
    {"geo_closest_point_on_polygon", ClosestPointOnPolygon},
    {"geo_line_interpolate_point", LineInterpolatePoint},
    {"geo_line_locate_point", LineLocatePoint},
    {"geo_polygon_to_s2cells", PolygonToS2Cells},
    {"geo_line_to_s2cells", LineToS2Cells},
    {"geo_intersection_2lines", Intersection2Lines},
    {"geo_union_polygons_array", UnionPolygonsArray},
};

}  // namespace

void GeoShapeKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  RunValueFunction(kGeoShapeFunctions, call, args, rows, out);
}

}  // namespace kql::exec
