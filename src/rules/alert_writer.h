// Alert writer: renders a hunt's alerts (table, JSON lines, JSON, CSV) and its run summary.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "rules/hunt.h"

namespace kql {

/// Output formats for alerts.
enum class AlertFormat { kTable, kJsonl, kJson, kCsv };

/// Parses "table", "jsonl", "json", "csv".
std::optional<AlertFormat> ParseAlertFormat(std::string_view name);

/// Writes every alert of the report.
void WriteAlerts(const HuntReport& report, AlertFormat format, std::ostream& out);

/// Writes the run summary: data read per table, per-rule results, skipped records, time.
void WriteHuntSummary(const HuntReport& report, const std::string& data_note, std::ostream& out);

/// Renders one alert as a JSON object (the jsonl line).
std::string AlertToJson(const HuntReport& report, const Alert& alert);

}  // namespace kql
