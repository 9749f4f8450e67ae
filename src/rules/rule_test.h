// Rule tests (detection-as-code): the model of a `<rule>.tests.yaml` file — a rule, a pinned clock and cases of
// events with the alerts they must (true positive) or must not (false positive) raise — and its loader.
// Running the cases lives in rule_test_runner.h. The format is specified in docs/lint_and_test.md.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rules/sentinel_rule.h"
#include "types/dynamic.h"
#include "rules/layer.h"

namespace kql::rules {

/// Reads a file by path (a disk path, or a "builtin:" path of the embedded pack); nullopt when it cannot.
using RuleFileReader = std::function<std::optional<std::string>(const std::string& path)>;

/// Whether a case's events must raise alerts.
enum class RuleTestKind { kTruePositive, kFalsePositive };

/// The events of one table in one case, as text in the named format.
struct RuleTestEvents {
  std::string table;
  std::string format = "jsonl";  ///< "jsonl" or "csv".
  std::string text;
  int line = 0;  ///< Where the events were written in the test file.
};

/// One expected cell of an alert row.
struct ExpectedCell {
  std::string column;
  std::string text;      ///< As written: the scalar text, or compact JSON for a list or mapping.
  bool is_null = false;  ///< Written as null or ~.
  Dynamic structure;     ///< The list or mapping, for dynamic cells; nullptr for scalars.
};

/// One case of a test file.
struct RuleTestCase {
  std::string name;
  std::string description;
  RuleTestKind kind = RuleTestKind::kTruePositive;
  int line = 0;                      ///< Line of the case in the test file.
  std::optional<int64_t> now_ticks;  ///< Pinned clock; nullopt with now_latest false = the file's clock.
  bool now_latest = false;
  bool has_now = false;  ///< The case sets `now` itself.
  std::vector<RuleTestEvents> events;
  bool has_expect = false;
  std::optional<int64_t> expected_alerts;
  std::optional<size_t> expected_results;  ///< `results`: the number of result rows over all alerts.
  std::vector<std::vector<ExpectedCell>> expected_rows;
};

/// A loaded test file.
struct RuleTestFile {
  std::string path;
  std::string rule_path;             ///< Resolved against the test file's folder.
  std::optional<int64_t> now_ticks;  ///< The file's pinned clock; nullopt = latest event.
  std::vector<RuleTestCase> cases;
};

/// The outcome of loading a test file: the file, or problems (errors make it unusable).
struct RuleTestLoadResult {
  std::optional<RuleTestFile> file;
  std::vector<RuleProblem> problems;
};

/// Loads a test file's text; `path` names it in problems and anchors relative paths; `reader` reads
/// `file:` event files.
RuleTestLoadResult LoadRuleTestText(const std::string& text, const std::string& path, const RuleFileReader& reader);

/// The default rule of a test file: `x.tests.yaml` → `x.yaml`.
std::string DefaultRulePathFor(const std::string& test_path);

/// Resolves `relative` against the folder of `base` (keeps a "builtin:" prefix).
std::string ResolveBeside(const std::string& base, const std::string& relative);

/// Reads files from disk, and "builtin:" paths from the embedded pack.
RuleFileReader DefaultRuleFileReader();

}  // namespace kql::rules
