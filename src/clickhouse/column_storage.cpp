// Column storage: CREATE types, foreign type inference, TabSeparated cells in and out.
#include "clickhouse/column_storage.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "types/datetime.h"
#include "types/dynamic.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

namespace {

void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: out += c;
    }
  }
}

std::string Unescape(std::string_view cell) {
  std::string out;
  out.reserve(cell.size());
  for (size_t i = 0; i < cell.size(); ++i) {
    char c = cell[i];
    if (c != '\\' || i + 1 == cell.size()) {
      out += c;
      continue;
    }
    char next = cell[++i];
    switch (next) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case '0': out += '\0'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'a': out += '\a'; break;
      case 'v': out += '\v'; break;
      default: out += next;
    }
  }
  return out;
}

bool HasEscape(std::string_view cell) { return cell.find('\\') != std::string_view::npos; }

// Strips one wrapper like "Nullable(" ... ")" from a server type; true when it was there.
bool Unwrap(std::string_view& type, std::string_view wrapper) {
  if (type.size() > wrapper.size() + 1 && type.substr(0, wrapper.size()) == wrapper && type[wrapper.size()] == '(' &&
      type.back() == ')') {
    type = type.substr(wrapper.size() + 1, type.size() - wrapper.size() - 2);
    return true;
  }
  return false;
}

// "2026-02-22 12:00:00.5701653" for DateTime64(7) input.
std::string DateTimeText(int64_t ticks, int scale) {
  CivilTime civil = CivilFromTicks(ticks);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02d-%02d %02d:%02d:%02d", static_cast<long long>(civil.year), civil.month,
                civil.day, civil.hour, civil.minute, civil.second);
  std::string out = text;
  if (scale > 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, "%07lld", static_cast<long long>(civil.fraction));
    out += '.';
    out.append(fraction, static_cast<size_t>(scale < 7 ? scale : 7));
  }
  return out;
}

}  // namespace

Schema RemoteTable::schema() const {
  Schema result;
  for (const RemoteColumn& column : columns) result.push_back({column.name, column.type});
  return result;
}

std::string CreateType(KqlType type, bool has_datetime64) {
  switch (type) {
    case KqlType::kString: return "String";
    case KqlType::kBool: return "Nullable(UInt8)";
    case KqlType::kInt:
    case KqlType::kLong:
    case KqlType::kTimeSpan: return "Nullable(Int64)";
    case KqlType::kReal:
    case KqlType::kDecimal: return "Nullable(Float64)";
    case KqlType::kDateTime: return has_datetime64 ? "Nullable(DateTime64(7, 'UTC'))" : "Nullable(Int64)";
    default: return "Nullable(String)";
  }
}

RemoteColumn CreatedColumn(const std::string& name, KqlType type, bool has_datetime64) {
  RemoteColumn column;
  column.name = name;
  column.type = type;
  switch (type) {
    case KqlType::kString: column.storage = Storage::kString; break;
    case KqlType::kBool:
    case KqlType::kInt:
    case KqlType::kLong: column.storage = Storage::kInt; break;
    case KqlType::kTimeSpan: column.storage = Storage::kTicks; break;
    case KqlType::kReal:
    case KqlType::kDecimal: column.storage = Storage::kFloat; break;
    case KqlType::kDateTime:
      column.storage = has_datetime64 ? Storage::kDateTime64 : Storage::kTicks;
      column.scale = 7;
      break;
    default: column.storage = Storage::kNullableString;
  }
  return column;
}

bool ColumnFromServerType(const std::string& name, std::string_view server_type, RemoteColumn& column) {
  column.name = name;
  std::string_view type = server_type;
  bool nullable = false;
  Unwrap(type, "LowCardinality");
  if (Unwrap(type, "Nullable")) nullable = true;
  Unwrap(type, "LowCardinality");
  if (type == "String" || type.substr(0, 11) == "FixedString") {
    column.type = KqlType::kString;
    column.storage = nullable ? Storage::kNullableString : Storage::kString;
    return true;
  }
  if (type == "UInt8" || type == "Bool") {
    column.type = type == "Bool" ? KqlType::kBool : KqlType::kLong;
    column.storage = Storage::kInt;
    return true;
  }
  if (type == "Int8" || type == "Int16" || type == "Int32" || type == "Int64" || type == "UInt16" ||
      type == "UInt32") {
    column.type = KqlType::kLong;
    column.storage = Storage::kInt;
    return true;
  }
  if (type == "UInt64") {
    column.type = KqlType::kLong;
    column.storage = Storage::kUInt64;
    return true;
  }
  if (type == "UUID") {
    column.type = KqlType::kGuid;
    column.storage = Storage::kText;
    return true;
  }
  if (type == "IPv4" || type == "IPv6" || type.substr(0, 6) == "Enum8(" || type.substr(0, 7) == "Enum16(") {
    // Read as the text ClickHouse prints ("10.0.0.1", "::ffff:10.0.0.1", the enum's name), a KQL string.
    column.type = KqlType::kString;
    column.storage = Storage::kText;
    return true;
  }
  if (type == "Date") {
    column.type = KqlType::kDateTime;
    column.storage = Storage::kDate;
    return true;
  }
  if (type == "Float32" || type == "Float64") {
    column.type = KqlType::kReal;
    column.storage = Storage::kFloat;
    return true;
  }
  if (type == "DateTime" || type.substr(0, 9) == "DateTime(") {
    column.type = KqlType::kDateTime;
    column.storage = Storage::kDateTime;
    return true;
  }
  if (type.substr(0, 11) == "DateTime64(") {
    column.type = KqlType::kDateTime;
    column.storage = Storage::kDateTime64;
    column.scale = std::atoi(std::string(type.substr(11)).c_str());
    return column.scale >= 0 && column.scale <= 9;
  }
  return false;
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`' || c == '\\') out += '\\';
    out += c;
  }
  return out + "`";
}

