// GeoJson: reads GeoJSON dynamic values into S2 geometry for the geo_* shape functions. Kusto's rules (KQL docs):
//   - Polygon: {"type":"Polygon","coordinates":[shell, hole...]}; MultiPolygon: an array of such coordinate
//     arrays, whose polygons are united. A ring has at least 4 entries, ends where it starts, has at least 3
//     distinct vertices, valid [longitude, latitude] pairs, and does not cross itself; of the two regions a ring
//     divides the sphere into, the smaller one is meant. Edges are geodesics (shorter great-circle arcs); an edge
//     joining antipodal points is invalid. Containment follows S2's semi-open model: when the Earth is divided into
//     polygons, every point is in exactly one of them.
//   - LineString: {"type":"LineString","coordinates":[[lng,lat], ...]} with at least 2 vertices;
//     MultiLineString: an array of such coordinate arrays.
//   Anything else (other types, missing or extra members, bad coordinates) is invalid: the function returns null.
#pragma once
#include <memory>
#include <optional>
#include <vector>

#include <s2/s2point.h>
#include <s2/s2polygon.h>
#include <s2/s2polyline.h>

#include "execution/scalar/geo_shape.h"
#include "types/value.h"
#include "execution/layer.h"

namespace kql::exec {

/// The polygon (or united multipolygon) of a GeoJSON value; nullptr when the value is not a valid one.
std::unique_ptr<S2Polygon> ReadGeoPolygon(const Value& value);

/// The lines of a GeoJSON LineString or MultiLineString; empty when the value is not a valid one.
std::vector<S2Polyline> ReadGeoLines(const Value& value);

/// An S2 polygon as GeoJSON: a Polygon (one shell and its holes), a MultiPolygon, or an empty GeometryCollection;
/// loops in S2's order, each closed.
Value GeoPolygonValue(const S2Polygon& polygon);

/// Exact equality of two S2 points (S2's own operator== is ambiguous under C++20's reversed operators).
inline bool SameS2Point(const S2Point& a, const S2Point& b) {
  return a.x() == b.x() && a.y() == b.y() && a.z() == b.z();
}

/// The S2 point of a coordinate.
S2Point ToS2Point(GeoCoordinate point);

/// The coordinate of an S2 point.
GeoCoordinate ToGeoCoordinate(const S2Point& point);

}  // namespace kql::exec
