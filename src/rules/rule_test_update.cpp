#include "rules/rule_test_update.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <vector>
#include "types/datetime.h"
#include "types/dynamic.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

size_t Indent(const std::string& line) {
  size_t first = line.find_first_not_of(' ');
  return first == std::string::npos ? line.size() : first;
}

bool IsBlankOrComment(const std::string& line) {
  size_t first = line.find_first_not_of(" \t\r");
  return first == std::string::npos || line[first] == '#';
}

/// Whether `text` at `at` starts a character YAML reads as a line break or cannot hold in a single-quoted scalar:
/// C0 controls, DEL, U+0085, U+2028 and U+2029. Returns its length in bytes (0 when it is an ordinary character).
size_t SpecialCharacterAt(const std::string& text, size_t at) {
  unsigned char c = static_cast<unsigned char>(text[at]);
  if (c < 0x20 || c == 0x7f) return 1;
  if (c == 0xc2 && at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) == 0x85) return 2;
  if (c == 0xe2 && at + 2 < text.size() && static_cast<unsigned char>(text[at + 1]) == 0x80 &&
      (static_cast<unsigned char>(text[at + 2]) == 0xa8 || static_cast<unsigned char>(text[at + 2]) == 0xa9))
    return 3;
  return 0;
}

/// A string as a YAML scalar that reads back as exactly that string: single-quoted ('' for a quote) when every
/// character is printable, else double-quoted with escapes for the control and line-break characters.
std::string YamlString(const std::string& text) {
  bool printable = true;
  for (size_t i = 0; i < text.size() && printable; ++i) printable = SpecialCharacterAt(text, i) == 0;
  if (printable) {
    std::string out = "'";
    for (char c : text) {
      out.push_back(c);
      if (c == '\'') out.push_back('\'');
    }
    return out + "'";
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    size_t special = SpecialCharacterAt(text, i);
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (special == 0) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (special == 1) {
      out += std::string("\\x") + kHex[c >> 4] + kHex[c & 0xf];
    } else if (special == 2) {
      out += "\\N";  // U+0085
    } else {
      out += static_cast<unsigned char>(text[i + 2]) == 0xa8 ? "\\L" : "\\P";  // U+2028, U+2029
    }
    if (special > 1) i += special - 1;
  }
  return out + "\"";
}

/// A real as YAML: plain when finite (read back as a number), else its golden text quoted ("NaN", "+inf").
std::string YamlReal(double value) {
  if (std::isfinite(value)) return FormatReal(value);
  return YamlString(std::isnan(value) ? "NaN" : value > 0 ? "+inf" : "-inf");
}

/// A dynamic value as YAML that the test loader reads back as a matching expectation: lists and mappings in flow
/// style, strings (and datetimes, timespans, guids) quoted, numbers, booleans and null plain.
std::string YamlDynamic(const DynamicValue& value) {
  using Kind = DynamicValue::Kind;
  switch (value.kind()) {
    case Kind::kNull: return "null";
    case Kind::kBool: return value.bool_value() ? "true" : "false";
    case Kind::kLong: return std::to_string(value.int_value());
    case Kind::kReal: return YamlReal(value.real_value());
    case Kind::kDateTime: return YamlString(FormatDateTime(value.int_value()));
    case Kind::kTimeSpan: return YamlString(FormatTimeSpan(value.int_value()));
    case Kind::kString:
    case Kind::kGuid: return YamlString(value.string_value());
    case Kind::kArray: {
      std::string out = "[";
      for (size_t i = 0; i < value.items().size(); ++i) out += (i ? ", " : "") + YamlDynamic(*value.items()[i]);
      return out + "]";
    }
    case Kind::kObject: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, member] : value.members()) {
        out += (first ? "" : ", ") + YamlString(key) + ": " + YamlDynamic(*member);
        first = false;
      }
      return out + "}";
    }
  }
  return "null";
}

