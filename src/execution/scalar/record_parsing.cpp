// Parsing of small text records: parse_version (a 1-4 part dotted version to a comparable number) and
// parse_csv (one comma-separated record to a string array).
//
// parse_version("a.b.c.d") is a*1e24 + b*1e16 + c*1e8 + d: each part has 1 to 8 digits, missing parts are 0,
// anything else is null. Kusto returns a 128-bit decimal; kqlite's decimal is a double, so two versions that
// differ only beyond the 15th-16th significant digit (e.g. 10.0.19041.1 and 10.0.19041.2) compare equal
// (docs/compatibility.md).
//
// parse_csv(text): fields separated by ',', a field in double quotes may hold commas and line breaks and writes a
// quote as "". Only the first record is read: an unquoted line break ends it.
#include <cctype>
#include <string>
#include <vector>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

constexpr int kMaxVersionParts = 4;
constexpr size_t kMaxVersionPartDigits = 8;
constexpr double kVersionPartScale = 1e8;

Value ParseVersion(std::span<const Value> args, KqlType) {
  if (args[0].is_null) return Value::Null(KqlType::kReal);
  std::string_view text = args[0].string_value;
  double parts[kMaxVersionParts] = {0, 0, 0, 0};
  int count = 0;
  size_t pos = 0;
  while (true) {
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    size_t digits = pos - start;
    if (digits == 0 || digits > kMaxVersionPartDigits || count == kMaxVersionParts) return Value::Null(KqlType::kReal);
    parts[count++] = std::stod(std::string(text.substr(start, digits)));
    if (pos == text.size()) break;
    if (text[pos] != '.') return Value::Null(KqlType::kReal);
    ++pos;
  }
  double value = 0;
  for (double part : parts) value = value * kVersionPartScale + part;
  return Value::Real(value);
}

Value ParseCsv(std::span<const Value> args, KqlType) {
  std::vector<Dynamic> fields;
  if (args[0].is_null) return Value::FromDynamic(DynamicValue::MakeArray(std::move(fields)));
  std::string_view text = args[0].string_value;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (quoted) {
      if (c == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
        field += '"';
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(DynamicValue::MakeString(std::move(field)));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      break;
    } else {
      field += c;
    }
  }
  fields.push_back(DynamicValue::MakeString(std::move(field)));
  return Value::FromDynamic(DynamicValue::MakeArray(std::move(fields)));
}

constexpr ValueFunctionEntry kRecordParsingFunctions[] = {
    {"parse_version", ParseVersion},
    {"parse_csv", ParseCsv},
};

}  // namespace

void RecordParsingKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                         ColumnVector& out) {
  RunValueFunction(kRecordParsingFunctions, call, args, rows, out);
}

}  // namespace kql::exec
