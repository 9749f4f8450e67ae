// Geohash functions: geo_point_to_geohash, geo_geohash_to_central_point, geo_geohash_to_polygon,
// geo_geohash_neighbors. A geohash is a rectangle of the plane of longitude and latitude, named by interleaving
// longitude and latitude bisection bits (longitude first) five at a time in the alphabet
// 0123456789bcdefghjkmnpqrstuvwxyz. Semantics (KQL docs and their examples):
//   - geo_point_to_geohash(longitude, latitude[, accuracy]): accuracy is the length, 1..18 (default 5); invalid
//     coordinates or accuracy give "" (the string null). A point on a bisection line goes to the upper half.
//   - A geohash argument is valid when it has 1..18 characters of the alphabet (lowercase); otherwise null.
//   - geo_geohash_to_polygon lists the rectangle's corners counterclockwise from the south-west one, closed.
//   - geo_geohash_neighbors gives the 8 surrounding geohashes of the same length (fewer at the poles, where a row
//     does not exist; longitudes wrap at the antimeridian), in the order of Kusto's documented example for 'sunny':
//     south-west, north-west, south-east, north, west, north-east, east, south.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "execution/scalar/geo_kernels.h"
#include "execution/scalar/geo_shape.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

constexpr std::string_view kGeohashAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
constexpr int kMaxGeohashLength = 18;
constexpr int kDefaultGeohashAccuracy = 5;

// The bounds of a geohash rectangle in degrees.
struct GeohashBox {
  double west = -180;
  double east = 180;
  double south = -90;
  double north = 90;

  GeoCoordinate Center() const { return {(west + east) / 2, (south + north) / 2}; }
};

std::string EncodeGeohash(GeoCoordinate point, int length) {
  GeohashBox box;
  std::string hash;
  bool longitude_bit = true;
  while (static_cast<int>(hash.size()) < length) {
    int symbol = 0;
    for (int bit = 0; bit < 5; ++bit) {
      double& low = longitude_bit ? box.west : box.south;
      double& high = longitude_bit ? box.east : box.north;
      const double value = longitude_bit ? point.longitude : point.latitude;
      const double middle = (low + high) / 2;
      symbol <<= 1;
      if (value >= middle) {
        symbol |= 1;
        low = middle;
      } else {
        high = middle;
      }
      longitude_bit = !longitude_bit;
    }
    hash += kGeohashAlphabet[symbol];
  }
  return hash;
}

std::optional<GeohashBox> DecodeGeohash(std::string_view hash) {
  if (hash.empty() || hash.size() > kMaxGeohashLength) return std::nullopt;
  GeohashBox box;
  bool longitude_bit = true;
  for (char c : hash) {
    const size_t symbol = kGeohashAlphabet.find(c);
    if (symbol == std::string_view::npos) return std::nullopt;
    for (int bit = 4; bit >= 0; --bit) {
      double& low = longitude_bit ? box.west : box.south;
      double& high = longitude_bit ? box.east : box.north;
      const double middle = (low + high) / 2;
      if ((symbol >> bit) & 1) {
        low = middle;
      } else {
        high = middle;
      }
      longitude_bit = !longitude_bit;
    }
  }
  return box;
}

std::optional<GeohashBox> GeohashArgument(const Value& value) {
  if (value.is_null) return std::nullopt;
  if (value.type == KqlType::kDynamic) {
    if (!value.dynamic_value || value.dynamic_value->kind() != DynamicValue::Kind::kString) return std::nullopt;
    return DecodeGeohash(value.dynamic_value->string_value());
  }
  if (value.type != KqlType::kString) return std::nullopt;
  return DecodeGeohash(value.string_value);
}

Value PointToGeohash(std::span<const Value> args, KqlType) {
  std::optional<GeoCoordinate> point = ReadGeoCoordinate(args[0], args[1]);
  std::optional<int> accuracy =
      args.size() > 2 ? ReadGeoLevel(args[2], 1, kMaxGeohashLength) : std::optional<int>(kDefaultGeohashAccuracy);
  if (!point || !accuracy) return Value::String("");
  return Value::String(EncodeGeohash(*point, *accuracy));
}

Value GeohashToCentralPoint(std::span<const Value> args, KqlType) {
  std::optional<GeohashBox> box = GeohashArgument(args[0]);
  if (!box) return Value::Null(KqlType::kDynamic);
  return Value::FromDynamic(MakeGeoPoint(box->Center()));
}

Value GeohashToPolygon(std::span<const Value> args, KqlType) {
  std::optional<GeohashBox> box = GeohashArgument(args[0]);
  if (!box) return Value::Null(KqlType::kDynamic);
  const std::array<GeoCoordinate, 4> ring{GeoCoordinate{box->west, box->south}, GeoCoordinate{box->east, box->south},
                                          GeoCoordinate{box->east, box->north}, GeoCoordinate{box->west, box->north}};
  return Value::FromDynamic(MakeGeoPolygon(ring));
}

Value GeohashNeighbors(std::span<const Value> args, KqlType) {
  std::optional<GeohashBox> box = GeohashArgument(args[0]);
  if (!box) return Value::Null(KqlType::kDynamic);
  const std::string_view hash = args[0].type == KqlType::kDynamic
                                    ? std::string_view(args[0].dynamic_value->string_value())
                                    : std::string_view(args[0].string_value);
  // (east, north) steps in the documented order.
  constexpr std::array<std::array<int, 2>, 8> kSteps{
      {{-1, -1}, {-1, 1}, {1, -1}, {0, 1}, {-1, 0}, {1, 1}, {1, 0}, {0, -1}}};
  const GeoCoordinate center = box->Center();
  const double width = box->east - box->west;
  const double height = box->north - box->south;
  std::vector<std::string> seen;
  std::vector<Dynamic> neighbors;
  for (const auto& [east, north] : kSteps) {
    const double latitude = center.latitude + north * height;
    if (latitude < -90 || latitude > 90) continue;
    double longitude = center.longitude + east * width;
    if (longitude > 180) longitude -= 360;
    if (longitude < -180) longitude += 360;
    std::string neighbor = EncodeGeohash({longitude, latitude}, static_cast<int>(hash.size()));
    if (neighbor == hash || std::find(seen.begin(), seen.end(), neighbor) != seen.end()) continue;
    seen.push_back(neighbor);
    neighbors.push_back(DynamicValue::MakeString(std::move(neighbor)));
  }
  return Value::FromDynamic(DynamicValue::MakeArray(std::move(neighbors)));
}

constexpr ValueFunctionEntry kGeohashFunctions[] = {
    {"geo_point_to_geohash", PointToGeohash},
    {"geo_geohash_to_central_point", GeohashToCentralPoint},
    {"geo_geohash_to_polygon", GeohashToPolygon},
    {"geo_geohash_neighbors", GeohashNeighbors},
};

}  // namespace

void GeoHashKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                   ColumnVector& out) {
  RunValueFunction(kGeohashFunctions, call, args, rows, out);
}

}  // namespace kql::exec
