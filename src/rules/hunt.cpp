#include "rules/hunt.h"

#include <chrono>
#include <set>

#include "catalog/catalog.h"
#include "types/datetime.h"

namespace kql {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool Triggered(const SentinelRule& rule, size_t rows) {
  int64_t count = static_cast<int64_t>(rows);
  if (rule.trigger_operator == "lt") return count < rule.trigger_threshold;
  if (rule.trigger_operator == "eq") return count == rule.trigger_threshold;
  if (rule.trigger_operator == "ne") return count != rule.trigger_threshold;
  return count > rule.trigger_threshold;
}

/// Well-known columns used for entities when a rule has no entity mappings.
struct WellKnownColumn {
  const char* column;
  const char* entity;
  const char* identifier;
};

constexpr WellKnownColumn kWellKnown[] = {
    {"DeviceName", "Host", "HostName"},       {"Computer", "Host", "HostName"},
    {"AccountName", "Account", "Name"},       {"InitiatingProcessAccountName", "Account", "Name"},
    {"AccountUpn", "Account", "UPNSuffix"},   {"RemoteIP", "IP", "Address"},
    {"IPAddress", "IP", "Address"},           {"RemoteUrl", "URL", "Url"},
    {"FileName", "File", "Name"},             {"SHA256", "File", "SHA256"},
    {"InitiatingProcessFileName", "Process", "ProcessName"},
    {"InitiatingProcessCommandLine", "Process", "CommandLine"},
};

std::vector<AlertEntity> EntitiesFor(const SentinelRule& rule, const Schema& schema, const std::vector<Value>& row) {
  std::vector<AlertEntity> entities;
  auto value_of = [&](const std::string& column) -> std::optional<std::string> {
    auto index = FindColumn(schema, column);
    if (!index) return std::nullopt;
    std::string text = FormatText(row[*index]);
    if (text.empty()) return std::nullopt;
    return text;
  };
  if (!rule.entity_mappings.empty()) {
    for (const auto& mapping : rule.entity_mappings) {
      AlertEntity entity;
      entity.type = mapping.entity_type;
      for (const auto& [identifier, column] : mapping.field_mappings) {
        if (auto value = value_of(column)) entity.fields.emplace_back(identifier, *value);
      }
      if (!entity.fields.empty()) entities.push_back(std::move(entity));
    }
    return entities;
  }
  for (const auto& known : kWellKnown) {
    auto value = value_of(known.column);
    if (!value) continue;
    AlertEntity* target = nullptr;
    for (auto& entity : entities) {
      if (entity.type == known.entity) target = &entity;
    }
    if (!target) {
      entities.push_back(AlertEntity{known.entity, {}});
      target = &entities.back();
    }
    bool duplicate = false;
    for (const auto& field : target->fields) duplicate = duplicate || field.first == known.identifier;
    if (!duplicate) target->fields.emplace_back(known.identifier, *value);
  }
  return entities;
}

std::optional<int64_t> TimeColumn(const Schema& schema, const std::vector<Value>& row,
                                  std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto index = FindColumn(schema, name);
    if (index && schema[*index].type == KqlType::kDateTime && !row[*index].is_null) return row[*index].int_value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> LatestEventTicks(Engine& engine, int threads) {
  std::optional<int64_t> latest;
  for (const auto& table : engine.TableNames()) {
    const Schema* schema = engine.catalog().FindTable(table);
    if (!schema) continue;
    for (const char* column : {"Timestamp", "TimeGenerated"}) {
      auto index = FindColumn(*schema, column);
      if (!index || (*schema)[*index].type != KqlType::kDateTime) continue;
      QueryOptions options;
      options.threads = threads;
      options.now_ticks = 0;
      QueryResult result = engine.Query("['" + table + "'] | summarize max(['" + std::string(column) + "'])", options);
      if (!result.ok) continue;
      auto rows = result.table.Rows();
      if (!rows.empty() && !rows[0][0].is_null) {
        if (!latest || rows[0][0].int_value > *latest) latest = rows[0][0].int_value;
      }
    }
  }
  return latest;
}

HuntReport RunHunt(Engine& engine, std::vector<SentinelRule> rules, const HuntOptions& options) {
  auto hunt_start = std::chrono::steady_clock::now();
  HuntReport report;
  report.rules = std::move(rules);
  if (options.now_ticks) {
    report.now_ticks = *options.now_ticks;
  } else if (options.now_latest) {
    // A small margin past the newest event keeps it inside `between (ago(x) .. now())` windows.
    report.now_ticks = LatestEventTicks(engine, options.threads).value_or(0) + kTicksPerSecond;
  } else {
    report.now_ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() /
                       100;
  }
  std::set<std::string> registered;
  for (const auto& name : engine.TableNames()) registered.insert(name);
  for (size_t rule_index = 0; rule_index < report.rules.size(); ++rule_index) {
    const SentinelRule& rule = report.rules[rule_index];
    RuleOutcome outcome;
    auto start = std::chrono::steady_clock::now();
    QueryOptions query_options;
    query_options.now_ticks = report.now_ticks;
    query_options.threads = options.threads;
    query_options.strict = options.strict;
    QueryResult result = engine.Query(rule.query, query_options);
    outcome.seconds = SecondsSince(start);
    outcome.diagnostics = result.diagnostics;
    if (!result.ok) {
      outcome.error = result.error;
      for (const auto& table : rule.data_types) {
        if (!registered.count(table)) outcome.note = "no data for table " + table;
      }
      report.outcomes.push_back(std::move(outcome));
      continue;
    }
    outcome.ran = true;
    outcome.result_rows = result.table.RowCount();
    outcome.triggered = Triggered(rule, outcome.result_rows);
    for (const auto& [table, scan] : result.scans) {
      auto& total = report.scans[table];
      if (scan.rows_read + scan.rows_prefiltered >= total.rows_read + total.rows_prefiltered) total = scan;
    }
    if (outcome.result_rows == 0) {
      bool any_data = false;
      for (const auto& [table, scan] : result.scans) any_data = any_data || scan.rows_read + scan.rows_prefiltered > 0;
      if (result.scans.empty() || !any_data) {
        outcome.note = "no events in the rule's tables";
      } else {
        outcome.note = "no matching events in the window ending " + FormatDateTime(report.now_ticks);
      }
    }
    if (outcome.triggered) {
      const Schema& schema = result.table.schema;
      for (const auto& row : result.table.Rows()) {
        Alert alert;
        alert.rule_index = rule_index;
        alert.start_ticks = TimeColumn(schema, row, {"FirstSeen", "StartTime", "StartTimeUtc", "Timestamp", "TimeGenerated"});
        alert.end_ticks = TimeColumn(schema, row, {"LastSeen", "EndTime", "EndTimeUtc", "Timestamp", "TimeGenerated"});
        alert.entities = EntitiesFor(rule, schema, row);
        for (const auto& [key, column] : rule.custom_details) {
          if (auto index = FindColumn(schema, column)) alert.custom_details.emplace_back(key, row[*index]);
        }
        for (size_t i = 0; i < schema.size(); ++i) alert.row.emplace_back(schema[i].name, row[i]);
        report.alerts.push_back(std::move(alert));
      }
    }
    report.outcomes.push_back(std::move(outcome));
  }
  report.seconds = SecondsSince(hunt_start);
  return report;
}

}  // namespace kql
