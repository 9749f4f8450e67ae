#include "rules/rule_test_runner.h"

#include "rules/name_glob.h"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <regex>

#include "rules/builtin_rules.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "types/datetime.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

/// Alert rows printed when a count does not match (the rest are summarised).
constexpr size_t kMaxRowsShown = 5;
/// Tables registered empty for one case before giving up (a query reads few tables).
constexpr int kMaxEmptyTables = 8;
/// Nesting followed when comparing expected dynamic values.
constexpr int kMaxCompareDepth = 64;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

bool NumbersEqual(double expected, double actual) {
  if (expected == actual) return true;  // also equal infinities, whose difference is NaN
  if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
  return std::fabs(expected - actual) <= 1e-9 * std::max(1.0, std::fabs(expected));
}

bool DynamicMatches(const DynamicValue& expected, const DynamicValue& actual, int depth);

/// Compares an expected scalar text with a dynamic scalar.
bool DynamicScalarMatches(const std::string& text, const DynamicValue& actual) {
  using Kind = DynamicValue::Kind;
  switch (actual.kind()) {
    case Kind::kNull:
      return text == "null";
    case Kind::kBool:
      return Lower(text) == (actual.bool_value() ? "true" : "false");
    case Kind::kLong: {
      auto number = ParseNumber(text);
      return number && NumbersEqual(*number, static_cast<double>(actual.int_value()));
    }
    case Kind::kReal: {
      auto number = ParseNumber(text);
      return number && NumbersEqual(*number, actual.real_value());
    }
    case Kind::kString:
      return text == actual.string_value();
    case Kind::kGuid:
      return Lower(text) == Lower(actual.string_value());
    case Kind::kDateTime:
      return ParseDateTime(text) == std::optional<int64_t>(actual.int_value());
    case Kind::kTimeSpan:
      return ParseTimeSpan(text) == std::optional<int64_t>(actual.int_value());
    default:
      return false;
  }
}

/// Arrays match as multisets (make_set order is unspecified); mappings key by key.
bool DynamicMatches(const DynamicValue& expected, const DynamicValue& actual, int depth) {
  using Kind = DynamicValue::Kind;
  if (depth > kMaxCompareDepth) return false;
  if (expected.kind() == Kind::kArray) {
    if (actual.kind() != Kind::kArray || actual.items().size() != expected.items().size()) return false;
    std::vector<bool> used(actual.items().size(), false);
    for (const auto& item : expected.items()) {
      bool found = false;
      for (size_t i = 0; i < actual.items().size() && !found; ++i) {
        if (!used[i] && DynamicMatches(*item, *actual.items()[i], depth + 1)) used[i] = found = true;
      }
      if (!found) return false;
    }
    return true;
  }
  if (expected.kind() == Kind::kObject) {
    if (actual.kind() != Kind::kObject || actual.members().size() != expected.members().size()) return false;
    for (const auto& [key, value] : expected.members()) {
      const DynamicValue* member = actual.Find(key);
      if (!member || !DynamicMatches(*value, *member, depth + 1)) return false;
    }
    return true;
  }
  if (expected.kind() == Kind::kNull) return actual.IsNull();
  if (expected.kind() == Kind::kString) return DynamicScalarMatches(expected.string_value(), actual);
  if (expected.kind() == Kind::kLong) return DynamicScalarMatches(std::to_string(expected.int_value()), actual);
  if (expected.kind() == Kind::kReal && (actual.kind() == Kind::kReal || actual.kind() == Kind::kLong)) {
    double value = actual.kind() == Kind::kReal ? actual.real_value() : static_cast<double>(actual.int_value());
    return NumbersEqual(expected.real_value(), value);
  }
  return expected.Equals(actual);
}

