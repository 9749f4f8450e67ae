// kql_conformance: runs the shared conformance cases (Microsoft's engine answers and documented examples) through
// the Engine and reports pass rates per family with failures classified. It measures; it never rewrites cases.
// Usage: kql_conformance [--dir DIR] [--json FILE] [--failures FILE] [--markdown FILE] [--filter TEXT]
//                        [--passed FILE]  (ids of the scored cases that pass, one per line: the regression baseline)
//                        [--timeout SECONDS] [--verbose]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cell_matcher.h"
#include "expected_cell.h"
#include "kqlite/engine.h"
#include "types/datetime.h"
#include "types/dynamic.h"
#include "rules/layer.h"

namespace kql::conformance {

using namespace kql::rules;
namespace {

/// The fixed clock for now()/ago(); cases that depend on it are classified nondeterministic anyway.
constexpr const char* kPinnedNow = "2024-01-01T00:00:00Z";

/// One case from either file, normalised.
struct ConformanceCase {
  std::string id;
  std::string family;
  std::string query;
  std::vector<std::string> column_names;  ///< Empty when the reference's names are unreliable.
  std::vector<std::string> column_types;  ///< Kusto spelling (Int, Real, ...); empty when unknown.
  std::vector<std::vector<ExpectedCell>> rows;
  bool rows_complete = true;
  int64_t expected_row_count = -1;  ///< -1 when unknown.
  bool nondeterministic = false;
  std::string skip_reason;  ///< Non-empty: not run (e.g. several result tables).
};

/// The classified outcome of one case.
struct Outcome {
  std::string status;   ///< pass, parse_error, bind_error, runtime_error, wrong_columns, wrong_rows, wrong_order, crash, timeout
  std::string feature;  ///< For parse/bind errors: the unsupported or unknown name, when known.
  std::string detail;
};

std::string StringField(const DynamicValue& object, std::string_view key) {
  const DynamicValue* field = object.Find(key);
  if (field == nullptr || field->kind() != DynamicValue::Kind::kString) return "";
  return field->string_value();
}

std::vector<std::string> StringList(const DynamicValue* list) {
  std::vector<std::string> out;
  if (list == nullptr || list->kind() != DynamicValue::Kind::kArray) return out;
  for (const auto& item : list->items()) {
    if (item->kind() == DynamicValue::Kind::kString) out.push_back(item->string_value());
    else out.push_back(ToJson(*item));
  }
  return out;
}

std::string CanonicalTypeName(const std::string& name) {
  if (auto type = ParseTypeName(name)) return KustoTypeName(*type);
  return name;
}

bool LooksNondeterministic(const std::string& query) {
  static const std::regex kPattern(
      R"(\b(now|ago|rand|new_guid|current_principal|cursor_current|ingestion_time|take_any|any|sample|sample-distinct|hash_rows)\b\s*[\(\d]|\bsample(-distinct)?\s+\d)");
  return std::regex_search(query, kPattern);
}

bool LoadKustoCases(const std::string& path, std::vector<ConformanceCase>& cases) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    Dynamic json = ParseJson(line);
    if (json == nullptr || json->kind() != DynamicValue::Kind::kObject) continue;
    ConformanceCase item;
    const DynamicValue* id = json->Find("id");
    item.id = id && id->kind() == DynamicValue::Kind::kString ? id->string_value() : (id ? ToJson(*id) : "?");
    item.family = StringField(*json, "family");
    item.query = StringField(*json, "query");
    std::vector<bool> is_dynamic;
    for (const std::string& column : StringList(json->Find("kusto_columns"))) {
      size_t colon = column.rfind(':');
      item.column_names.push_back(column.substr(0, colon));
      item.column_types.push_back(colon == std::string::npos ? "" : column.substr(colon + 1));
      is_dynamic.push_back(item.column_types.back() == "Dynamic");
    }
    for (const std::string& row : StringList(json->Find("kusto_rows"))) {
      std::string error;
      auto cells = ParseKustoRow(row, is_dynamic, &error);
      if (!cells) {
        item.skip_reason = "unparsable reference row: " + error;
        break;
      }
      item.rows.push_back(std::move(*cells));
    }
    if (const DynamicValue* complete = json->Find("rows_complete")) item.rows_complete = complete->bool_value();
    if (const DynamicValue* count = json->Find("kusto_row_count"); count && count->kind() == DynamicValue::Kind::kLong) {
      item.expected_row_count = count->int_value();
    }
    item.nondeterministic =
        StringField(*json, "translator_outcome") == "SkippedNondeterministic" || LooksNondeterministic(item.query);
    cases.push_back(std::move(item));
  }
  return true;
}

