// Hunt: runs Sentinel rules over registered data and turns result rows into alerts (`kqlite hunt`), with Sentinel's
// semantics: a [now - queryPeriod, now] window and scoped exclusions as filters above each source table scan, trigger
// operator/threshold, SingleAlert/AlertPerResult grouping. Rendering alerts is alert_writer.h's job.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kqlite/engine.h"
#include "rules/exclusion.h"
#include "rules/sentinel_rule.h"
#include "rules/layer.h"

namespace kql::rules {

/// Options of one hunt.
struct HuntOptions {
  std::optional<int64_t> now_ticks;  ///< Pinned clock; nullopt = wall clock (or latest when now_latest).
  bool now_latest = false;           ///< Anchor now at the newest event in the data.
  int threads = 0;
  bool strict = false;
  /// Cut each source table to [now - queryPeriod, now] for rules that declare queryPeriod.
  bool apply_window = true;
  /// Rules reading the same table share one pass over it; false makes every rule read for itself (same alerts).
  bool shared_scan = true;
  /// Exclusion files; their watchlists must already be registered with the engine (RegisterWatchlist).
  std::vector<ExclusionSet> exclusions;
  /// A back end (ClickHouse) that runs what it can of every rule's plan; the shared scan is then off.
  std::shared_ptr<const plan::PlanBackend> backend;
  /// Per rule: the memory budget (0 = none) and wall-clock limit (nullopt = none) of each rule's query. A rule over
  /// either does not finish (RuleOutcome::failure) and the other rules still run. The budget also bounds the
  /// shared passes (one over the budget leaves its rules to read for themselves).
  uint64_t max_memory_bytes = 0;
  std::optional<std::chrono::milliseconds> timeout;
  /// When set and it becomes true (Ctrl-C), the running query stops and the rules after it do not run.
  const std::atomic<bool>* cancel = nullptr;
};

/// One entity of an alert.
struct AlertEntity {
  std::string type;  ///< Host, Account, IP, URL, File, Process.
  std::vector<std::pair<std::string, std::string>> fields;  ///< identifier, value
  bool operator==(const AlertEntity& other) const { return type == other.type && fields == other.fields; }
};

/// A result row: column name, value.
using AlertRow = std::vector<std::pair<std::string, Value>>;

/// One alert: a rule and one result row (AlertPerResult) or every result row of the run (SingleAlert).
struct Alert {
  size_t rule_index = 0;  ///< Index into the hunt's rules.
  std::string title;        ///< alertDisplayNameFormat rendered with the first row, else the rule name.
  std::string description;  ///< alertDescriptionFormat rendered with the first row, else the rule description.
  std::string severity;     ///< From alertSeverityColumnName when it holds a valid severity, else the rule's.
  std::vector<std::string> tactics;     ///< From alertTacticsColumnName when set, else the rule's.
  std::vector<std::string> techniques;  ///< From alertTechniquesColumnName when set, else the rule's.
  std::string system_alert_id;          ///< Deterministic GUID from the rule id and the alert's rows.
  std::optional<int64_t> start_ticks;
  std::optional<int64_t> end_ticks;
  std::vector<AlertEntity> entities;  ///< De-duplicated over the alert's rows.
  /// Custom details: a row's value (AlertPerResult) or a dynamic array of every row's value (SingleAlert).
  std::vector<std::pair<std::string, Value>> custom_details;
  std::vector<std::pair<std::string, std::string>> dynamic_properties;  ///< alertDynamicProperties rendered.
  AlertRow row;                ///< The first result row of the alert.
  std::vector<AlertRow> rows;  ///< Every result row of the alert (one for AlertPerResult).
};

/// What one exclusion entry did to one rule.
struct ExclusionEffect {
  size_t set_index = 0;    ///< Index into HuntOptions::exclusions.
  size_t entry_index = 0;  ///< Index into that set's entries.
  std::vector<std::string> tables;  ///< Source tables it filtered.
  uint64_t suppressed_events = 0;   ///< Events in the window it matched (entries counted independently).
};

/// What happened to one rule.
struct RuleOutcome {
  bool ran = false;                 ///< The query executed.
  size_t result_rows = 0;
  bool triggered = false;           ///< The trigger condition held.
  std::vector<Diagnostic> diagnostics;  ///< Positioned in the rule's own query text.
  std::string error;                ///< Runtime error, if any.
  /// kTimeout / kMemoryLimit: a limit stopped the rule before it finished (`error` names it); kCancelled: Ctrl-C.
  QueryFailure failure = QueryFailure::kNone;
  std::string note;                 ///< Why a rule found nothing (no data for its tables, data outside window).
  double seconds = 0;
  std::vector<std::string> tables;  ///< Registered source tables the rule reads.
  std::optional<int64_t> window_start_ticks;  ///< Absent when no window applied (no queryPeriod).
  std::vector<ExclusionEffect> exclusions;
  size_t suppressed_alerts = 0;  ///< Alerts the rule would have raised without its exclusions.
  /// Source tables whose newest event is older than the rule's window start (the window missed the data).
  std::vector<std::string> tables_before_window;
};

/// What the hunt knows about one registered table.
struct TableProfile {
  std::string time_column;  ///< TimeGenerated when it has values, else Timestamp; "" when neither.
  uint64_t events = 0;
  std::optional<int64_t> min_ticks;
  std::optional<int64_t> max_ticks;
};

/// The result of a hunt.
struct HuntReport {
  int64_t now_ticks = 0;
  std::vector<SentinelRule> rules;
  std::vector<RuleOutcome> outcomes;  ///< Parallel to rules.
  std::vector<Alert> alerts;
  std::map<std::string, ScanSummary> scans;  ///< Per table: the largest read of any rule (or of the shared pass).
  std::set<std::string> shared_tables;       ///< Tables the rules read through one shared pass.
  /// With a back end, per table: how its rules read it (one candidate query, or why they queried it each).
  std::map<std::string, std::string> candidate_queries;
  std::map<std::string, TableProfile> tables;
  std::vector<ExclusionSet> exclusions;  ///< As given in the options.
  /// Exclusion problems found while hunting: expired entries, predicates that do not bind (with file positions).
  std::vector<RuleProblem> problems;
  double seconds = 0;
};

/// True when a limit (time, memory) stopped the rule before it finished.
bool StoppedByLimit(const RuleOutcome& outcome);

/// Runs every rule over the engine's data.
HuntReport RunHunt(Engine& engine, std::vector<SentinelRule> rules, const HuntOptions& options);

/// Finds the newest Timestamp/TimeGenerated over the engine's registered tables.
std::optional<int64_t> LatestEventTicks(Engine& engine, int threads);

/// Total suppressed events of an exclusion entry over all rules.
uint64_t SuppressedEvents(const HuntReport& report, size_t set_index, size_t entry_index);

}  // namespace kql::rules