std::string QuoteString(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    switch (c) {
      case '\'': out += "\\'"; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      default: out += c;
    }
  }
  return out + "'";
}

std::string WireExpression(const RemoteColumn& column) {
  std::string name = QuoteIdentifier(column.name);
  switch (column.storage) {
    case Storage::kDateTime: return "(toInt64(toUInt32(" + name + ")) * 10000000)";
    case Storage::kDateTime64: {
      // toUnixTimestamp64Nano covers 1900..2262, DateTime64's own range for these scales.
      if (column.scale == 7) return "intDiv(toUnixTimestamp64Nano(" + name + "), 100)";
      // The stored Int64 counts units of 10^-scale s since 1970.
      int64_t factor = 1;
      for (int i = std::min(column.scale, 7); i < std::max(column.scale, 7); ++i) factor *= 10;
      std::string units = "reinterpretAsInt64(" + name + ")";
      if (column.scale < 7) return "(" + units + " * " + std::to_string(factor) + ")";
      // Finer than ticks: floor, as the local reader drops the digits past the seventh (also before 1970).
      std::string step = std::to_string(factor);
      return "(intDiv(" + units + ", " + step + ") - (" + units + " % " + step + " < 0))";
    }
    case Storage::kDate: return "(toInt64(toUInt16(" + name + ")) * 864000000000)";
    case Storage::kUInt64:
      return "if(" + name + " > toUInt64(9223372036854775807), NULL, toInt64(" + name + "))";
    case Storage::kText:
      // Null reads as "" for a KQL string (never null) and as a null guid.
      if (column.type == KqlType::kString) return "ifNull(toString(" + name + "), '')";
      return "toString(" + name + ")";
    case Storage::kInt:
      if (column.type == KqlType::kBool) return "toUInt8(" + name + " != 0)";
      return "toInt64(" + name + ")";
    case Storage::kFloat: return "toFloat64(" + name + ")";
    case Storage::kNullableString:
      // A foreign Nullable(String) column read as a KQL string: null is "" (so `x == ""` holds as it does locally).
      if (column.type == KqlType::kString) return "ifNull(" + name + ", '')";
      return name;
    default: return name;
  }
}

void AppendTsvCell(std::string& out, const ColumnVector& vector, size_t row, const RemoteColumn& column) {
  if (column.storage == Storage::kString) {
    AppendEscaped(out, vector.IsNull(row) ? std::string_view() : vector.strings()[row]);
    return;
  }
  if (vector.IsNull(row)) {
    out += "\\N";
    return;
  }
  switch (vector.physical_type()) {
    case PhysicalType::kInt64: {
      int64_t value = vector.ints()[row];
      if (column.storage == Storage::kDateTime64) {
        out += DateTimeText(value, column.scale);
      } else if (column.storage == Storage::kDateTime) {
        out += DateTimeText(value, 0);
      } else {
        out += std::to_string(value);
      }
      return;
    }
    case PhysicalType::kDouble: {
      double value = vector.reals()[row];
      if (std::isnan(value)) {
        out += "nan";
      } else if (std::isinf(value)) {
        out += value > 0 ? "inf" : "-inf";
      } else {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", value);
        out += text;
      }
      return;
    }
    case PhysicalType::kString: AppendEscaped(out, vector.strings()[row]); return;
    case PhysicalType::kDynamic: AppendEscaped(out, ToJson(*vector.dynamics()[row])); return;
  }
}

bool AppendWireCell(std::string_view cell, ColumnVector& vector) {
  KqlType type = vector.type();
  if (type == KqlType::kString) {
    if (cell == "\\N") {
      vector.AppendString("");
    } else if (HasEscape(cell)) {
      vector.AppendString(Unescape(cell));
    } else {
      vector.AppendString(cell);
    }
    return true;
  }
  if (cell == "\\N") {
    vector.AppendNull();
    return true;
  }
  switch (vector.physical_type()) {
    case PhysicalType::kInt64: {
      std::string text(cell);
      char* end = nullptr;
      errno = 0;
      long long value = std::strtoll(text.c_str(), &end, 10);
      if (end == text.c_str() || *end != '\0' || errno != 0) return false;
      vector.AppendInt(type == KqlType::kBool ? (value != 0) : value);
      return true;
    }
    case PhysicalType::kDouble: {
      std::string text(cell);
      char* end = nullptr;
      double value = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0') return false;
      vector.AppendReal(value);
      return true;
    }
    case PhysicalType::kString: vector.AppendString(HasEscape(cell) ? Unescape(cell) : std::string(cell)); return true;
    case PhysicalType::kDynamic: {
      std::string text = HasEscape(cell) ? Unescape(cell) : std::string(cell);
      std::string error;
      Dynamic value = ParseJson(text, &error);
      if (!error.empty()) return false;
      vector.AppendDynamic(std::move(value));
      return true;
    }
  }
  return false;
}

}  // namespace kql::clickhouse