bool CellMatches(const ExpectedCell& expected, const Value& actual) {
  if (expected.is_null) return actual.is_null || (actual.type == KqlType::kString && actual.string_value.empty());
  if (actual.is_null) return false;
  if (expected.structure) {
    return actual.type == KqlType::kDynamic && actual.dynamic_value &&
           DynamicMatches(*expected.structure, *actual.dynamic_value, 0);
  }
  const std::string& text = expected.text;
  switch (actual.type) {
    case KqlType::kString:
      return actual.string_value == text;
    case KqlType::kGuid:
      return Lower(actual.string_value) == Lower(text);
    case KqlType::kBool:
      return Lower(text) == (actual.int_value ? "true" : "false");
    case KqlType::kInt:
    case KqlType::kLong: {
      auto number = ParseNumber(text);
      return number && NumbersEqual(*number, static_cast<double>(actual.int_value));
    }
    case KqlType::kReal:
    case KqlType::kDecimal: {
      auto number = ParseNumber(text);
      return number && NumbersEqual(*number, actual.real_value);
    }
    case KqlType::kDateTime:
      return ParseDateTime(text) == std::optional<int64_t>(actual.int_value);
    case KqlType::kTimeSpan:
      return ParseTimeSpan(text) == std::optional<int64_t>(actual.int_value);
    case KqlType::kDynamic:
      return actual.dynamic_value && DynamicScalarMatches(text, *actual.dynamic_value);
    default:
      return FormatGolden(actual) == text;
  }
}

const Value* FindCell(const std::vector<std::pair<std::string, Value>>& row, const std::string& column) {
  for (const auto& [name, value] : row) {
    if (name == column) return &value;
  }
  return nullptr;
}

size_t MatchingCells(const std::vector<ExpectedCell>& expected, const std::vector<std::pair<std::string, Value>>& row) {
  size_t count = 0;
  for (const auto& cell : expected) {
    const Value* value = FindCell(row, cell.column);
    if (value && CellMatches(cell, *value)) ++count;
  }
  return count;
}

std::string Quote(const std::string& text) {
  // Plain YAML-ish rendering; quotes only when the text would read differently.
  bool plain = !text.empty() && text.find_first_of(",:{}[]#'\"") == std::string::npos && text.front() != ' ' &&
               text.back() != ' ';
  return plain ? text : "'" + text + "'";
}

std::string RenderExpected(const std::vector<ExpectedCell>& row) {
  std::string out = "{";
  for (size_t i = 0; i < row.size(); ++i) {
    out += (i ? ", " : "") + row[i].column + ": " +
           (row[i].structure || row[i].is_null ? row[i].text : Quote(row[i].text));
  }
  return out + "}";
}

/// Renders an actual row: the given columns only (all when empty).
std::string RenderActual(const std::vector<std::pair<std::string, Value>>& row,
                         const std::vector<std::string>& columns) {
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::string& name, const Value* value) {
    out += (first ? "" : ", ") + name + ": " + (value ? Quote(FormatGolden(*value)) : std::string("<no such column>"));
    first = false;
  };
  if (columns.empty()) {
    for (const auto& [name, value] : row) add(name, &value);
  } else {
    for (const auto& column : columns) add(column, FindCell(row, column));
  }
  return out + "}";
}

/// Maximum bipartite matching of expected rows to alerts (augmenting paths); returns, per expected row, the
/// matched alert index or -1.
std::vector<int> MatchRows(const std::vector<std::vector<ExpectedCell>>& expected,
                           const std::vector<const AlertRow*>& alerts) {
  std::vector<std::vector<size_t>> candidates(expected.size());
  for (size_t e = 0; e < expected.size(); ++e) {
    for (size_t a = 0; a < alerts.size(); ++a) {
      if (MatchingCells(expected[e], *alerts[a]) == expected[e].size()) candidates[e].push_back(a);
    }
  }
  std::vector<int> alert_owner(alerts.size(), -1);
  std::vector<int> match(expected.size(), -1);
  for (size_t e = 0; e < expected.size(); ++e) {
    std::vector<bool> visited(alerts.size(), false);
    // Iterative depth is bounded by the number of expected rows (a test file's size).
    std::function<bool(size_t)> augment = [&](size_t row) {
      for (size_t a : candidates[row]) {
        if (visited[a]) continue;
        visited[a] = true;
        if (alert_owner[a] < 0 || augment(static_cast<size_t>(alert_owner[a]))) {
          alert_owner[a] = static_cast<int>(row);
          match[row] = static_cast<int>(a);
          return true;
        }
      }
      return false;
    };
    augment(e);
  }
  return match;
}