/// A result cell as the YAML scalar (or flow list/mapping) that the test loader reads back as an expectation the
/// same cell matches: strings quoted (an empty one as ''), nulls as null, numbers and booleans plain.
std::string YamlCell(const Value& value) {
  if (value.type == KqlType::kString) return YamlString(value.string_value);
  if (value.is_null) return "null";
  if (value.type == KqlType::kReal || value.type == KqlType::kDecimal) return YamlReal(value.real_value);
  if (value.type == KqlType::kDynamic) return value.dynamic_value ? YamlDynamic(*value.dynamic_value) : "null";
  bool plain = value.type == KqlType::kBool || value.type == KqlType::kInt || value.type == KqlType::kLong;
  return plain ? FormatGolden(value) : YamlString(FormatGolden(value));
}

/// A column name as a YAML key: plain when it is a simple identifier that YAML does not read as null.
std::string YamlKey(const std::string& name) {
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
               std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; }) &&
               name != "null" && name != "Null" && name != "NULL";
  return plain ? name : YamlString(name);
}

std::vector<std::string> ExpectBlock(const RuleTestCaseResult& test_case, size_t indent) {
  std::string pad(indent, ' ');
  std::vector<std::string> lines = {pad + "expect:", pad + "  alerts: " + std::to_string(test_case.alerts)};
  if (test_case.actual_rows.empty()) return lines;
  lines.push_back(pad + "  rows:");
  for (const auto& row : test_case.actual_rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      lines.push_back(pad + (i == 0 ? "    - " : "      ") + YamlKey(row[i].first) + ": " + YamlCell(row[i].second));
    }
  }
  return lines;
}

}  // namespace

RuleTestUpdate UpdateRuleTestText(const std::string& text, const RuleTestFileResult& result) {
  RuleTestUpdate update;
  update.text = text;
  // A file written with CRLF line ends gets CRLF in the new block too (getline keeps each line's '\r').
  const bool crlf = text.find("\r\n") != std::string::npos;
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  // Cases from the last to the first, so earlier line numbers stay valid while later blocks change size.
  std::vector<const RuleTestCaseResult*> cases;
  for (const auto& test_case : result.cases) {
    if (test_case.ran && (!test_case.passed || !test_case.has_expect)) cases.push_back(&test_case);
  }
  std::sort(cases.begin(), cases.end(), [](const auto* a, const auto* b) { return a->line > b->line; });
  for (const RuleTestCaseResult* test_case : cases) {
    if (test_case->line < 1 || static_cast<size_t>(test_case->line) > lines.size()) {
      update.problem = "case '" + test_case->name + "' is not at a line of the file";
      update.text = text;
      update.updated = 0;
      return update;
    }
    // The case's keys start at its first key's column ("  - name: x" → 4); the case ends before the next line
    // indented less than that.
    size_t first = static_cast<size_t>(test_case->line) - 1;
    const std::string& head = lines[first];
    size_t dash = Indent(head);
    size_t key_indent = head.compare(dash, 2, "- ") == 0 ? head.find_first_not_of(' ', dash + 1) : dash;
    size_t end = first + 1;
    while (end < lines.size() && (IsBlankOrComment(lines[end]) || Indent(lines[end]) >= key_indent)) ++end;
    while (end > first + 1 && IsBlankOrComment(lines[end - 1])) --end;
    size_t expect_begin = end;
    size_t expect_end = end;
    for (size_t i = first; i < end; ++i) {
      const std::string& line = lines[i];
      size_t at = i == first ? key_indent : Indent(line);
      if (at != key_indent || line.compare(at, 7, "expect:") != 0) continue;
      expect_begin = i;
      expect_end = i + 1;
      while (expect_end < end && (IsBlankOrComment(lines[expect_end]) || Indent(lines[expect_end]) > key_indent))
        ++expect_end;
      while (expect_end > i + 1 && IsBlankOrComment(lines[expect_end - 1])) --expect_end;
      break;
    }
    if (expect_begin == first) {
      update.problem = "case '" + test_case->name + "' has expect: as its first key; write name: first";
      update.text = text;
      update.updated = 0;
      return update;
    }
    std::vector<std::string> block = ExpectBlock(*test_case, key_indent);
    if (crlf) {
      for (auto& line : block) line += '\r';
    }
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(expect_begin),
                lines.begin() + static_cast<std::ptrdiff_t>(expect_end));
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(expect_begin), block.begin(), block.end());
    ++update.updated;
  }
  if (update.updated == 0) return update;
  update.text.clear();
  for (const auto& line : lines) update.text += line + "\n";
  return update;
}

}  // namespace kql::rules
