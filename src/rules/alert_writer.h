// Alert writer: renders a hunt's alerts (table, JSON lines, JSON, CSV, Sentinel's SecurityAlert shape, OCSF
// Detection Findings) and its run summary. It renders only: what an alert holds is decided in hunt.cpp.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "rules/hunt.h"
#include "rules/layer.h"

namespace kql::rules {

/// Output formats for alerts.
enum class AlertFormat { kTable, kJsonl, kJson, kCsv, kSentinel, kOcsf };

/// Parses "table", "jsonl", "json", "csv", "sentinel", "ocsf".
std::optional<AlertFormat> ParseAlertFormat(std::string_view name);

/// Writes every alert of the report.
void WriteAlerts(const HuntReport& report, AlertFormat format, std::ostream& out);

/// Writes the run summary: data read per table, per-rule results, skipped records, time.
void WriteHuntSummary(const HuntReport& report, const std::string& data_note, std::ostream& out);

/// The number of rules of the report that ran.
size_t RulesRun(const HuntReport& report);

/// Why rules did not run or saw no event, one line per reason with the rule count ("527 rule(s) not run: table
/// DeviceProcessEvents is absent (no data given for it)"; "3 rule(s) saw no event: the data of DeviceNetworkEvents
/// ends 2024-10-09, 2 years before their window; try --now latest"). Empty when every rule ran over data.
std::vector<std::string> QuietRuleReasons(const HuntReport& report);

/// Renders one alert as a JSON object (the jsonl line).
std::string AlertToJson(const HuntReport& report, const Alert& alert);

/// Renders one alert as a Log Analytics SecurityAlert record (JSON object, one per line with --format sentinel).
std::string AlertToSecurityAlert(const HuntReport& report, const Alert& alert);

/// Renders one alert as an OCSF 1.1 Detection Finding (class 2004), one per line with --format ocsf.
std::string AlertToOcsf(const HuntReport& report, const Alert& alert);

}  // namespace kql::rules