RuleTestCaseResult RunCase(const RuleTestFile& tests, const RuleTestCase& test_case, const SentinelRule& rule,
                           const RuleTestOptions& options) {
  RuleTestCaseResult result;
  result.has_expect = test_case.has_expect;
  result.name = test_case.name;
  result.line = test_case.line;
  result.kind = test_case.kind;
  Engine engine;
  if (options.workspace != nullptr) options.workspace->ApplyTo(engine);
  for (const auto& events : test_case.events) {
    for (const auto& problem : engine.AddDataText(events.table, {}, events.format, events.text))
      result.failures.push_back("events of " + events.table + " (line " + std::to_string(events.line) +
                                "): " + problem);
  }
  // Tables the rule reads but the case leaves out are empty, not missing: the rule must run over no events.
  std::vector<std::string> registered = engine.TableNames();
  for (const auto& table : rule.data_types) {
    if (std::find(registered.begin(), registered.end(), table) == registered.end()) {
      engine.AddDataText(table, {}, "jsonl", "");
      registered.push_back(table);
    }
  }
  std::unique_ptr<CaseTables> moved;
  if (options.move_tables) {
    std::string error;
    moved = options.move_tables(engine, error);
    if (!moved) {
      result.failures.push_back("case tables: " + error);
      return result;
    }
  }
  HuntOptions hunt_options;
  hunt_options.threads = options.threads;
  hunt_options.cancel = options.cancel;
  if (moved) hunt_options.backend = moved->backend();
  hunt_options.strict = true;
  if (test_case.has_now) {
    hunt_options.now_ticks = test_case.now_ticks;
    hunt_options.now_latest = test_case.now_latest;
  } else {
    hunt_options.now_ticks = tests.now_ticks;
    hunt_options.now_latest = !tests.now_ticks.has_value();
  }
  HuntReport report = RunHunt(engine, {rule}, hunt_options);
  // A table the query reads but the case gives no events for is empty, not missing: register it and run again.
  static const std::regex kAbsent(R"(^table (\S+) is absent)");
  for (int attempt = 0; attempt < kMaxEmptyTables && !report.outcomes.at(0).ran; ++attempt) {
    std::smatch match;
    const std::string note = report.outcomes.at(0).note;
    if (!std::regex_search(note, match, kAbsent)) break;
    if (std::find(registered.begin(), registered.end(), match[1].str()) != registered.end()) break;
    engine.AddDataText(match[1].str(), {}, "jsonl", "");
    registered.push_back(match[1].str());
    report = RunHunt(engine, {rule}, hunt_options);
  }
  const RuleOutcome& outcome = report.outcomes.at(0);
  for (const auto& diagnostic : outcome.diagnostics) {
    if (diagnostic.severity == Severity::kError)
      result.failures.push_back("rule query: " + RenderDiagnostic(diagnostic, rule.query));
  }
  if (!outcome.error.empty()) result.failures.push_back("rule query failed: " + outcome.error);
  result.alerts = report.alerts.size();
  if (!outcome.ran) {
    if (result.failures.empty())
      result.failures.push_back("rule did not run" + (outcome.note.empty() ? std::string() : ": " + outcome.note));
    result.passed = false;
    return result;
  }
  std::vector<std::string> shown_columns;
  for (const auto& row : test_case.expected_rows) {
    for (const auto& cell : row) {
      if (std::find(shown_columns.begin(), shown_columns.end(), cell.column) == shown_columns.end())
        shown_columns.push_back(cell.column);
    }
  }
  // Expected rows are matched against the result rows of every alert (a SingleAlert alert carries them all).
  std::vector<const AlertRow*> rows;
  for (const auto& alert : report.alerts) {
    if (alert.rows.empty()) rows.push_back(&alert.row);
    for (const auto& row : alert.rows) rows.push_back(&row);
  }
  result.ran = outcome.error.empty();
  result.results = rows.size();
  for (const AlertRow* row : rows) {
    std::vector<std::pair<std::string, Value>> cells;
    if (shown_columns.empty()) {
      cells = *row;
    } else {
      for (const auto& column : shown_columns) {
        if (const Value* value = FindCell(*row, column)) cells.emplace_back(column, *value);
      }
    }
    result.actual_rows.push_back(std::move(cells));
  }
  auto note = [&](size_t actual) {
    return actual == 0 && !outcome.note.empty() ? " (" + outcome.note + ")" : std::string();
  };
  bool rows_shown = false;
  auto show_rows = [&] {
    if (rows_shown) return;
    rows_shown = true;
    for (size_t i = 0; i < rows.size() && i < kMaxRowsShown; ++i)
      result.failures.push_back("  actual row: " + RenderActual(*rows[i], shown_columns));
    if (rows.size() > kMaxRowsShown)
      result.failures.push_back("  ... and " + std::to_string(rows.size() - kMaxRowsShown) + " more");
  };
  if (test_case.expected_alerts && report.alerts.size() != static_cast<size_t>(*test_case.expected_alerts)) {
    result.failures.push_back("expected " + std::to_string(*test_case.expected_alerts) + " alert(s), got " +
                              std::to_string(report.alerts.size()) + note(report.alerts.size()) + " from " +
                              std::to_string(rows.size()) + " result row(s); grouping: " + rule.aggregation_kind);
    show_rows();
  }
  std::optional<size_t> expected_results = test_case.expected_results;
  if (!expected_results && !test_case.expected_alerts && !test_case.expected_rows.empty())
    expected_results = test_case.expected_rows.size();
  if (expected_results && rows.size() != *expected_results) {
    result.failures.push_back("expected " + std::to_string(*expected_results) + " result row(s), got " +
                              std::to_string(rows.size()) + note(rows.size()));
    show_rows();
  }
  if (!test_case.expected_alerts && !expected_results) {
    if (test_case.kind == RuleTestKind::kFalsePositive && !report.alerts.empty()) {
      result.failures.push_back("expected no alerts (false positive), got " + std::to_string(report.alerts.size()));
      show_rows();
    } else if (test_case.kind == RuleTestKind::kTruePositive && report.alerts.empty()) {
      result.failures.push_back("expected at least one alert (true positive), got none" + note(0));
    }
  }
  std::vector<int> match = MatchRows(test_case.expected_rows, rows);
  for (size_t e = 0; e < test_case.expected_rows.size(); ++e) {
    if (match[e] >= 0) continue;
    const auto& expected = test_case.expected_rows[e];
    result.failures.push_back("expected row not found: " + RenderExpected(expected));
    size_t best = 0;
    const AlertRow* closest = nullptr;
    for (const AlertRow* row : rows) {
      size_t matching = MatchingCells(expected, *row);
      if (!closest || matching > best) {
        best = matching;
        closest = row;
      }
    }
    if (closest) {
      result.failures.push_back("  closest actual row (" + std::to_string(best) + " of " +
                                std::to_string(expected.size()) +
                                " columns match): " + RenderActual(*closest, shown_columns));
    }
  }
  result.passed = result.failures.empty();
  return result;
}

}  // namespace

