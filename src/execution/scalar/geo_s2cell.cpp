// S2 cell functions (libs2): geo_point_to_s2cell, geo_s2cell_to_central_point, geo_s2cell_to_polygon,
// geo_s2cell_neighbors. Cells are S2's quadtree cells on the sphere (levels 0..30, geodesic edges), named by S2
// tokens. Semantics (KQL docs and their examples):
//   - geo_point_to_s2cell(longitude, latitude[, level]): level 0..30, default 11; invalid coordinates or level give
//     "" (the string null).
//   - A token argument is valid when S2 parses it into a valid cell id (at most 16 hex digits); otherwise null.
//   - geo_s2cell_to_central_point is the cell's center; geo_s2cell_to_polygon lists the cell's four vertices in
//     S2's counterclockwise order, closed (both match the documented examples to the last digit).
//   - geo_s2cell_neighbors gives the edge and vertex neighbors of the same level (7 at a cube corner). Kusto does
//     not specify the order; we follow its documented example for '89c259': the corner between the right and top
//     edges, left/bottom corner, bottom/right corner, then the bottom, top, right and left edge neighbors, then
//     the top/left corner (edges as S2's GetEdgeNeighbors names them).
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include <s2/s2cell.h>
#include <s2/s2cell_id.h>
#include <s2/s2latlng.h>

#include "execution/scalar/geo_kernels.h"
#include "execution/scalar/geo_shape.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

constexpr int kDefaultS2Level = 11;
constexpr size_t kMaxS2TokenLength = 16;

GeoCoordinate ToCoordinate(const S2LatLng& point) { return {point.lng().degrees(), point.lat().degrees()}; }

std::optional<S2CellId> CellArgument(const Value& value) {
  if (value.is_null) return std::nullopt;
  std::string_view token;
  if (value.type == KqlType::kString) {
    token = value.string_value;
  } else if (value.type == KqlType::kDynamic && value.dynamic_value &&
             value.dynamic_value->kind() == DynamicValue::Kind::kString) {
    token = value.dynamic_value->string_value();
  } else {
    return std::nullopt;
  }
  if (token.empty() || token.size() > kMaxS2TokenLength) return std::nullopt;
  if (!std::all_of(token.begin(), token.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
    return std::nullopt;
  }
  S2CellId cell = S2CellId::FromToken(std::string(token));
  if (!cell.is_valid()) return std::nullopt;
  return cell;
}

Value PointToS2Cell(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> point = ReadGeoCoordinate(args[0], args[1]);
  std::optional<int> level =
      args.size() > 2 ? ReadGeoLevel(args[2], 0, S2CellId::kMaxLevel) : std::optional<int>(kDefaultS2Level);
  if (!point || !level) return Value::String("");
  const S2CellId leaf(S2LatLng::FromDegrees(point->latitude, point->longitude));
  return Value::String(leaf.parent(*level).ToToken());
}

Value S2CellToCentralPoint(std::span<const Value> args, KqlType) {
  std::optional<S2CellId> cell = CellArgument(args[0]);
  if (!cell) return Value::Null(KqlType::kDynamic);
  return Value::FromDynamic(MakeGeoPoint(ToCoordinate(cell->ToLatLng())));
}

Value S2CellToPolygon(std::span<const Value> args, KqlType) {
  std::optional<S2CellId> cell = CellArgument(args[0]);
  if (!cell) return Value::Null(KqlType::kDynamic);
  const S2Cell shape(*cell);
  std::array<GeoCoordinate, 4> ring;
  for (int vertex = 0; vertex < 4; ++vertex) ring[vertex] = ToCoordinate(S2LatLng(shape.GetVertex(vertex)));
  return Value::FromDynamic(MakeGeoPolygon(ring));
}

// The documented order's rank of a neighbor: edges by their GetEdgeNeighbors index, corners by the two edge
// neighbors they touch.
int NeighborRank(const S2CellId& neighbor, const std::array<S2CellId, 4>& edges) {
  constexpr std::array<int, 4> kEdgeRank{3, 5, 4, 6};
  for (int edge = 0; edge < 4; ++edge) {
    if (neighbor == edges[edge]) return kEdgeRank[edge];
  }
  S2CellId around[4];
  neighbor.GetEdgeNeighbors(around);
  auto touches = [&](int edge) {
    return std::find(std::begin(around), std::end(around), edges[edge]) != std::end(around);
  };
  if (touches(1) && touches(2)) return 0;
  if (touches(3) && touches(0)) return 1;
  if (touches(0) && touches(1)) return 2;
  if (touches(2) && touches(3)) return 7;
  return 8;
}

Value S2CellNeighbors(std::span<const Value> args, KqlType) {
  std::optional<S2CellId> cell = CellArgument(args[0]);
  if (!cell) return Value::Null(KqlType::kDynamic);
  std::array<S2CellId, 4> edges;
  cell->GetEdgeNeighbors(edges.data());
  // A face (level 0) shares an edge with four faces and touches no other at a vertex only.
  std::vector<S2CellId> found(edges.begin(), edges.end());
  if (cell->level() > 0) cell->AppendAllNeighbors(cell->level(), &found);
  std::vector<std::pair<int, S2CellId>> ranked;
  for (const S2CellId& neighbor : found) {
    if (neighbor == *cell) continue;
    auto same = [&](const auto& entry) { return entry.second == neighbor; };
    if (std::any_of(ranked.begin(), ranked.end(), same)) continue;
    ranked.emplace_back(NeighborRank(neighbor, edges), neighbor);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Dynamic> tokens;
  for (const auto& [rank, neighbor] : ranked) tokens.push_back(DynamicValue::MakeString(neighbor.ToToken()));
  return Value::FromDynamic(DynamicValue::MakeArray(std::move(tokens)));
}

constexpr ValueFunctionEntry kS2CellFunctions[] = {
    {"geo_point_to_s2cell", PointToS2Cell},
    {"geo_s2cell_to_central_point", S2CellToCentralPoint},
    {"geo_s2cell_to_polygon", S2CellToPolygon},
    {"geo_s2cell_neighbors", S2CellNeighbors},
};

}  // namespace

void GeoS2CellKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  RunValueFunction(kS2CellFunctions, call, args, rows, out);
}

}  // namespace kql::exec
