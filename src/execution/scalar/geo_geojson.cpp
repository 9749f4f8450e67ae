// GeoJson: GeoJSON dynamic values to S2 polygons and polylines, with Kusto's validity rules (geo_geojson.h).
#include "execution/scalar/geo_geojson.h"

#include <cmath>
#include <string_view>

#include <s2/s2latlng.h>
#include <s2/s2loop.h>

#include "execution/layer.h"

namespace kql::exec {

namespace {

const DynamicValue* RootOf(const Value& value) {
  if (value.is_null || value.type != KqlType::kDynamic || !value.dynamic_value) return nullptr;
  const DynamicValue* root = value.dynamic_value.get();
  return root->kind() == DynamicValue::Kind::kObject ? root : nullptr;
}

// The "coordinates" array of a GeoJSON object of the given type; nullptr for anything else.
const DynamicValue* CoordinatesOf(const DynamicValue* root, std::string_view type) {
  if (root == nullptr || root->members().size() != 2) return nullptr;
  const DynamicValue* kind = root->Find("type");
  const DynamicValue* coordinates = root->Find("coordinates");
  if (kind == nullptr || kind->kind() != DynamicValue::Kind::kString || kind->string_value() != type) return nullptr;
  if (coordinates == nullptr || coordinates->kind() != DynamicValue::Kind::kArray) return nullptr;
  return coordinates;
}

std::optional<double> NumberOf(const Dynamic& value) {
  if (!value) return std::nullopt;
  if (value->kind() == DynamicValue::Kind::kLong) return static_cast<double>(value->int_value());
  if (value->kind() == DynamicValue::Kind::kReal) return value->real_value();
  return std::nullopt;
}

std::optional<GeoCoordinate> PairOf(const Dynamic& value) {
  if (!value || value->kind() != DynamicValue::Kind::kArray || value->items().size() != 2) return std::nullopt;
  std::optional<double> x = NumberOf(value->items()[0]);
  std::optional<double> y = NumberOf(value->items()[1]);
  if (!x || !y || !std::isfinite(*x) || !std::isfinite(*y)) return std::nullopt;
  if (*x < -180 || *x > 180 || *y < -90 || *y > 90) return std::nullopt;
  return GeoCoordinate{*x, *y};
}

// The points of a coordinate array, consecutive repeats dropped; nullopt when an entry is not a valid pair or an
// edge joins antipodal points.
std::optional<std::vector<S2Point>> PointsOf(const DynamicValue* value) {
  if (!value || value->kind() != DynamicValue::Kind::kArray) return std::nullopt;
  std::vector<S2Point> points;
  for (const Dynamic& item : value->items()) {
    std::optional<GeoCoordinate> pair = PairOf(item);
    if (!pair) return std::nullopt;
    const S2Point point = ToS2Point(*pair);
    if (!points.empty() && SameS2Point(point, points.back())) continue;
    if (!points.empty() && SameS2Point(point, -points.back())) return std::nullopt;
    points.push_back(point);
  }
  return points;
}

std::unique_ptr<S2Loop> LoopOf(const DynamicValue* ring) {
  if (!ring || ring->kind() != DynamicValue::Kind::kArray || ring->items().size() < 4) return nullptr;
  if (!ring->items().front()->Equals(*ring->items().back())) return nullptr;
  std::optional<std::vector<S2Point>> points = PointsOf(ring);
  if (!points) return nullptr;
  points->pop_back();  // The closing vertex.
  if (points->size() < 3) return nullptr;
  auto loop = std::make_unique<S2Loop>();
  loop->set_s2debug_override(S2Debug::DISABLE);
  loop->Init(*points);
  if (!loop->IsValid()) return nullptr;
  loop->Normalize();
  return loop;
}

std::unique_ptr<S2Polygon> PolygonOf(const DynamicValue* rings) {
  if (!rings || rings->kind() != DynamicValue::Kind::kArray || rings->items().empty()) return nullptr;
  std::vector<std::unique_ptr<S2Loop>> loops;
  for (const Dynamic& ring : rings->items()) {
    std::unique_ptr<S2Loop> loop = LoopOf(ring.get());
    if (!loop) return nullptr;
    loops.push_back(std::move(loop));
  }
  auto polygon = std::make_unique<S2Polygon>();
  polygon->set_s2debug_override(S2Debug::DISABLE);
  polygon->InitNested(std::move(loops));
  if (!polygon->IsValid()) return nullptr;
  return polygon;
}

}  // namespace

S2Point ToS2Point(GeoCoordinate point) { return S2LatLng::FromDegrees(point.latitude, point.longitude).ToPoint(); }

GeoCoordinate ToGeoCoordinate(const S2Point& point) {
  const S2LatLng latlng(point);
  return {latlng.lng().degrees(), latlng.lat().degrees()};
}

// A GeoJSON Polygon (one shell and its holes) or MultiPolygon of an S2 polygon: loops in S2's order, each closed.
Value GeoPolygonValue(const S2Polygon& polygon) {
  auto ring = [&](const S2Loop& loop) {
    std::vector<GeoCoordinate> vertices;
    for (int vertex = 0; vertex < loop.num_vertices(); ++vertex) {
      vertices.push_back(ToGeoCoordinate(loop.vertex(vertex)));
    }
    return MakeGeoPolygon(vertices)->Find("coordinates")->items()[0];
  };
  std::vector<Dynamic> shells;
  for (int index = 0; index < polygon.num_loops(); ++index) {
    if (polygon.loop(index)->is_hole()) continue;
    std::vector<Dynamic> rings{ring(*polygon.loop(index))};
    for (int child = index + 1; child <= polygon.GetLastDescendant(index); ++child) {
      if (polygon.loop(child)->depth() == polygon.loop(index)->depth() + 1) rings.push_back(ring(*polygon.loop(child)));
    }
    shells.push_back(DynamicValue::MakeArray(std::move(rings)));
  }
  if (shells.empty()) {
    return Value::FromDynamic(DynamicValue::MakeObject({{"type", DynamicValue::MakeString("GeometryCollection")},
                                                        {"geometries", DynamicValue::MakeArray({})}}));
  }
  if (shells.size() == 1) {
    return Value::FromDynamic(
        DynamicValue::MakeObject({{"type", DynamicValue::MakeString("Polygon")}, {"coordinates", shells[0]}}));
  }
  Dynamic array = DynamicValue::MakeArray(std::move(shells));
  return Value::FromDynamic(DynamicValue::MakeObject(
      {{"type", DynamicValue::MakeString("MultiPolygon")}, {"coordinates", std::move(array)}}));
}

std::unique_ptr<S2Polygon> ReadGeoPolygon(const Value& value) {
  const DynamicValue* root = RootOf(value);
  if (const DynamicValue* coordinates = CoordinatesOf(root, "Polygon")) {
    return PolygonOf(coordinates);
  }
  const DynamicValue* polygons = CoordinatesOf(root, "MultiPolygon");
  if (polygons == nullptr || polygons->items().empty()) return nullptr;
  std::unique_ptr<S2Polygon> united;
  for (const Dynamic& rings : polygons->items()) {
    std::unique_ptr<S2Polygon> polygon = PolygonOf(rings.get());
    if (!polygon) return nullptr;
    if (!united) {
      united = std::move(polygon);
      continue;
    }
    auto merged = std::make_unique<S2Polygon>();
    merged->set_s2debug_override(S2Debug::DISABLE);
    merged->InitToUnion(*united, *polygon);
    united = std::move(merged);
  }
  return united;
}

std::vector<S2Polyline> ReadGeoLines(const Value& value) {
  const DynamicValue* root = RootOf(value);
  std::vector<const DynamicValue*> parts;
  if (const DynamicValue* line = CoordinatesOf(root, "LineString")) {
    parts.push_back(line);
  } else if (const DynamicValue* lines = CoordinatesOf(root, "MultiLineString")) {
    for (const Dynamic& item : lines->items()) parts.push_back(item.get());
  }
  std::vector<S2Polyline> result;
  for (const DynamicValue* part : parts) {
    std::optional<std::vector<S2Point>> points = PointsOf(part);
    if (!points || part->items().size() < 2) return {};
    if (points->size() < 2) points->push_back(points->front());  // A line whose vertices all coincide.
    S2Polyline& polyline = result.emplace_back();
    polyline.set_s2debug_override(S2Debug::DISABLE);
    polyline.Init(*points);
  }
  return result;
}

}  // namespace kql::exec
