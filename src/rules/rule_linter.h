// Rule linter: checks Sentinel analytic rule files against Sentinel's schema and limits (required fields, GUID ids,
// severities, MITRE tactics and techniques, entity types and identifiers, scheduling limits) and their KQL against
// the engine's table schemas. It reports findings; it does not fix files or run queries.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "kqlite/engine.h"
#include "rules/rule_loader.h"
#include "rules/rule_test.h"
#include "rules/sentinel_rule.h"
#include "rules/layer.h"

namespace kql::rules {

/// One lint finding, positioned in the linted file.
struct LintFinding {
  Severity severity = Severity::kError;
  std::string code;  ///< KQLRxxx (rule checks) or the engine's KQL code.
  int line = 0;      ///< 1-based; 0 when the finding concerns the whole file.
  int col = 0;       ///< 1-based; 0 when unknown.
  std::string message;
  std::string excerpt;  ///< For KQL findings: the query line and a caret line; else empty.
};

/// The findings of one file.
struct LintedFile {
  std::string path;
  std::string rule_id;                ///< The rule's id as written (empty for .kql files or unloadable rules).
  SourcePosition id_position;         ///< Where the id was written.
  std::vector<LintFinding> findings;  ///< Sorted by line and column.

  /// True when a finding is an error.
  bool HasErrors() const;
  /// Number of findings with the given severity.
  size_t Count(Severity severity) const;
};

/// What lint checks.
struct LintOptions {
  bool syntax_only = false;  ///< Check KQL syntax only (no table/column binding, no result-column checks).
};

/// Lints rule files and .kql files against one engine's catalog.
class RuleLinter {
 public:
  /// The engine supplies the table schemas; it is only parsed and bound against, never queried.
  explicit RuleLinter(Engine& engine, LintOptions options = {});

  /// Lints rule text (Sentinel YAML, or an ARM export in JSON holding one or many rules); `path` names the file.
  LintedFile LintRuleText(const std::string& text, const std::string& path);
  /// Lints a rule file from disk.
  LintedFile LintRuleFile(const std::string& path);
  /// Lints a rule test file (`*.tests.yaml`): its shape (KQLT001), and that its rule and event files can be read
  /// (KQLT002) through `reader`.
  LintedFile LintTestText(const std::string& text, const std::string& path, const RuleFileReader& reader);
  /// Lints a KQL query text (a .kql file).
  LintedFile LintQueryText(const std::string& text, const std::string& path);

  /// Adds KQLR250 to every file whose rule id is also used by another file of the set.
  static void CheckDuplicateIds(std::vector<LintedFile>& files);

 private:
  /// Adds the findings of one loaded rule to `file`.
  void LintLoadedRule(const RuleLoadResult& loaded, LintedFile& file);

  Engine& engine_;
  LintOptions options_;
};

/// A one-line description of a lint code (KQLR...), for SARIF rule metadata; empty for unknown codes.
std::string_view LintCodeDescription(std::string_view code);

/// The tactics a known ATT&CK technique (or its parent, for a sub-technique) belongs to, in Sentinel's spelling;
/// empty when the technique is not in the linter's table.
std::vector<std::string_view> TacticsOfTechnique(std::string_view technique);

}  // namespace kql::rules
