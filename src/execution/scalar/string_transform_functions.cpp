// String transformation functions: translate, strcmp, isascii, isutf8, replace_strings, regex_quote,
// extract_json (extractjson), new_guid, format_bytes.
// Semantics (KQL docs, doc_cases.jsonl, kusto_engine_cases.jsonl):
//   - translate(search, replacement, text) maps each code point of search to the one at the same position of
//     replacement (its last one when shorter); an empty replacement deletes the characters.
//   - strcmp is an ordinal comparison: -1, 0 or 1.
//   - replace_strings(text, lookups, replacements) replaces every lookup at once; earlier lookups win and later
//     ones cannot overlap their matches.
//   - regex_quote escapes what .NET's Regex.Escape escapes: \ * + ? | { [ ( ) ^ $ . # and white space.
//   - extract_json(path, json[, typeof(T)]) follows a JSONPath; the result is text (a string element's raw text,
//     JSON otherwise) or, with a type, that conversion; missing paths give "" (or null).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "execution/scalar/json_path.h"
#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "types/utf8.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

std::vector<int32_t> CodePoints(std::string_view text) {
  std::vector<int32_t> codes;
  for (size_t pos = 0; pos < text.size();) codes.push_back(NextUtf8(text, pos));
  return codes;
}

Value Translate(std::span<const Value> args, KqlType) {
  const std::vector<int32_t> search = CodePoints(ValueText(args[0]));
  const std::vector<int32_t> replacement = CodePoints(ValueText(args[1]));
  const std::string text = ValueText(args[2]);
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    const size_t start = pos;
    const int32_t code = NextUtf8(text, pos);
    auto found = std::find(search.begin(), search.end(), code);
    if (code < 0 || found == search.end()) {
      out.append(text, start, pos - start);
      continue;
    }
    if (replacement.empty()) continue;
    const size_t index = std::min<size_t>(found - search.begin(), replacement.size() - 1);
    if (replacement[index] >= 0) AppendUtf8(out, static_cast<uint32_t>(replacement[index]));
  }
  return Value::String(std::move(out));
}

Value StrCmp(std::span<const Value> args, KqlType) {
  const int order = ValueText(args[0]).compare(ValueText(args[1]));
  return Value::Int(order < 0 ? -1 : order > 0 ? 1 : 0);
}

