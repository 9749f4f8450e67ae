// SentinelRule: the model of a Microsoft Sentinel analytic rule (YAML), with Sentinel's defaults applied for
// missing scheduling fields. Loading lives in rule_loader.h; running in hunt.h.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>
#include "rules/layer.h"

namespace kql::rules {

/// One entity mapping: an entity type and its identifier → column pairs.
struct EntityMapping {
  std::string entity_type;
  std::vector<std::pair<std::string, std::string>> field_mappings;  ///< identifier, columnName
  bool operator==(const EntityMapping&) const = default;
};

/// alertDetailsOverride: alert name/description templates with {{Column}} placeholders and columns that override
/// the rule's severity and tactics per alert.
struct AlertDetailsOverride {
  std::string display_name_format;
  std::string description_format;
  std::string severity_column;
  std::string tactics_column;
  std::string techniques_column;
  std::vector<std::pair<std::string, std::string>> dynamic_properties;  ///< alertProperty, column
  bool operator==(const AlertDetailsOverride&) const = default;
};

/// A 1-based line and column in a rule file.
struct SourcePosition {
  int line = 0;
  int col = 0;
  bool operator==(const SourcePosition&) const = default;
};

/// A loaded analytic rule.
struct SentinelRule {
  std::string path;  ///< File the rule came from (or the built-in path).
  std::string id;
  std::string name;
  std::string description;
  std::string severity = "Medium";
  std::string kind = "Scheduled";
  std::string version;
  std::string status;
  std::string query_frequency = "5h";  ///< As written; Sentinel's default is 5h.
  std::string query_period = "5h";     ///< As written; Sentinel's default is 5h.
  int64_t query_frequency_ticks = 0;
  int64_t query_period_ticks = 0;
  std::string trigger_operator = "gt";  ///< gt, lt, eq, ne (Sentinel's GreaterThan ... spelled either way).
  int64_t trigger_threshold = 0;
  std::vector<std::string> tactics;
  std::vector<std::string> techniques;
  std::vector<std::string> connectors;
  std::vector<std::string> data_types;
  std::vector<EntityMapping> entity_mappings;
  std::vector<std::pair<std::string, std::string>> custom_details;  ///< key, column
  AlertDetailsOverride alert_details_override;
  /// eventGroupingSettings.aggregationKind: "SingleAlert" (Sentinel's default: one alert per run with every result
  /// row) or "AlertPerResult" (one alert per row).
  std::string aggregation_kind = "SingleAlert";
  /// incidentConfiguration as compact JSON ("" when absent); carried through to alerts, not interpreted.
  std::string incident_configuration_json;
  std::string query;
  int query_line = 0;  ///< 1-based line in the file where the query text starts (0 if unknown).
  int query_column = 1;  ///< 1-based column where query lines start in the file.
  /// The query is one JSON string (an ARM export): every query position maps to query_line:query_column.
  bool query_in_json_string = false;
  /// Where each field was written, keyed by path: "id", "tactics", "tactics[0]", "entityMappings[1].entityType",
  /// "entityMappings[1].fieldMappings[0].identifier" (and ".columnName"), "customDetails.Key". A top-level key
  /// is present here exactly when the file has it, so lint can tell a Sentinel default from a written value.
  std::map<std::string, SourcePosition> positions;
  /// Top-level keys in file order (lint reports unknown ones).
  std::vector<std::string> top_level_keys;
  bool operator==(const SentinelRule&) const = default;
};

/// A problem found while loading a rule: severity, position and message.
struct RuleProblem {
  bool is_error = false;
  std::string path;
  int line = 0;
  int col = 0;
  std::string code;
  std::string message;
  bool operator==(const RuleProblem&) const = default;
};

}  // namespace kql::rules