bool LoadDocCases(const std::string& path, std::vector<ConformanceCase>& cases) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    Dynamic json = ParseJson(line);
    if (json == nullptr || json->kind() != DynamicValue::Kind::kObject) continue;
    ConformanceCase item;
    const DynamicValue* id = json->Find("id");
    item.id = "doc:" + (id ? ToJson(*id) : std::string("?"));
    item.family = "doc-" + StringField(*json, "page_kind");
    item.query = StringField(*json, "query");
    std::vector<std::string> flags = StringList(json->Find("flags"));
    auto has_flag = [&](const char* flag) { return std::find(flags.begin(), flags.end(), flag) != flags.end(); };
    const DynamicValue* tables = json->Find("n_output_tables");
    if (tables && tables->kind() == DynamicValue::Kind::kLong && tables->int_value() != 1) {
      item.skip_reason = "several result tables";
    }
    if (has_flag("multi_table_output")) item.skip_reason = "several result tables";
    if (has_flag("bare_scalar_expression")) item.skip_reason = "not a query";
    if (!has_flag("columns_mismatch")) {
      item.column_names = StringList(json->Find("expected_columns"));
      std::vector<std::string> typed = StringList(json->Find("kl_result_columns"));
      if (typed.size() == item.column_names.size()) {
        for (const std::string& column : typed) item.column_types.push_back(CanonicalTypeName(column.substr(column.rfind(':') + 1)));
      }
    }
    if (const DynamicValue* rows = json->Find("expected_rows"); rows && rows->kind() == DynamicValue::Kind::kArray) {
      for (const auto& row : rows->items()) {
        std::vector<ExpectedCell> cells;
        for (const std::string& cell : StringList(row.get())) cells.push_back(DocCell(cell));
        item.rows.push_back(std::move(cells));
      }
    }
    item.rows_complete = !has_flag("truncated");
    item.expected_row_count = item.rows_complete ? static_cast<int64_t>(item.rows.size()) : -1;
    item.nondeterministic = has_flag("nondeterministic") || LooksNondeterministic(item.query);
    cases.push_back(std::move(item));
  }
  return true;
}

