// Hunt: runs Sentinel rules over registered data and turns result rows into alerts — the `kqlite hunt` job.
// Rule scheduling semantics: the hunt's `now` pins now()/ago(); the trigger operator and threshold decide
// whether a rule's results become alerts; each result row becomes one alert.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kqlite/engine.h"
#include "rules/sentinel_rule.h"

namespace kql {

/// Options of one hunt.
struct HuntOptions {
  std::optional<int64_t> now_ticks;  ///< Pinned clock; nullopt = wall clock (or latest when now_latest).
  bool now_latest = false;           ///< Anchor now at the newest event in the data.
  int threads = 0;
  bool strict = false;
};

/// One entity of an alert.
struct AlertEntity {
  std::string type;  ///< Host, Account, IP, URL, File, Process.
  std::vector<std::pair<std::string, std::string>> fields;  ///< identifier, value
};

/// One alert: a rule and one result row.
struct Alert {
  size_t rule_index = 0;  ///< Index into the hunt's rules.
  std::optional<int64_t> start_ticks;
  std::optional<int64_t> end_ticks;
  std::vector<AlertEntity> entities;
  std::vector<std::pair<std::string, Value>> custom_details;
  std::vector<std::pair<std::string, Value>> row;  ///< Column name, value.
};

/// What happened to one rule.
struct RuleOutcome {
  bool ran = false;                 ///< The query executed.
  size_t result_rows = 0;
  bool triggered = false;           ///< The trigger condition held.
  std::vector<Diagnostic> diagnostics;
  std::string error;                ///< Runtime error, if any.
  std::string note;                 ///< Why a rule found nothing (no data for its tables, data outside window).
  double seconds = 0;
};

/// The result of a hunt.
struct HuntReport {
  int64_t now_ticks = 0;
  std::vector<SentinelRule> rules;
  std::vector<RuleOutcome> outcomes;  ///< Parallel to rules.
  std::vector<Alert> alerts;
  std::map<std::string, ScanSummary> scans;  ///< Per table: the largest read of any rule.
  double seconds = 0;
};

/// Runs every rule over the engine's data.
HuntReport RunHunt(Engine& engine, std::vector<SentinelRule> rules, const HuntOptions& options);

/// Finds the newest Timestamp/TimeGenerated over the engine's registered tables.
std::optional<int64_t> LatestEventTicks(Engine& engine, int threads);

}  // namespace kql
