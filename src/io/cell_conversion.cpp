#include "io/cell_conversion.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "types/datetime.h"
#include "types/dynamic.h"
#include "io/layer.h"

namespace kql::io {

namespace {

bool EqualsIgnoreCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t index = 0; index < text.size(); ++index) {
    char c = text[index];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[index]) return false;
  }
  return true;
}

}  // namespace

std::string_view TrimAscii(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t' || text[begin] == '\r' || text[begin] == '\n')) {
    ++begin;
  }
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r' || text[end - 1] == '\n')) {
    --end;
  }
  return text.substr(begin, end - begin);
}

bool ParseInt64Text(std::string_view text, int64_t* value) {
  if (text.empty()) return false;
  if (text[0] == '+') text.remove_prefix(1);
  auto result = std::from_chars(text.data(), text.data() + text.size(), *value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool ParseRealText(std::string_view text, double* value) {
  if (text.empty()) return false;
  if (EqualsIgnoreCase(text, "nan")) {
    *value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (EqualsIgnoreCase(text, "infinity") || EqualsIgnoreCase(text, "+infinity") || EqualsIgnoreCase(text, "inf") ||
      EqualsIgnoreCase(text, "+inf")) {
    *value = std::numeric_limits<double>::infinity();
    return true;
  }
  if (EqualsIgnoreCase(text, "-infinity") || EqualsIgnoreCase(text, "-inf")) {
    *value = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (text[0] == '+') text.remove_prefix(1);
  auto result = std::from_chars(text.data(), text.data() + text.size(), *value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool ParseBoolText(std::string_view text, bool* value) {
  if (EqualsIgnoreCase(text, "true") || text == "1") {
    *value = true;
    return true;
  }
  if (EqualsIgnoreCase(text, "false") || text == "0") {
    *value = false;
    return true;
  }
  return false;
}

bool SetCellFromText(ColumnVector& column, size_t row, std::string_view text) {
  KqlType type = column.type();
  if (type == KqlType::kString) {
    column.SetString(row, text);
    return true;
  }
  std::string_view trimmed = TrimAscii(text);
  switch (type) {
    case KqlType::kBool: {
      bool value = false;
      if (!ParseBoolText(trimmed, &value)) return false;
      column.ints()[row] = value ? 1 : 0;
      break;
    }
    case KqlType::kInt:
    case KqlType::kLong: {
      int64_t value = 0;
      if (!ParseInt64Text(trimmed, &value)) {
        // Accept integral reals ("3.0", "1e3") as Kusto's ingestion does.
        double real = 0;
        if (!ParseRealText(trimmed, &real) || !std::isfinite(real) || real != std::trunc(real) ||
            std::fabs(real) >= 9.2e18) {
          return false;
        }
        value = static_cast<int64_t>(real);
      }
      if (type == KqlType::kInt &&
          (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max())) {
        return false;
      }
      column.ints()[row] = value;
      break;
    }
    case KqlType::kReal:
    case KqlType::kDecimal: {
      double value = 0;
      if (!ParseRealText(trimmed, &value)) return false;
      column.reals()[row] = value;
      break;
    }
    case KqlType::kDateTime: {
      auto ticks = ParseDateTime(trimmed);
      if (!ticks) return false;
      column.ints()[row] = *ticks;
      break;
    }
    case KqlType::kTimeSpan: {
      auto ticks = ParseTimeSpan(trimmed);
      if (!ticks) return false;
      column.ints()[row] = *ticks;
      break;
    }
    case KqlType::kGuid: {
      std::string lowered(trimmed);
      for (char& c : lowered) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      column.SetString(row, lowered);
      break;
    }
    case KqlType::kDynamic: {
      Dynamic value;
      if (!trimmed.empty() && (trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"' || trimmed[0] == '-' ||
                               (trimmed[0] >= '0' && trimmed[0] <= '9') || trimmed == "true" || trimmed == "false" ||
                               trimmed == "null")) {
        value = ParseJson(trimmed);
      }
      if (!value) value = DynamicValue::MakeString(std::string(text));
      if (value->IsNull()) return true;
      column.dynamics()[row] = std::move(value);
      break;
    }
    default: return false;
  }
  column.SetValid(row, true);
  return true;
}

}  // namespace kql::io
