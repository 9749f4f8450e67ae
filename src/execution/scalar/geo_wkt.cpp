// geo_from_wkt: Well-Known Text to a GeoJSON dynamic value. Accepted (keywords in any case, 2-D coordinates
// "longitude latitude" in range): POINT, LINESTRING, POLYGON, MULTIPOINT (with or without parentheses around each
// point), MULTILINESTRING, MULTIPOLYGON and GEOMETRYCOLLECTION. Anything else (EMPTY, Z/M coordinates, trailing
// text, out-of-range coordinates) is invalid and gives null, as the KQL docs say for invalid or unsupported input.
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "execution/scalar/geo_kernels.h"
#include "execution/scalar/geo_shape.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

// Nesting deeper than this (collections of collections) is rejected rather than recursed into.
constexpr int kMaxWktDepth = 32;

class WktReader {
 public:
  explicit WktReader(std::string_view text) : text_(text) {}

  // The whole text as one geometry; nullptr when it is not valid WKT of the supported kinds.
  Dynamic ReadAll() {
    Dynamic geometry = Geometry(0);
    SkipSpace();
    return geometry && pos_ == text_.size() ? geometry : nullptr;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool Accept(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool Peek(char c) {
    SkipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }

  std::string Keyword() {
    SkipSpace();
    std::string word;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) {
      word += static_cast<char>(std::toupper(static_cast<unsigned char>(text_[pos_++])));
    }
    return word;
  }

  std::optional<double> Number() {
    SkipSpace();
    const size_t start = pos_;
    while (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) ||
                                   std::string_view("+-.eE").find(text_[pos_]) != std::string_view::npos)) {
      ++pos_;
    }
    if (start == pos_) return std::nullopt;
    const std::string token(text_.substr(start, pos_ - start));
    char* end = nullptr;
    const double value = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size() || !std::isfinite(value)) return std::nullopt;
    return value;
  }

  // "x y" as [x, y].
  Dynamic Coordinate() {
    std::optional<double> x = Number();
    std::optional<double> y = Number();
    if (!x || !y || *x < -180 || *x > 180 || *y < -90 || *y > 90) return nullptr;
    return DynamicValue::MakeArray({DynamicValue::MakeReal(*x), DynamicValue::MakeReal(*y)});
  }

  // "(x y, x y, ...)"; a MULTIPOINT also allows "((x y), (x y))".
  Dynamic Coordinates(bool allow_wrapped) {
    if (!Accept('(')) return nullptr;
    std::vector<Dynamic> items;
    do {
      const bool wrapped = allow_wrapped && Accept('(');
      Dynamic coordinate = Coordinate();
      if (!coordinate || (wrapped && !Accept(')'))) return nullptr;
      items.push_back(std::move(coordinate));
    } while (Accept(','));
    if (!Accept(')')) return nullptr;
    return DynamicValue::MakeArray(std::move(items));
  }

  // "(part, part, ...)" where each part is read by `read`.
  template <typename ReadPart>
  Dynamic List(ReadPart read) {
    if (!Accept('(')) return nullptr;
    std::vector<Dynamic> items;
    do {
      Dynamic item = read();
      if (!item) return nullptr;
      items.push_back(std::move(item));
    } while (Accept(','));
    if (!Accept(')')) return nullptr;
    return DynamicValue::MakeArray(std::move(items));
  }

  Dynamic Shape(std::string_view type, Dynamic coordinates) {
    if (!coordinates) return nullptr;
    return DynamicValue::MakeObject(
        {{"type", DynamicValue::MakeString(std::string(type))}, {"coordinates", std::move(coordinates)}});
  }

  Dynamic Geometry(int depth) {
    if (depth > kMaxWktDepth) return nullptr;
    const std::string keyword = Keyword();
    if (!Peek('(')) return nullptr;  // EMPTY, Z, M and unknown keywords.
    auto ring = [&] { return Coordinates(false); };
    auto polygon = [&] { return List(ring); };
    if (keyword == "POINT") {
      Accept('(');
      Dynamic point = Coordinate();
      return point && Accept(')') ? Shape("Point", point) : nullptr;
    }
    if (keyword == "LINESTRING") return Shape("LineString", Coordinates(false));
    if (keyword == "POLYGON") return Shape("Polygon", polygon());
    if (keyword == "MULTIPOINT") return Shape("MultiPoint", Coordinates(true));
    if (keyword == "MULTILINESTRING") return Shape("MultiLineString", List(ring));
    if (keyword == "MULTIPOLYGON") return Shape("MultiPolygon", List(polygon));
    if (keyword == "GEOMETRYCOLLECTION") {
      Dynamic geometries = List([&] { return Geometry(depth + 1); });
      if (!geometries) return nullptr;
      return DynamicValue::MakeObject(
          {{"type", DynamicValue::MakeString("GeometryCollection")}, {"geometries", std::move(geometries)}});
    }
    return nullptr;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

Value FromWkt(std::span<const Value> args, KqlType) {
  if (args[0].is_null || args[0].type != KqlType::kString) return Value::Null(KqlType::kDynamic);
  Dynamic geometry = WktReader(args[0].string_value).ReadAll();
  return geometry ? Value::FromDynamic(std::move(geometry)) : Value::Null(KqlType::kDynamic);
}

constexpr ValueFunctionEntry kGeoWktFunctions[] = {
    {"geo_from_wkt", FromWkt},
};

}  // namespace

void GeoWktKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  RunValueFunction(kGeoWktFunctions, call, args, rows, out);
}

}  // namespace kql::exec
