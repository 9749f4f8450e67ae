#include "expected_cell.h"

#include <cctype>
#include <regex>
#include "rules/layer.h"

namespace kql::conformance {

using namespace kql::rules;
namespace {

// JSON cells nest brackets; deeper than this is treated as a malformed reference row.
constexpr int kMaxBracketDepth = 256;

/// Reads a quoted cell starting at row[pos] (a quote); advances pos past the closing quote. The reference rows
/// quote like Python but do not escape: 'O'Brien' and 'back\slash' are raw text, so the closing quote is the one
/// followed by the next ',' or the row's ')'.
bool ReadQuotedCell(std::string_view row, size_t& pos, std::string& out) {
  const char quote = row[pos++];
  while (pos < row.size()) {
    char c = row[pos++];
    if (c == quote) {
      size_t next = pos;
      while (next < row.size() && row[next] == ' ') ++next;
      if (next >= row.size() || row[next] == ',' || row[next] == ')') return true;
    }
    out += c;
  }
  return false;
}

/// Reads a bare token or JSON text up to the next top-level ',' or the row's closing ')'.
bool ReadBare(std::string_view row, size_t& pos, std::string& out) {
  int depth = 0;
  bool in_json_string = false;
  size_t start = pos;
  for (; pos < row.size(); ++pos) {
    char c = row[pos];
    if (in_json_string) {
      if (c == '\\') ++pos;
      else if (c == '"') in_json_string = false;
      continue;
    }
    if (c == '"') in_json_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > kMaxBracketDepth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (depth == 0 && (c == ',' || c == ')')) {
      break;
    }
  }
  size_t end = pos;
  while (end > start && std::isspace(static_cast<unsigned char>(row[end - 1]))) --end;
  out.assign(row.substr(start, end - start));
  return depth == 0;
}

}  // namespace

std::optional<std::vector<ExpectedCell>> ParseKustoRow(std::string_view row, const std::vector<bool>& is_dynamic,
                                                       std::string* error) {
  std::vector<ExpectedCell> cells;
  size_t pos = 0;
  auto skip_space = [&] {
    while (pos < row.size() && std::isspace(static_cast<unsigned char>(row[pos]))) ++pos;
  };
  skip_space();
  if (pos >= row.size() || row[pos] != '(') {
    if (error) *error = "row does not start with '('";
    return std::nullopt;
  }
  ++pos;
  while (true) {
    skip_space();
    if (pos >= row.size()) {
      if (error) *error = "row ends before ')'";
      return std::nullopt;
    }
    if (row[pos] == ')') break;
    ExpectedCell cell;
    const bool dynamic = cells.size() < is_dynamic.size() && is_dynamic[cells.size()];
    if ((row[pos] == '\'' || row[pos] == '"') && !dynamic) {
      cell.kind = ExpectedCell::Kind::kQuoted;
      if (!ReadQuotedCell(row, pos, cell.text)) {
        if (error) *error = "unterminated string";
        return std::nullopt;
      }
    } else {
      if (!ReadBare(row, pos, cell.text)) {
        if (error) *error = "unbalanced brackets";
        return std::nullopt;
      }
      if (cell.text == "null" || cell.text == "None") cell.kind = ExpectedCell::Kind::kNull;
    }
    cells.push_back(std::move(cell));
    skip_space();
    if (pos < row.size() && row[pos] == ',') ++pos;
  }
  return cells;
}

ExpectedCell DocCell(const std::string& text) {
  ExpectedCell cell;
  cell.text = text;
  // Some pages print a null cell as "(null)".
  cell.kind = text == "null" || text == "(null)" ? ExpectedCell::Kind::kNull : ExpectedCell::Kind::kQuoted;
  cell.from_doc = true;
  return cell;
}

namespace {

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

std::string Trimmed(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

/// "1,048,576" -> "1048576"; anything that is not a grouped number is returned unchanged.
std::string WithoutThousandsSeparators(const std::string& text) {
  static const std::regex kGrouped(R"(-?\d{1,3}(,\d{3})+(\.\d+)?)");
  if (!std::regex_match(text, kGrouped)) return text;
  std::string out;
  for (char c : text) {
    if (c != ',') out += c;
  }
  return out;
}

}  // namespace

std::vector<std::string> DocCellVariants(const std::string& text) {
  std::string cell = Trimmed(text);
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') cell = Trimmed(cell.substr(1, cell.size() - 2));
  cell = ReplaceAll(ReplaceAll(ReplaceAll(cell, "<br />", "\n"), "<br/>", "\n"), "<br>", "\n");
  cell = Trimmed(ReplaceAll(cell, "&nbsp;", " "));
  cell = WithoutThousandsSeparators(cell);
  if (cell == "\u221e") cell = "inf";           // The docs print infinities with the sign.
  if (cell == "-\u221e") cell = "-inf";
  static const std::regex kColonDays(R"((-?\d+):(\d\d:\d\d:\d\d(\.\d+)?))");
  std::smatch days;
  if (std::regex_match(cell, days, kColonDays)) cell = days[1].str() + "." + days[2].str();
  // A URL the page rendered as a markdown link to itself: [https://x](https://x).
  static const std::regex kSelfLink(R"(\[([^\]]+)\]\(([^)]+)\))");
  std::smatch link;
  if (std::regex_match(cell, link, kSelfLink) && link[1].str() == link[2].str()) cell = link[1].str();
  std::vector<std::string> variants;
  variants.push_back(cell);
  if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"' &&
      cell.find('"', 1) == cell.size() - 1) {
    variants.push_back(cell.substr(1, cell.size() - 2));
  }
  return variants;
}

}  // namespace kql::conformance