Value IsAscii(std::span<const Value> args, KqlType) {
  for (unsigned char c : ValueText(args[0])) {
    if (c >= 0x80) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value IsUtf8(std::span<const Value> args, KqlType) {
  const std::string text = ValueText(args[0]);
  for (size_t pos = 0; pos < text.size();) {
    if (NextUtf8(text, pos) < 0) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value ReplaceStrings(std::span<const Value> args, KqlType) {
  const std::string text = ValueText(args[0]);
  const Dynamic lookups = ValueDynamic(args[1]);
  const Dynamic replacements = ValueDynamic(args[2]);
  if (lookups->kind() != DynamicValue::Kind::kArray || replacements->kind() != DynamicValue::Kind::kArray) {
    return Value::String(text);
  }
  struct Match {
    size_t start;
    size_t length;
    std::string replacement;
  };
  std::vector<Match> matches;
  for (size_t index = 0; index < lookups->items().size(); ++index) {
    const Dynamic& lookup = lookups->items()[index];
    if (!lookup || lookup->kind() != DynamicValue::Kind::kString || lookup->string_value().empty()) continue;
    const std::string& needle = lookup->string_value();
    // A replacement that is not a string leaves its lookup's matches as they are (they still block later lookups).
    std::string replacement = needle;
    if (index < replacements->items().size() && replacements->items()[index] &&
        replacements->items()[index]->kind() == DynamicValue::Kind::kString) {
      replacement = replacements->items()[index]->string_value();
    }
    for (size_t found = text.find(needle); found != std::string::npos; found = text.find(needle, found + 1)) {
      const bool overlaps = std::any_of(matches.begin(), matches.end(), [&](const Match& match) {
        return found < match.start + match.length && match.start < found + needle.size();
      });
      if (!overlaps) matches.push_back(Match{found, needle.size(), replacement});
    }
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) { return a.start < b.start; });
  std::string out;
  size_t position = 0;
  for (const Match& match : matches) {
    out.append(text, position, match.start - position);
    out += match.replacement;
    position = match.start + match.length;
  }
  out.append(text, position);
  return Value::String(std::move(out));
}

Value RegexQuote(std::span<const Value> args, KqlType) {
  std::string out;
  for (char c : ValueText(args[0])) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\f': out += "\\f"; break;
      case ' ': out += "\\ "; break;
      case '\\': case '*': case '+': case '?': case '|': case '{': case '[': case '(': case ')': case '^': case '$':
      case '.': case '#':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return Value::String(std::move(out));
}

// extract_json: the element's text, then converted to the result type when typeof(T) was given.
Value ExtractJson(std::span<const Value> args, KqlType result_type) {
  const std::string path = ValueText(args[0]);
  const std::string json = ValueText(args[1]);
  std::optional<std::vector<JsonPathStep>> steps = path.starts_with('$') ? ParseJsonPath(path) : std::nullopt;
  Dynamic root = steps ? ParseJson(json) : nullptr;
  const DynamicValue* node = root ? FollowJsonPath(*root, *steps) : nullptr;
  if (node == nullptr || node->IsNull()) return Value::Null(result_type);
  std::string text;
  AppendDynamicText(*node, text);
  switch (result_type) {
    case KqlType::kString: return Value::String(std::move(text));
    case KqlType::kLong:
    case KqlType::kInt:
      if (node->kind() == DynamicValue::Kind::kLong) return result_type == KqlType::kInt ? Value::Int(node->int_value()) : Value::Long(node->int_value());
      if (node->kind() == DynamicValue::Kind::kReal) return Value::Long(static_cast<int64_t>(node->real_value()));
      try {
        size_t used = 0;
        const int64_t value = std::stoll(text, &used);
        if (used == text.size()) return Value::Long(value);
      } catch (...) {
      }
      return Value::Null(result_type);
    case KqlType::kReal:
      if (node->kind() == DynamicValue::Kind::kLong) return Value::Real(static_cast<double>(node->int_value()));
      if (node->kind() == DynamicValue::Kind::kReal) return Value::Real(node->real_value());
      return Value::Null(result_type);
    case KqlType::kBool:
      if (node->kind() == DynamicValue::Kind::kBool) return Value::Bool(node->bool_value());
      return Value::Null(result_type);
    case KqlType::kDateTime:
      if (std::optional<int64_t> ticks = ParseDateTime(text)) return Value::DateTime(*ticks);
      return Value::Null(result_type);
    case KqlType::kTimeSpan:
      if (std::optional<int64_t> ticks = ParseTimeSpan(text)) return Value::TimeSpan(*ticks);
      return Value::Null(result_type);
    case KqlType::kDynamic: return Value::FromDynamic(ParseJson(ToJson(*node)));
    default: return Value::String(std::move(text));
  }
}

Value NewGuid(std::span<const Value>, KqlType) {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  const uint64_t halves[2] = {generator(), generator()};
  for (int index = 0; index < 32; ++index) {
    int digit = static_cast<int>((halves[index / 16] >> (4 * (index % 16))) & 0xF);
    if (index == 12) digit = 4;                   // Version 4.
    if (index == 16) digit = 8 | (digit & 0x3);   // RFC 4122 variant.
    if (index == 8 || index == 12 || index == 16 || index == 20) text += '-';
    text += kDigits[digit];
  }
  return Value::Guid(std::move(text));
}

// format_bytes(size[, precision[, unit]]): the largest unit the size reaches (or the given one), 1024-based.
Value FormatBytes(std::span<const Value> args, KqlType) {
  static constexpr std::string_view kUnits[] = {"Bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
  std::optional<double> size = ValueNumber(args[0]);
  if (!size) return Value::String("");
  std::optional<double> precision = args.size() > 1 ? ValueNumber(args[1]) : std::optional<double>(0.0);
  if (!precision || *precision < 0 || *precision > 15) return Value::String("");
  size_t unit = 0;
  const std::string wanted = args.size() > 2 ? ValueText(args[2]) : std::string();
  if (!wanted.empty()) {
    while (unit < std::size(kUnits) && !std::equal(wanted.begin(), wanted.end(), kUnits[unit].begin(), kUnits[unit].end(),
                                                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      ++unit;
    }
    if (unit == std::size(kUnits)) return Value::String("");
  } else {
    while (unit + 1 < std::size(kUnits) && std::fabs(*size) >= std::pow(1024.0, static_cast<double>(unit + 1))) ++unit;
  }
  const double scaled = *size / std::pow(1024.0, static_cast<double>(unit));
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", static_cast<int>(*precision), scaled);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    // Trailing zeros of the fraction are dropped: format_bytes(1024, 2) is "1 KB".
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return Value::String(text + " " + std::string(kUnits[unit]));
}

constexpr ValueFunctionEntry kStringTransformFunctions[] = {
    {"format_bytes", FormatBytes},
    {"translate", Translate},           {"strcmp", StrCmp},           {"isascii", IsAscii},
    {"isutf8", IsUtf8},                 {"replace_strings", ReplaceStrings}, {"regex_quote", RegexQuote},
    {"extract_json", ExtractJson},      {"new_guid", NewGuid},
};

}  // namespace

void StringTransformKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                           ColumnVector& out) {
  RunValueFunction(kStringTransformFunctions, call, args, rows, out);
}

}  // namespace kql::exec
