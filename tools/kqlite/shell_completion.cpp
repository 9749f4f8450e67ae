// Completion candidates: after `|` the tabular operators; elsewhere the columns of the tables the query names
// (or of every loaded table when it names none), table names, function names and the scalar operators.
#include "shell_completion.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "binder/function_registry.h"
#include "catalog/catalog.h"

namespace kql::cli {

namespace {

/// Tabular operators, offered right after `|` (and the words that start a statement or a source).
constexpr std::string_view kTabularOperators[] = {
    "as", "count", "distinct", "evaluate", "extend", "externaldata", "facet", "find", "fork", "getschema",
    "invoke", "join", "limit", "lookup", "make-series", "mv-apply", "mv-expand", "order", "parse", "parse-kv",
    "parse-where", "partition", "project", "project-away", "project-keep", "project-rename", "project-reorder",
    "range", "reduce", "render", "sample", "sample-distinct", "scan", "search", "serialize", "sort", "summarize",
    "take", "top", "top-hitters", "top-nested", "union", "where"};

/// Scalar operators and keywords that appear inside operator arguments and statements.
constexpr std::string_view kScalarWords[] = {
    "and", "asc", "between", "by", "contains", "contains_cs", "datatable", "desc", "endswith", "endswith_cs",
    "has", "has_all", "has_any", "has_cs", "hasprefix", "hassuffix", "in", "kind", "let", "matches",
    "not", "notcontains", "on", "or", "print", "startswith", "startswith_cs", "step", "to", "with"};

const std::vector<DotCommandInfo> kDotCommands = {
    {".tables", "[all]", "List the loaded tables (all: the built-in schemas too)"},
    {".schema", "[TABLE]", "Show a table's columns and types (no TABLE: every loaded table)"},
    {".load", "PATH | TABLE=PATH", "Load a data file or folder (TABLE=PATH forces the table name)"},
    {".format", "table|csv|json|jsonl", "Set the output format (no argument: show it)"},
    {".now", "DATETIME|latest|clock", "Pin now() and ago() (latest: the newest event loaded; clock: the clock)"},
    {".timing", "on|off", "Print each query's run time"},
    {".help", "", "Show this help"},
    {".quit", "", "Leave the shell (also .exit, or Ctrl-D)"},
};

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

bool IsNameCharacter(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// The identifiers in `text` (naive: string literals are not skipped; extra names only widen the candidates).
std::set<std::string, std::less<>> Identifiers(std::string_view text) {
  std::set<std::string, std::less<>> names;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsNameCharacter(text[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && IsNameCharacter(text[i])) ++i;
    names.emplace(text.substr(start, i - start));
  }
  return names;
}

/// The first word of a dot-command line and where its argument starts.
std::string_view DotCommandName(std::string_view line) {
  size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos || line[start] != '.') return {};
  size_t end = line.find_first_of(" \t", start);
  return line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

void AddColumns(const Schema& schema, std::string_view word, std::set<std::string>& out) {
  for (const auto& column : schema) {
    if (StartsWithIgnoringCase(column.name, word)) out.insert(column.name);
  }
}

}  // namespace

const std::vector<DotCommandInfo>& DotCommands() { return kDotCommands; }

bool CompletesFileNames(std::string_view line, size_t start) {
  return DotCommandName(line) == ".load" && start > line.find(".load");
}

std::vector<std::string> FileNameCandidates(std::string_view path, std::string_view word) {
  const size_t slash = path.rfind('/');
  const std::string_view folder = slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash + 1);
  const std::string_view base = path.substr(folder.size());
  if (word.size() > base.size()) return {};
  std::set<std::string> out;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder.empty() ? "." : std::string(folder), error)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with(base) || (base.empty() && name.starts_with("."))) continue;
    std::error_code kind_error;
    if (entry.is_directory(kind_error)) name += "/";
    out.insert(name.substr(base.size() - word.size()));
  }
  return {out.begin(), out.end()};
}

std::vector<std::string> CompletionCandidates(const Engine& engine, std::string_view pending, std::string_view line,
                                              size_t start, std::string_view word) {
  std::set<std::string> out;
  const Catalog& catalog = engine.catalog();
  std::string_view command = pending.empty() ? DotCommandName(line) : std::string_view{};
  if (!command.empty()) {
    if (start <= line.find(command)) {
      for (const auto& dot : kDotCommands) {
        if (dot.name.starts_with(word)) out.emplace(dot.name);
      }
    } else if (command == ".schema" || command == ".tables") {
      for (const auto& name : catalog.TableNames()) {
        if (StartsWithIgnoringCase(name, word)) out.insert(name);
      }
      if (command == ".tables" && std::string_view("all").starts_with(word)) out.emplace("all");
    } else if (command == ".format") {
      for (std::string_view format : {"table", "csv", "json", "jsonl"}) {
        if (format.starts_with(word)) out.emplace(format);
      }
    } else if (command == ".timing") {
      for (std::string_view value : {"on", "off"}) {
        if (value.starts_with(word)) out.emplace(value);
      }
    } else if (command == ".now") {
      for (std::string_view value : {"latest", "clock"}) {
        if (value.starts_with(word)) out.emplace(value);
      }
    } else if (command == ".load") {
      // The path is the rest of the line (blanks included), after the TABLE= of `.load TABLE=PATH`.
      std::string_view path = line.substr(line.find(command) + command.size());
      path.remove_prefix(std::min(path.size(), path.find_first_not_of(" \t")));
      const size_t equals = path.find('=');
      if (equals != std::string_view::npos && path.substr(0, equals).find('/') == std::string_view::npos) {
        path.remove_prefix(equals + 1);
      }
      return FileNameCandidates(path, word);
    }
    return {out.begin(), out.end()};
  }
  // Right after a pipe: a tabular operator.
  size_t before = line.find_last_not_of(" \t", start == 0 ? std::string_view::npos : start - 1);
  if (start > 0 && before != std::string_view::npos && line[before] == '|') {
    for (std::string_view name : kTabularOperators) {
      if (name.starts_with(word)) out.emplace(name);
    }
    return {out.begin(), out.end()};
  }
  // Columns of the tables the query names; of every loaded table when it names none.
  std::string query_text(pending);
  query_text.append(line.substr(0, start));
  bool named_table = false;
  for (const auto& name : Identifiers(query_text)) {
    if (const Schema* schema = catalog.FindTable(name)) {
      named_table = true;
      AddColumns(*schema, word, out);
    }
  }
  if (!named_table) {
    for (const auto& name : engine.TableNames()) {
      if (auto source = engine.Source(name)) AddColumns(source->schema(), word, out);
    }
  }
  for (const auto& name : catalog.TableNames()) {
    if (StartsWithIgnoringCase(name, word)) out.insert(name);
  }
  if (!word.empty()) {
    for (const auto& name : binder::AllFunctionNames()) {
      if (name.starts_with(word)) out.insert(name + "(");
    }
    for (const auto& name : catalog.FunctionNames()) {
      if (name.starts_with(word)) out.insert(name);
    }
    for (std::string_view name : kScalarWords) {
      if (name.starts_with(word)) out.emplace(name);
    }
    for (std::string_view name : kTabularOperators) {
      if (name.starts_with(word) && query_text.find_first_not_of(" \t\r\n") == std::string::npos) out.emplace(name);
    }
  }
  return {out.begin(), out.end()};
}

}  // namespace kql::cli