size_t RuleTestFileResult::Passed() const {
  return static_cast<size_t>(std::count_if(cases.begin(), cases.end(), [](const auto& c) { return c.passed; }));
}

size_t RuleTestFileResult::Failed() const {
  bool file_error = std::any_of(problems.begin(), problems.end(), [](const RuleProblem& p) { return p.is_error; });
  return cases.size() - Passed() + (file_error ? 1 : 0);
}

RuleTestFileResult RunRuleTests(const RuleTestFile& tests, const SentinelRule& rule, const RuleTestOptions& options) {
  RuleTestFileResult result;
  result.path = tests.path;
  result.rule_path = tests.rule_path;
  for (const auto& test_case : tests.cases) {
    if (options.cancel != nullptr && options.cancel->load()) break;
    if (!options.filter.empty() && !GlobMatch(options.filter, test_case.name)) continue;
    auto start = std::chrono::steady_clock::now();
    result.cases.push_back(RunCase(tests, test_case, rule, options));
    result.cases.back().seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return result;
}

RuleTestFileResult RunRuleTestFile(const std::string& path, const RuleFileReader& reader,
                                   const RuleTestOptions& options) {
  RuleTestFileResult result;
  result.path = path;
  std::optional<std::string> text = reader(path);
  if (!text) {
    result.problems.push_back(RuleProblem{true, path, 0, 0, "KQLT002", "Cannot read test file"});
    return result;
  }
  RuleTestLoadResult loaded = LoadRuleTestText(*text, path, reader);
  result.problems = loaded.problems;
  if (!loaded.file) {
    if (result.problems.empty())
      result.problems.push_back(RuleProblem{true, path, 0, 0, "KQLT001", "Test file cannot be loaded"});
    return result;
  }
  result.rule_path = loaded.file->rule_path;
  std::optional<std::string> rule_text = reader(loaded.file->rule_path);
  if (!rule_text) {
    result.problems.push_back(
        RuleProblem{true, path, 0, 0, "KQLT002", "Cannot read the rule under test: " + loaded.file->rule_path});
    return result;
  }
  // The rule file is Sentinel YAML or an ARM export holding that one rule.
  std::vector<RuleLoadResult> rules = LoadRulesText(*rule_text, loaded.file->rule_path);
  size_t rule_count = static_cast<size_t>(
      std::count_if(rules.begin(), rules.end(), [](const RuleLoadResult& one) { return one.rule.has_value(); }));
  if (rule_count > 1) {
    result.problems.push_back(RuleProblem{true, path, 0, 0, "KQLT002",
                                          "The rule file holds " + std::to_string(rule_count) +
                                              " rules; a test's rule file must hold one: " + loaded.file->rule_path});
    return result;
  }
  RuleLoadResult rule;
  for (auto& one : rules) {
    if (one.rule || rule_count == 0) rule.problems.insert(rule.problems.end(), one.problems.begin(), one.problems.end());
    if (one.rule) rule.rule = std::move(one.rule);
  }
  if (!rule.rule) {
    for (const auto& problem : rule.problems) {
      if (problem.is_error) result.problems.push_back(problem);
    }
    return result;
  }
  RuleTestFileResult ran = RunRuleTests(*loaded.file, *rule.rule, options);
  result.cases = std::move(ran.cases);
  return result;
}

std::vector<std::string> FindRuleTestFiles(const std::vector<std::string>& paths, std::vector<std::string>& errors) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(path, error), end; it != end && !error; it.increment(error)) {
        if (it->is_regular_file() && IsRuleTestFile(it->path().string())) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (!fs::exists(path, error)) {
      errors.push_back(path + ": no such file or folder");
    } else if (IsRuleTestFile(path)) {
      files.push_back(path);
    } else {
      fs::path candidate = fs::path(path).replace_extension(".tests.yaml");
      if (fs::exists(candidate, error)) {
        files.push_back(candidate.string());
      } else {
        errors.push_back(path + ": no test file (expected " + candidate.string() + ")");
      }
    }
  }
  return files;
}

std::vector<std::string> BuiltinRuleTestFiles() {
  std::vector<std::string> files;
  for (const auto& file : BuiltinRuleFiles()) {
    if (IsRuleTestFile(file.path)) files.push_back(std::string("builtin:") + file.path);
  }
  return files;
}

}  // namespace kql::rules
