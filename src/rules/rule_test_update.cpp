#include "rules/rule_test_update.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>
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

/// A scalar as YAML: single-quoted unless it is a plain number, bool, null, or JSON list/mapping (dynamic cells).
std::string YamlScalar(const std::string& text) {
  if (text.empty()) return "''";
  bool number = text.find_first_not_of("0123456789.-+eE") == std::string::npos &&
                std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (number || text == "true" || text == "false" || text == "null") return text;
  if ((text.front() == '[' && text.back() == ']') || (text.front() == '{' && text.back() == '}')) return text;
  std::string out = "'";
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}

/// A column name as a YAML key: plain when it is a simple identifier.
std::string YamlKey(const std::string& name) {
  bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_';
  });
  return plain ? name : YamlScalar(name);
}

std::vector<std::string> ExpectBlock(const RuleTestCaseResult& test_case, size_t indent) {
  std::string pad(indent, ' ');
  std::vector<std::string> lines = {pad + "expect:", pad + "  alerts: " + std::to_string(test_case.alerts)};
  if (test_case.actual_rows.empty()) return lines;
  lines.push_back(pad + "  rows:");
  for (const auto& row : test_case.actual_rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      lines.push_back(pad + (i == 0 ? "    - " : "      ") + YamlKey(row[i].first) + ": " + YamlScalar(row[i].second));
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
