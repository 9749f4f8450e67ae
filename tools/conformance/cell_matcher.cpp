#include "cell_matcher.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "types/datetime.h"
#include "types/dynamic.h"
#include "rules/layer.h"

namespace kql::conformance {

using namespace kql::rules;
namespace {

// Dynamic values from the references are compared recursively; deeper trees are treated as different.
constexpr int kMaxDynamicDepth = 128;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::optional<double> ParseReal(const std::string& text) {
  const std::string lower = Lower(text);
  if (lower == "nan" || lower == "-nan") return std::nan("");
  if (lower == "infinity" || lower == "inf" || lower == "+inf" || lower == "+infinity") return HUGE_VAL;
  if (lower == "-infinity" || lower == "-inf") return -HUGE_VAL;
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

bool RealsMatch(double actual, double expected) {
  if (std::isnan(actual) || std::isnan(expected)) return std::isnan(actual) && std::isnan(expected);
  if (std::isinf(actual) || std::isinf(expected)) return actual == expected;
  const double scale = std::max({1.0, std::fabs(actual), std::fabs(expected)});
  return std::fabs(actual - expected) <= kRealTolerance * scale;
}

bool IsNumber(DynamicValue::Kind kind) {
  return kind == DynamicValue::Kind::kLong || kind == DynamicValue::Kind::kReal;
}

double NumberOf(const DynamicValue& value) {
  return value.kind() == DynamicValue::Kind::kLong ? static_cast<double>(value.int_value()) : value.real_value();
}

bool DynamicMatches(const DynamicValue& actual, const DynamicValue& expected, int depth) {
  if (depth > kMaxDynamicDepth) return false;
  using Kind = DynamicValue::Kind;
  if (IsNumber(actual.kind()) && IsNumber(expected.kind())) return RealsMatch(NumberOf(actual), NumberOf(expected));
  // References print datetimes, timespans and guids inside dynamic values as strings.
  if (expected.kind() == Kind::kString) {
    switch (actual.kind()) {
      case Kind::kString: return actual.string_value() == expected.string_value();
      case Kind::kGuid: return Lower(actual.string_value()) == Lower(expected.string_value());
      case Kind::kDateTime: {
        auto ticks = ParseDateTime(expected.string_value());
        return ticks && *ticks == actual.int_value();
      }
      case Kind::kTimeSpan: {
        auto ticks = ParseTimeSpan(expected.string_value());
        return ticks && *ticks == actual.int_value();
      }
      case Kind::kReal: {
        auto value = ParseReal(expected.string_value());
        return value && RealsMatch(actual.real_value(), *value);
      }
      default: return false;
    }
  }
  if (actual.kind() != expected.kind()) return false;
  switch (actual.kind()) {
    case Kind::kNull: return true;
    case Kind::kBool: return actual.bool_value() == expected.bool_value();
    case Kind::kArray: {
      if (actual.items().size() != expected.items().size()) return false;
      for (size_t index = 0; index < actual.items().size(); ++index) {
        if (!DynamicMatches(*actual.items()[index], *expected.items()[index], depth + 1)) return false;
      }
      return true;
    }
    case Kind::kObject: {
      if (actual.members().size() != expected.members().size()) return false;
      for (const auto& [key, value] : expected.members()) {
        const DynamicValue* found = actual.Find(key);
        if (found == nullptr || !DynamicMatches(*found, *value, depth + 1)) return false;
      }
      return true;
    }
    default: return actual.Equals(expected);
  }
}

std::optional<bool> ParseBool(const std::string& text) {
  const std::string lower = Lower(text);
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

}  // namespace

std::string KustoTypeName(KqlType type) {
  switch (type) {
    case KqlType::kBool: return "Bool";
    case KqlType::kInt:
    case KqlType::kLong: return "Int";
    case KqlType::kReal:
    case KqlType::kDecimal: return "Real";
    case KqlType::kString: return "String";
    case KqlType::kDateTime: return "DateTime";
    case KqlType::kTimeSpan: return "TimeSpan";
    case KqlType::kGuid: return "Guid";
    case KqlType::kDynamic: return "Dynamic";
    case KqlType::kUnknown: break;
  }
  return "Unknown";
}

std::string DescribeActual(const Value& actual) { return FormatGolden(actual); }

namespace {

std::string TrimmedText(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

/// JSON text without quotes and whitespace: the docs sometimes print ["a","b"] as [a, b].
std::string Unquoted(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != '"' && c != '\'' && !std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

/// A documented cell after undoing the markdown rendering (DocCellVariants): strings compare trimmed, dynamic
/// text may use single quotes (the dynamic-literal syntax) or leave strings unquoted.
bool DocVariantMatches(const Value& actual, const ExpectedCell& expected, const std::string& text) {
  if (actual.type == KqlType::kString) return TrimmedText(actual.string_value) == text;
  if (actual.type == KqlType::kDynamic && actual.is_null) return text.empty();  // Docs print nulls as empty cells.
  if (actual.type == KqlType::kDynamic && !text.empty()) {
    Dynamic parsed = ParseJson(text);
    if (parsed == nullptr) parsed = ParseDynamicLiteral(text);
    if (parsed != nullptr) return DynamicMatches(*actual.dynamic_value, *parsed, 0);
    if (text.front() == '[' || text.front() == '{') return Unquoted(ToJson(*actual.dynamic_value)) == Unquoted(text);
  }
  ExpectedCell variant = expected;
  variant.text = text;
  variant.from_doc = false;
  return CellMatches(actual, variant);
}

}  // namespace

bool CellMatches(const Value& actual, const ExpectedCell& expected) {
  if (!expected.from_doc || expected.kind == ExpectedCell::Kind::kNull) return CellMatchesText(actual, expected);
  if (CellMatchesText(actual, expected)) return true;
  for (const std::string& variant : DocCellVariants(expected.text)) {
    if (DocVariantMatches(actual, expected, variant)) return true;
  }
  return false;
}

bool CellMatchesText(const Value& actual, const ExpectedCell& expected) {
  const std::string& text = expected.text;
  if (actual.type == KqlType::kString) {
    // Strings are never null in KQL; a reference null in a string column is the empty string.
    if (expected.kind == ExpectedCell::Kind::kNull) return actual.string_value.empty();
    return actual.string_value == text;
  }
  if (expected.kind == ExpectedCell::Kind::kNull) return actual.is_null;
  if (actual.type == KqlType::kDynamic) {
    Dynamic parsed = ParseJson(text);
    if (parsed == nullptr && text.find("<br>") != std::string::npos) {
      // The docs' tables break long JSON cells into lines with <br>, which is whitespace to JSON.
      std::string joined = text;
      for (size_t at = joined.find("<br>"); at != std::string::npos; at = joined.find("<br>", at)) joined.replace(at, 4, "\n");
      parsed = ParseJson(joined);
    }
    if (parsed == nullptr) parsed = DynamicValue::MakeString(text);  // The docs print dynamic strings unquoted.
    if (actual.is_null) return parsed->IsNull() || text.empty();  // Docs print empty cells for null dynamics too.
    return DynamicMatches(*actual.dynamic_value, *parsed, 0);
  }
  // Docs print empty cells for nulls of non-string types.
  if (actual.is_null) return text.empty();
  switch (actual.type) {
    case KqlType::kBool: {
      auto value = ParseBool(text);
      if (!value) {
        auto number = ParseReal(text);
        return number && (*number != 0) == (actual.int_value != 0);
      }
      return *value == (actual.int_value != 0);
    }
    case KqlType::kInt:
    case KqlType::kLong: {
      auto value = ParseReal(text);
      return value && RealsMatch(static_cast<double>(actual.int_value), *value);
    }
    case KqlType::kReal:
    case KqlType::kDecimal: {
      auto value = ParseReal(text);
      return value && RealsMatch(actual.real_value, *value);
    }
    case KqlType::kDateTime: {
      auto ticks = ParseDateTime(text);
      return ticks && *ticks == actual.int_value;
    }
    case KqlType::kTimeSpan: {
      auto ticks = ParseTimeSpan(text);
      return ticks && *ticks == actual.int_value;
    }
    case KqlType::kGuid: return Lower(actual.string_value) == Lower(text);
    default: return false;
  }
}

}  // namespace kql::conformance
