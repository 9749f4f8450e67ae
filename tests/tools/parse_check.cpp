// parse_check: runs the kqlite parser over JSON lines ({"id": ..., "query": "..."}) from stdin and prints
// `id<TAB>ok|error<TAB>first diagnostic` per line. Used by scripts/parse_agreement.sh; not part of the product.
// With --reparse, a query that parses is also printed, re-parsed and printed again; a difference is reported
// as `id<TAB>reparse-mismatch<TAB>...`.
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include "syntax/ast_printer.h"
#include "syntax/parser.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace {

// Skips a JSON value starting at `pos` and returns the position after it (strings, numbers, literals, nesting).
size_t SkipValue(std::string_view line, size_t pos);

size_t SkipString(std::string_view line, size_t pos) {
  ++pos;
  while (pos < line.size() && line[pos] != '"') {
    if (line[pos] == '\\') ++pos;
    ++pos;
  }
  return pos + 1;
}

size_t SkipValue(std::string_view line, size_t pos) {
  if (pos >= line.size()) return pos;
  if (line[pos] == '"') return SkipString(line, pos);
  if (line[pos] == '{' || line[pos] == '[') {
    int depth = 0;
    while (pos < line.size()) {
      const char c = line[pos];
      if (c == '"') {
        pos = SkipString(line, pos);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        --depth;
        if (depth == 0) return pos + 1;
      }
      ++pos;
    }
    return pos;
  }
  while (pos < line.size() && line[pos] != ',' && line[pos] != '}') ++pos;
  return pos;
}

void AppendUtf8(std::string& out, unsigned code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::string DecodeString(std::string_view line, size_t pos) {
  std::string out;
  ++pos;
  while (pos < line.size() && line[pos] != '"') {
    char c = line[pos];
    if (c != '\\') {
      out.push_back(c);
      ++pos;
      continue;
    }
    const char esc = pos + 1 < line.size() ? line[pos + 1] : '\\';
    pos += 2;
    switch (esc) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        unsigned code_point = static_cast<unsigned>(std::stoul(std::string(line.substr(pos, 4)), nullptr, 16));
        pos += 4;
        if (code_point >= 0xD800 && code_point < 0xDC00 && line.substr(pos, 2) == "\\u") {
          const unsigned low = static_cast<unsigned>(std::stoul(std::string(line.substr(pos + 2, 4)), nullptr, 16));
          code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
          pos += 6;
        }
        AppendUtf8(out, code_point);
        break;
      }
      default: out.push_back(esc); break;
    }
  }
  return out;
}

// Returns the raw JSON text of a top-level field value, or empty when absent.
bool FindField(std::string_view line, std::string_view field, size_t* value_pos) {
  size_t pos = line.find('{');
  if (pos == std::string_view::npos) return false;
  ++pos;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == ',')) ++pos;
    if (pos >= line.size() || line[pos] != '"') return false;
    const size_t key_end = SkipString(line, pos);
    const std::string_view key = line.substr(pos + 1, key_end - pos - 2);
    pos = key_end;
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == ':')) ++pos;
    if (key == field) {
      *value_pos = pos;
      return true;
    }
    pos = SkipValue(line, pos);
  }
  return false;
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const bool reparse = argc > 1 && std::string_view(argv[1]) == "--reparse";
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    size_t id_pos = 0;
    size_t query_pos = 0;
    std::string id = "?";
    if (FindField(line, "id", &id_pos)) {
      const size_t end = SkipValue(line, id_pos);
      id = line[id_pos] == '"' ? DecodeString(line, id_pos) : line.substr(id_pos, end - id_pos);
    }
    if (!FindField(line, "query", &query_pos) || line[query_pos] != '"') {
      std::cout << id << "\terror\tno query field\n";
      continue;
    }
    const std::string query = DecodeString(line, query_pos);
    const ParseResult result = Parse(query);
    if (result.ok() && reparse) {
      const std::string printed = PrintAst(result.query);
      const ParseResult again = Parse(printed);
      const std::string printed_again = PrintAst(again.query);
      if (!again.ok() || printed != printed_again) {
        std::cout << id << "\treparse-mismatch\t"
                  << (again.ok() ? "different tree" : again.diagnostics.items().front().message) << "\n"
                  << printed << "\n----\n" << printed_again << "\n====\n";
        continue;
      }
    }
    if (result.ok()) {
      std::cout << id << "\tok\t\n";
    } else {
      const Diagnostic& first = result.diagnostics.items().front();
      std::cout << id << "\terror\t" << first.code << " " << first.span.line << ":" << first.span.col << " "
                << OneLine(first.message) << "\n";
    }
  }
  return 0;
}