/// True when the final top-level operator that fixes row order is sort/order/top (outside parentheses).
bool QueryOrdersOutput(const std::string& query) {
  std::string last_operator;
  int depth = 0;
  char quote = 0;
  for (size_t pos = 0; pos < query.size(); ++pos) {
    char c = query[pos];
    if (quote) {
      if (c == '\\') ++pos;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') --depth;
    else if (c == ';' && depth == 0) last_operator.clear();
    else if (c == '|' && depth == 0) {
      size_t start = pos + 1;
      while (start < query.size() && std::isspace(static_cast<unsigned char>(query[start]))) ++start;
      size_t end = start;
      while (end < query.size() && (std::isalnum(static_cast<unsigned char>(query[end])) || query[end] == '-' || query[end] == '_')) ++end;
      std::string word = query.substr(start, end - start);
      static const char* kReordering[] = {"sort", "order", "top", "summarize", "join", "union", "distinct", "mv-expand",
                                          "lookup", "top-nested", "make-series", "evaluate", "partition", "reduce"};
      for (const char* op : kReordering) {
        if (word == op) last_operator = word;
      }
    }
  }
  return last_operator == "sort" || last_operator == "order" || last_operator == "top";
}

bool RowMatches(const std::vector<Value>& actual, const std::vector<ExpectedCell>& expected) {
  if (actual.size() != expected.size()) return false;
  for (size_t index = 0; index < actual.size(); ++index) {
    if (!CellMatches(actual[index], expected[index])) return false;
  }
  return true;
}

std::string DescribeRow(const std::vector<Value>& row) {
  std::string out = "(";
  for (size_t index = 0; index < row.size(); ++index) out += (index ? ", " : "") + DescribeActual(row[index]);
  return out + ")";
}

std::string DescribeExpected(const std::vector<ExpectedCell>& row) {
  std::string out = "(";
  for (size_t index = 0; index < row.size(); ++index) {
    out += index ? ", " : "";
    out += row[index].kind == ExpectedCell::Kind::kNull ? "null" : row[index].text;
  }
  return out + ")";
}

/// Every expected row is matched by a distinct actual row (greedy; rows are small).
bool MultisetContains(const std::vector<std::vector<Value>>& actual, const std::vector<std::vector<ExpectedCell>>& expected,
                      std::string* missing) {
  std::vector<bool> used(actual.size(), false);
  for (const auto& want : expected) {
    bool found = false;
    for (size_t index = 0; index < actual.size() && !found; ++index) {
      if (!used[index] && RowMatches(actual[index], want)) used[index] = found = true;
    }
    if (!found) {
      if (missing) *missing = "missing expected row " + DescribeExpected(want);
      return false;
    }
  }
  return true;
}

std::string FeatureFromMessage(const std::string& message) {
  size_t colon = message.rfind(": ");
  return colon == std::string::npos ? message : message.substr(colon + 2);
}

Outcome Evaluate(Engine& engine, const ConformanceCase& item, const QueryOptions& options) {
  Outcome outcome;
  QueryResult result = engine.Query(item.query, options);
  for (const Diagnostic& diagnostic : result.diagnostics) {
    if (diagnostic.severity != Severity::kError) continue;
    const bool parse = diagnostic.code.rfind("KQL1", 0) == 0;
    outcome.status = parse ? "parse_error" : "bind_error";
    static const char* kUnsupportedCodes[] = {"KQL1103", "KQL1104", "KQL2003", "KQL2008", "KQL2009", "KQL2025"};
    bool unsupported = false;
    for (const char* code : kUnsupportedCodes) unsupported = unsupported || diagnostic.code == code;
    outcome.feature = unsupported ? FeatureFromMessage(diagnostic.message) : diagnostic.code;
    outcome.detail = diagnostic.code + " " + std::to_string(diagnostic.span.line) + ":" +
                     std::to_string(diagnostic.span.col) + " " + diagnostic.message;
    return outcome;
  }
  if (!result.ok) {
    outcome.status = "runtime_error";
    outcome.detail = result.error;
    return outcome;
  }
  const Schema& schema = result.table.schema;
  std::string actual_columns, expected_columns;
  bool columns_ok = true;
  const size_t expected_width = !item.column_names.empty() ? item.column_names.size()
                                : !item.rows.empty()        ? item.rows[0].size()
                                                            : schema.size();
  if (schema.size() != expected_width) columns_ok = false;
  for (size_t index = 0; index < schema.size(); ++index) {
    actual_columns += (index ? ", " : "") + schema[index].name + ":" + KustoTypeName(schema[index].type);
    if (index < item.column_names.size() && schema[index].name != item.column_names[index]) columns_ok = false;
    if (index < item.column_types.size() && !item.column_types[index].empty() &&
        KustoTypeName(schema[index].type) != item.column_types[index]) {
      columns_ok = false;
    }
  }
  for (size_t index = 0; index < item.column_names.size(); ++index) {
    expected_columns += (index ? ", " : "") + item.column_names[index] +
                        (index < item.column_types.size() ? ":" + item.column_types[index] : "");
  }
  if (!columns_ok) {
    outcome.status = "wrong_columns";
    outcome.detail = "expected [" + expected_columns + "] got [" + actual_columns + "]";
    return outcome;
  }
  const std::vector<std::vector<Value>> rows = result.table.Rows();
  if (item.expected_row_count >= 0 && static_cast<int64_t>(rows.size()) != item.expected_row_count) {
    outcome.status = "wrong_rows";
    outcome.detail = "expected " + std::to_string(item.expected_row_count) + " rows, got " + std::to_string(rows.size()) +
                     (rows.empty() ? "" : "; first " + DescribeRow(rows[0]));
    return outcome;
  }
  std::string missing;
  const bool as_multiset = MultisetContains(rows, item.rows, &missing);
  if (!as_multiset) {
    outcome.status = "wrong_rows";
    outcome.detail = missing + (rows.empty() ? "" : "; first actual " + DescribeRow(rows[0]));
    return outcome;
  }
  if (item.rows_complete && QueryOrdersOutput(item.query)) {
    for (size_t index = 0; index < item.rows.size() && index < rows.size(); ++index) {
      if (!RowMatches(rows[index], item.rows[index])) {
        outcome.status = "wrong_order";
        outcome.detail = "row " + std::to_string(index) + ": expected " + DescribeExpected(item.rows[index]) + " got " +
                         DescribeRow(rows[index]);
        return outcome;
      }
    }
  }
  outcome.status = "pass";
  return outcome;
}

std::string Sanitize(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

/// Runs one case in a child process so that a crash or a hang is a classified outcome, not the end of the run.
Outcome RunIsolated(Engine& engine, const ConformanceCase& item, const QueryOptions& options, int timeout_seconds) {
  int fds[2];
  if (pipe(fds) != 0) return Evaluate(engine, item, options);
  std::cout.flush();
  pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    alarm(static_cast<unsigned>(timeout_seconds));
    Outcome outcome;
    try {
      outcome = Evaluate(engine, item, options);
    } catch (const std::exception& error) {
      outcome = {"crash", "", std::string("exception: ") + error.what()};
    }
    std::string line = Sanitize(outcome.status) + "\t" + Sanitize(outcome.feature) + "\t" + Sanitize(outcome.detail);
    if (line.size() > 2000) line.resize(2000);
    line += "\n";
    ssize_t written = write(fds[1], line.data(), line.size());
    (void)written;
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buffer[4096];
  ssize_t count;
  while ((count = read(fds[0], buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(count));
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  if (WIFSIGNALED(status)) {
    if (WTERMSIG(status) == SIGALRM) return {"timeout", "", "over " + std::to_string(timeout_seconds) + "s"};
    return {"crash", "", "signal " + std::to_string(WTERMSIG(status))};
  }
  Outcome outcome;
  std::istringstream fields(text);
  std::getline(fields, outcome.status, '\t');
  std::getline(fields, outcome.feature, '\t');
  std::getline(fields, outcome.detail);
  if (outcome.status.empty()) outcome.status = "crash";
  return outcome;
}

/// Per-family counters.
struct Tally {
  int total = 0;
  int passed = 0;
  int nondeterministic = 0;
  int skipped = 0;
  std::map<std::string, int> by_status;
  int Scored() const { return total - nondeterministic - skipped; }
};

std::string Percent(int part, int whole) {
  if (whole == 0) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * part / whole);
  return buffer;
}

std::string Today() {
  std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", std::gmtime(&now));
  return buffer;
}

std::string JsonString(const std::string& text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

const char* kStatuses[] = {"pass", "parse_error", "bind_error", "runtime_error", "wrong_columns",
                           "wrong_rows", "wrong_order", "crash", "timeout"};

}  // namespace

int Main(int argc, char** argv) {
  std::string dir = std::string(KQLITE_SOURCE_DIR) + "/../shared/conformance";
  std::string json_path, failures_path, markdown_path, filter, passed_path;
  int timeout_seconds = 10;
  bool verbose = false;
  for (int index = 1; index < argc; ++index) {
    std::string arg = argv[index];
    auto next = [&]() -> std::string { return index + 1 < argc ? argv[++index] : ""; };
    if (arg == "--dir") dir = next();
    else if (arg == "--json") json_path = next();
    else if (arg == "--failures") failures_path = next();
    else if (arg == "--markdown") markdown_path = next();
    else if (arg == "--filter") filter = next();
    else if (arg == "--passed") passed_path = next();
    else if (arg == "--timeout") timeout_seconds = std::max(1, std::atoi(next().c_str()));
    else if (arg == "--verbose" || arg == "-v") verbose = true;
    else {
      std::cout << "usage: kql_conformance [--dir DIR] [--json FILE] [--failures FILE] [--markdown FILE]\n"
                   "                       [--filter TEXT] [--timeout SECONDS] [--verbose] [--passed FILE]\n";
      return arg == "-h" || arg == "--help" ? 0 : 2;
    }
  }
  std::vector<ConformanceCase> cases;
  if (!LoadKustoCases(dir + "/kusto_engine_cases.jsonl", cases)) {
    std::cerr << "cannot read " << dir << "/kusto_engine_cases.jsonl\n";
    return 2;
  }
  if (!LoadDocCases(dir + "/doc_cases.jsonl", cases)) std::cerr << "note: no doc_cases.jsonl in " << dir << "\n";

  Engine engine;
  QueryOptions options;
  options.now_ticks = ParseDateTime(kPinnedNow);
  options.threads = 1;

  std::map<std::string, Tally> families;
  Tally total;
  std::map<std::string, int> features;
  std::ofstream failures;
  if (!failures_path.empty()) failures.open(failures_path);
  std::ofstream passed;
  if (!passed_path.empty()) passed.open(passed_path);
  for (const ConformanceCase& item : cases) {
    if (!filter.empty() && item.id.find(filter) == std::string::npos && item.family.find(filter) == std::string::npos &&
        item.query.find(filter) == std::string::npos) {
      continue;
    }
    Tally& family = families[item.family];
    ++family.total;
    ++total.total;
    if (!item.skip_reason.empty()) {
      ++family.skipped;
      ++total.skipped;
      continue;
    }
    Outcome outcome = RunIsolated(engine, item, options, timeout_seconds);
    if (item.nondeterministic) {
      ++family.nondeterministic;
      ++total.nondeterministic;
      continue;
    }
    ++family.by_status[outcome.status];
    ++total.by_status[outcome.status];
    if (outcome.status == "pass") {
      ++family.passed;
      ++total.passed;
      if (passed) passed << item.id << "\n";
      continue;
    }
    if (!outcome.feature.empty() && (outcome.status == "parse_error" || outcome.status == "bind_error")) {
      ++features[outcome.status + ": " + outcome.feature];
    }
    if (verbose) std::cerr << item.id << " [" << outcome.status << "] " << outcome.detail << "\n  " << item.query << "\n";
    if (failures) {
      failures << "{\"id\":" << JsonString(item.id) << ",\"family\":" << JsonString(item.family)
               << ",\"status\":" << JsonString(outcome.status) << ",\"feature\":" << JsonString(outcome.feature)
               << ",\"detail\":" << JsonString(outcome.detail) << ",\"query\":" << JsonString(item.query) << "}\n";
    }
  }

  std::vector<std::pair<std::string, int>> top_features(features.begin(), features.end());
  std::sort(top_features.begin(), top_features.end(), [](const auto& left, const auto& right) {
    return left.second != right.second ? left.second > right.second : left.first < right.first;
  });
  if (top_features.size() > 25) top_features.resize(25);

  // Console table.
  std::printf("%-28s %6s %6s %6s %6s %8s\n", "family", "cases", "scored", "pass", "nondet", "rate");
  for (const auto& [name, tally] : families) {
    std::printf("%-28s %6d %6d %6d %6d %8s\n", name.c_str(), tally.total, tally.Scored(), tally.passed,
                tally.nondeterministic, Percent(tally.passed, tally.Scored()).c_str());
  }
  std::printf("%-28s %6d %6d %6d %6d %8s\n", "TOTAL", total.total, total.Scored(), total.passed, total.nondeterministic,
              Percent(total.passed, total.Scored()).c_str());
  for (const char* status : kStatuses) std::printf("  %-14s %d\n", status, total.by_status[status]);

  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << "{\"date\":" << JsonString(Today()) << ",\"now\":" << JsonString(kPinnedNow) << ",\"total\":{\"cases\":"
        << total.total << ",\"scored\":" << total.Scored() << ",\"passed\":" << total.passed
        << ",\"nondeterministic\":" << total.nondeterministic << ",\"skipped\":" << total.skipped << "},\"outcomes\":{";
    bool first = true;
    for (const char* status : kStatuses) {
      out << (first ? "" : ",") << JsonString(status) << ":" << total.by_status[status];
      first = false;
    }
    out << "},\"families\":[";
    first = true;
    for (const auto& [name, tally] : families) {
      out << (first ? "" : ",") << "{\"family\":" << JsonString(name) << ",\"cases\":" << tally.total
          << ",\"scored\":" << tally.Scored() << ",\"passed\":" << tally.passed
          << ",\"nondeterministic\":" << tally.nondeterministic << ",\"skipped\":" << tally.skipped << "}";
      first = false;
    }
    out << "],\"top_unsupported\":[";
    first = true;
    for (const auto& [feature, count] : top_features) {
      out << (first ? "" : ",") << "{\"feature\":" << JsonString(feature) << ",\"count\":" << count << "}";
      first = false;
    }
    out << "]}\n";
  }
  if (!markdown_path.empty()) {
    std::ofstream out(markdown_path);
    out << "Measured on " << Today() << " by `scripts/conformance.sh` (tools/conformance): " << total.total
        << " cases from `../shared/conformance` (Microsoft's engine answers and documented examples), now pinned to "
        << kPinnedNow << ". Nondeterministic cases (now(), rand(), sample, any...) and multi-table doc examples are "
           "run but not scored.\n\n";
    out << "**Total: " << total.passed << " / " << total.Scored() << " scored cases pass ("
        << Percent(total.passed, total.Scored()) << ").**\n\n";
    out << "| family | cases | scored | pass | rate | parse err | bind err | runtime err | wrong columns | wrong rows | "
           "wrong order | crash/timeout |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& [name, tally] : families) {
      auto count = [&tally = tally](const char* status) {
        auto found = tally.by_status.find(status);
        return found == tally.by_status.end() ? 0 : found->second;
      };
      out << "| " << name << " | " << tally.total << " | " << tally.Scored() << " | " << tally.passed << " | "
          << Percent(tally.passed, tally.Scored()) << " | " << count("parse_error") << " | " << count("bind_error")
          << " | " << count("runtime_error") << " | " << count("wrong_columns") << " | " << count("wrong_rows") << " | "
          << count("wrong_order") << " | " << count("crash") + count("timeout") << " |\n";
    }
    out << "\nTop unsupported or unknown features (parse and bind errors, by count):\n\n| feature | cases |\n|---|---|\n";
    for (const auto& [feature, count] : top_features) out << "| `" << feature << "` | " << count << " |\n";
  }
  return 0;
}

}  // namespace kql::conformance

int main(int argc, char** argv) { return kql::conformance::Main(argc, argv); }
