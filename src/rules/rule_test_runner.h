// Rule test runner: runs each case of a `<rule>.tests.yaml` file — a fresh engine with the case's events, a hunt
// with the one rule at the pinned clock — and compares the alerts with the expected ones, producing readable
// failure messages. It does not print; `kqlite test` does.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kqlite/engine.h"
#include "plan/plan_backend.h"
#include "rules/rule_test.h"
#include "rules/workspace_definitions.h"
#include "rules/layer.h"

namespace kql::rules {

/// Where a case's tables live while its rule runs, when not in memory (`kqlite test --clickhouse`: a scratch
/// database on a server). Destroying it frees that place (drops the scratch database).
class CaseTables {
 public:
  virtual ~CaseTables() = default;
  /// The back end the case's hunt runs its plans through.
  virtual std::shared_ptr<const plan::PlanBackend> backend() const = 0;
};

/// Moves the tables registered in `engine` (the case's events and its empty tables) elsewhere and registers their
/// new sources in place of the in-memory ones; null with `error` set when it cannot.
using CaseTablesMover = std::function<std::unique_ptr<CaseTables>(Engine& engine, std::string& error)>;

/// Options of a test run.
struct RuleTestOptions {
  std::string filter;  ///< Glob over case names ('*' and '?'); empty runs every case.
  int threads = 1;
  /// Custom tables and stored functions (--schema, --functions) every case's engine gets; may be null.
  const WorkspaceDefinitions* workspace = nullptr;
  /// When set, every case's tables are moved by it before the rule runs (results are compared as locally).
  CaseTablesMover move_tables;
  /// When set and true, no further case starts and the running hunt stops (Ctrl-C); the results are partial.
  const std::atomic<bool>* cancel = nullptr;
};

/// The outcome of one case.
struct RuleTestCaseResult {
  std::string name;
  int line = 0;
  RuleTestKind kind = RuleTestKind::kTruePositive;
  bool passed = false;
  size_t alerts = 0;                  ///< Alerts the rule raised.
  size_t results = 0;                 ///< Result rows over all alerts.
  std::vector<std::string> failures;  ///< Readable lines explaining a failure (expected vs actual).
  double seconds = 0;                 ///< Wall time of the case.
  bool has_expect = false;            ///< The case has an `expect:` block.
  bool ran = false;                   ///< The rule ran (its alerts are what the rule produces).
  /// The result rows (column, value) over all alerts — the expected columns only when the case names some — so
  /// `kqlite test --update` can record them.
  std::vector<std::vector<std::pair<std::string, Value>>> actual_rows;
};

/// The outcome of one test file.
struct RuleTestFileResult {
  std::string path;
  std::string rule_path;
  std::vector<RuleProblem> problems;  ///< Problems with the test or rule file; errors fail the file.
  std::vector<RuleTestCaseResult> cases;

  /// Cases that passed / failed; a file with error problems counts as one failure.
  size_t Passed() const;
  size_t Failed() const;
};

/// Runs the cases of a loaded test file against a loaded rule.
RuleTestFileResult RunRuleTests(const RuleTestFile& tests, const SentinelRule& rule, const RuleTestOptions& options);

/// Loads the test file at `path` and its rule through `reader`, then runs it.
RuleTestFileResult RunRuleTestFile(const std::string& path, const RuleFileReader& reader,
                                   const RuleTestOptions& options);

/// Test files (*.tests.yaml) among the given paths: a test file, a rule file (its sibling test file, if any), or a
/// folder (searched recursively); sorted. Paths that do not exist are reported in `errors`.
std::vector<std::string> FindRuleTestFiles(const std::vector<std::string>& paths, std::vector<std::string>& errors);

/// The built-in pack's test files, as "builtin:" paths.
std::vector<std::string> BuiltinRuleTestFiles();

}  // namespace kql::rules
