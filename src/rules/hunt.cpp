#include "rules/hunt.h"

#include "engine/scan_report.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "catalog/catalog.h"
#include "engine/scan_report.h"
#include "engine/candidate_query.h"
#include "engine/shared_scan.h"
#include "types/datetime.h"
#include "types/dynamic.h"
#include "rules/watchlist.h"
#include "rules/layer.h"

namespace kql::rules {
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

bool IsAlertPerResult(const SentinelRule& rule) {
  std::string kind = rule.aggregation_kind;
  std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return std::tolower(c); });
  return kind == "alertperresult";
}

/// The number of alerts a run with `rows` result rows raises.
size_t AlertCount(const SentinelRule& rule, size_t rows) {
  if (!Triggered(rule, rows) || rows == 0) return 0;
  return IsAlertPerResult(rule) ? rows : 1;
}

std::string Quoted(const std::string& name) {
  std::string out = "['";
  for (char c : name) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "']";
}

bool IsIdentifier(const std::string& name) {
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  return !name.empty() && letter(name[0]) &&
         std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

// The table of an execution's "Table 'NAME' has no data" error, if `error` is one (a std::regex search here was a
// sizeable part of a small hunt: one per rule over an absent table).
std::optional<std::string> TableWithoutData(const std::string& error) {
  constexpr std::string_view kOpen = "Table '";
  constexpr std::string_view kClose = "' has no data";
  for (size_t open = error.find(kOpen); open != std::string::npos; open = error.find(kOpen, open + 1)) {
    const size_t name = open + kOpen.size();
    const size_t close = error.find(kClose, name);
    if (close == std::string::npos) return std::nullopt;
    if (close > name && error.find('\'', name) == close) return error.substr(name, close - name);
  }
  return std::nullopt;
}

std::string DateTimeLiteral(int64_t ticks) { return "datetime(" + FormatDateTime(ticks) + ")"; }

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

/// Replaces each {{Column}} with the row's value; unknown columns stay as written so the author sees them.
std::string RenderTemplate(const std::string& format, const Schema& schema, const std::vector<Value>& row) {
  std::string out;
  size_t at = 0;
  while (at < format.size()) {
    size_t open = format.find("{{", at);
    size_t close = open == std::string::npos ? std::string::npos : format.find("}}", open + 2);
    if (close == std::string::npos) {
      out += format.substr(at);
      break;
    }
    out += format.substr(at, open - at);
    std::string name = format.substr(open + 2, close - open - 2);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (auto index = FindColumn(schema, name)) {
      out += FormatText(row[*index]);
    } else {
      out += format.substr(open, close + 2 - open);
    }
    at = close + 2;
  }
  return out;
}

/// Reads a list from a column: a dynamic array or a comma-separated string.
std::vector<std::string> ListFromValue(const Value& value) {
  std::vector<std::string> items;
  std::string text = FormatText(value);
  if (value.type == KqlType::kDynamic && !text.empty() && text[0] == '[') {
    // A JSON array of names: its items are the list (names hold no brackets, quotes or commas).
    text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '[' || c == ']' || c == '"'; }),
               text.end());
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::optional<std::string> NormalizeSeverity(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* severity : {"Informational", "Low", "Medium", "High"}) {
    std::string candidate = severity;
    std::transform(candidate.begin(), candidate.end(), candidate.begin(), [](unsigned char c) { return std::tolower(c); });
    if (candidate == lower) return std::string(severity);
  }
  return std::nullopt;
}

uint64_t Fnv1a(const std::string& text, uint64_t seed) {
  uint64_t hash = seed;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

/// A name-based GUID (version 5 layout, FNV-1a instead of SHA-1): the same rule and rows give the same id.
std::string DeterministicGuid(const std::string& key) {
  uint64_t high = Fnv1a(key, 14695981039346656037ULL);
  uint64_t low = Fnv1a(key, high ^ 0x9e3779b97f4a7c15ULL);
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000005000ULL;
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(high >> 32), static_cast<unsigned long long>((high >> 16) & 0xFFFF),
                static_cast<unsigned long long>(high & 0xFFFF), static_cast<unsigned long long>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return buffer;
}

/// Builds the alerts of one rule run from its result table.
std::vector<Alert> BuildAlerts(const SentinelRule& rule, size_t rule_index, const Table& table) {
  std::vector<Alert> alerts;
  const Schema& schema = table.schema;
  const std::vector<std::vector<Value>> rows = table.Rows();
  if (rows.empty()) return alerts;
  const AlertDetailsOverride& override_settings = rule.alert_details_override;
  auto start_alert = [&](const std::vector<Value>& row) {
    Alert alert;
    alert.rule_index = rule_index;
    alert.title = override_settings.display_name_format.empty()
                      ? rule.name
                      : RenderTemplate(override_settings.display_name_format, schema, row);
    alert.description = override_settings.description_format.empty()
                            ? rule.description
                            : RenderTemplate(override_settings.description_format, schema, row);
    alert.severity = rule.severity;
    if (auto index = FindColumn(schema, override_settings.severity_column)) {
      if (auto severity = NormalizeSeverity(FormatText(row[*index]))) alert.severity = *severity;
    }
    alert.tactics = rule.tactics;
    if (auto index = FindColumn(schema, override_settings.tactics_column)) {
      if (auto tactics = ListFromValue(row[*index]); !tactics.empty()) alert.tactics = tactics;
    }
    alert.techniques = rule.techniques;
    if (auto index = FindColumn(schema, override_settings.techniques_column)) {
      if (auto techniques = ListFromValue(row[*index]); !techniques.empty()) alert.techniques = techniques;
    }
    for (const auto& [property, column] : override_settings.dynamic_properties) {
      if (auto index = FindColumn(schema, column)) alert.dynamic_properties.emplace_back(property, FormatText(row[*index]));
    }
    return alert;
  };
  auto add_row = [&](Alert& alert, const std::vector<Value>& row) {
    auto start = TimeColumn(schema, row, {"FirstSeen", "StartTime", "StartTimeUtc", "Timestamp", "TimeGenerated"});
    auto end = TimeColumn(schema, row, {"LastSeen", "EndTime", "EndTimeUtc", "Timestamp", "TimeGenerated"});
    if (start && (!alert.start_ticks || *start < *alert.start_ticks)) alert.start_ticks = start;
    if (end && (!alert.end_ticks || *end > *alert.end_ticks)) alert.end_ticks = end;
    for (auto& entity : EntitiesFor(rule, schema, row)) {
      if (std::find(alert.entities.begin(), alert.entities.end(), entity) == alert.entities.end())
        alert.entities.push_back(std::move(entity));
    }
    AlertRow named;
    for (size_t i = 0; i < schema.size(); ++i) named.emplace_back(schema[i].name, row[i]);
    if (alert.rows.empty()) alert.row = named;
    alert.rows.push_back(std::move(named));
  };
  auto finish = [&](Alert& alert) {
    std::string key = rule.id + "|" + rule.name;
    for (const auto& row : alert.rows) {
      for (const auto& [name, value] : row) key += "|" + name + "=" + FormatJson(value);
      key += "\n";
    }
    alert.system_alert_id = DeterministicGuid(key);
    // A single alert carries every row's value of a custom detail, as Sentinel does; one row carries its value.
    for (const auto& [detail, column] : rule.custom_details) {
      auto index = FindColumn(schema, column);
      if (!index) continue;
      if (alert.rows.size() == 1) {
        alert.custom_details.emplace_back(detail, alert.rows[0][*index].second);
        continue;
      }
      std::string json = "[";
      for (size_t row_idx = 0; row_idx < alert.rows.size(); ++row_idx) {
        json += (row_idx ? "," : "") + FormatJson(alert.rows[row_idx][*index].second);
      }
      json += "]";
      alert.custom_details.emplace_back(detail, Value::FromDynamic(ParseJson(json)));
    }
    alerts.push_back(std::move(alert));
  };
  if (IsAlertPerResult(rule)) {
    for (const auto& row : rows) {
      Alert alert = start_alert(row);
      add_row(alert, row);
      finish(alert);
    }
  } else {
    Alert alert = start_alert(rows[0]);
    for (const auto& row : rows) add_row(alert, row);
    finish(alert);
  }
  return alerts;
}

/// Counts events of a table query; nullopt when it does not run.
std::optional<uint64_t> CountRows(Engine& engine, const std::string& text, const QueryOptions& options) {
  QueryResult result = engine.Query(text + "\n| count", options);
  if (!result.ok || result.table.RowCount() != 1) return std::nullopt;
  auto rows = result.table.Rows();
  return rows[0][0].is_null ? 0 : static_cast<uint64_t>(rows[0][0].int_value);
}

/// The time columns a table's profile reads (TimeGenerated, Timestamp: those the catalog types datetime).
Schema TimeColumns(const Engine& engine, const std::string& table) {
  Schema columns;
  const Schema* schema = engine.catalog().FindTable(table);
  for (const char* column : {"TimeGenerated", "Timestamp"}) {
    auto index = schema ? FindColumn(*schema, column) : std::nullopt;
    if (index && (*schema)[*index].type == KqlType::kDateTime) columns.push_back((*schema)[*index]);
  }
  return columns;
}

/// The time column ProfileTable will likely choose for a table: TimeGenerated when the first records have one,
/// else Timestamp, when the catalog has both. A wrong guess only costs a shared pass run again.
std::string GuessTimeColumn(Engine& engine, const std::string& table, const QueryOptions& options) {
  Schema columns = TimeColumns(engine, table);
  if (columns.size() < 2) return columns.empty() ? "" : columns[0].name;
  auto seen = CountRows(engine, Quoted(table) + " | take 1000 | where isnotnull(" + columns[0].name + ")", options);
  return seen.value_or(0) > 0 ? columns[0].name : columns[1].name;
}

/// Reads a table's datetime columns (TimeGenerated, Timestamp) into memory once, so that the table's profile and
/// every "events in the window" count read them there instead of passing over the table's files again.
std::shared_ptr<const TableSource> TimeColumnsSource(Engine& engine, const std::string& table,
                                                     const QueryOptions& options) {
  std::string columns;
  for (const auto& column : TimeColumns(engine, table)) columns += (columns.empty() ? "" : ", ") + column.name;
  if (columns.empty()) return nullptr;
  QueryResult result = engine.Query(Quoted(table) + " | project " + columns, options);
  if (!result.ok) return nullptr;
  return CandidateSource::Complete(engine.Source(table), std::make_shared<const Table>(std::move(result.table)));
}

/// Per time column: how many events have a value, and the earliest and latest.
struct TimeColumnStats {
  int64_t count = 0;
  std::optional<int64_t> min_ticks;
  std::optional<int64_t> max_ticks;
};

/// The profile's time column: the first of `columns` with values (TimeGenerated before Timestamp), else the last.
void ChooseTimeColumn(const std::vector<std::string>& columns, const std::vector<TimeColumnStats>& stats,
                      TableProfile& profile) {
  // Sentinel windows on TimeGenerated; Defender exports have Timestamp instead, or TimeGenerated left empty.
  std::optional<size_t> chosen;
  for (size_t i = 0; i < columns.size() && !chosen; ++i) {
    if (stats[i].count > 0) chosen = i;
  }
  if (!chosen && !columns.empty()) chosen = columns.size() - 1;
  if (!chosen) return;
  profile.time_column = columns[*chosen];
  profile.min_ticks = stats[*chosen].min_ticks;
  profile.max_ticks = stats[*chosen].max_ticks;
}

/// Calls `visit(ticks)` for each non-null value of the datetime `column` in `rows`' active rows; false when the rows
/// lack the column.
template <typename Visit>
bool ForEachTimeValue(const Table& rows, const std::string& column, Visit visit) {
  std::optional<size_t> index = FindColumn(rows.schema, column);
  if (!index) return false;
  for (const DataChunk& chunk : rows.chunks) {
    const ColumnVector& values = chunk.columns[*index];
    chunk.ForEachActive([&](size_t row) {
      if (!values.IsNull(row)) visit(values.ints()[row]);
    });
  }
  return true;
}

/// ProfileTable over a table's time columns held in memory: every event's TimeColumns, as the shared pass read them.
TableProfile ProfileTimeRows(Engine& engine, const std::string& table, const Table& rows) {
  TableProfile profile;
  profile.events = rows.RowCount();
  std::vector<std::string> columns;
  std::vector<TimeColumnStats> stats;
  for (const auto& time_column : TimeColumns(engine, table)) {
    columns.push_back(time_column.name);
    TimeColumnStats& column_stats = stats.emplace_back();
    ForEachTimeValue(rows, time_column.name, [&](int64_t ticks) {
      ++column_stats.count;
      if (!column_stats.min_ticks || ticks < *column_stats.min_ticks) column_stats.min_ticks = ticks;
      if (!column_stats.max_ticks || ticks > *column_stats.max_ticks) column_stats.max_ticks = ticks;
    });
  }
  ChooseTimeColumn(columns, stats, profile);
  return profile;
}

/// How many of `rows`' values in `column` lie in [start, end], as `where column between (start .. end)` counts them;
/// nullopt when the rows lack the column.
std::optional<uint64_t> CountBetween(const Table& rows, const std::string& column, int64_t start, int64_t end) {
  uint64_t count = 0;
  const bool found = ForEachTimeValue(rows, column, [&](int64_t ticks) {
    count += static_cast<uint64_t>(ticks >= start && ticks <= end);
  });
  return found ? std::optional<uint64_t>(count) : std::nullopt;
}

TableProfile ProfileTable(Engine& engine, const std::string& table, const QueryOptions& options) {
  TableProfile profile;
  std::string query = Quoted(table) + " | summarize Events = count()";
  std::vector<std::string> columns;
  for (const auto& time_column : TimeColumns(engine, table)) {
    const std::string& column = time_column.name;
    columns.push_back(column);
    query += ", N_" + column + " = countif(isnotnull(" + column + ")), Min_" + column + " = min(" + column +
             "), Max_" + column + " = max(" + column + ")";
  }
  QueryResult result = engine.Query(query, options);
  if (!result.ok || result.table.RowCount() != 1) return profile;
  auto row = result.table.Rows()[0];
  profile.events = row[0].is_null ? 0 : static_cast<uint64_t>(row[0].int_value);
  std::vector<TimeColumnStats> stats(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    const Value& count = row[1 + i * 3];
    if (!count.is_null) stats[i].count = count.int_value;
    if (!row[2 + i * 3].is_null) stats[i].min_ticks = row[2 + i * 3].int_value;
    if (!row[3 + i * 3].is_null) stats[i].max_ticks = row[3 + i * 3].int_value;
  }
  ChooseTimeColumn(columns, stats, profile);
  return profile;
}

/// Registered telemetry tables the rule reads: named in its query text or in its data types.
std::vector<std::string> RuleTables(const SentinelRule& rule, const std::map<std::string, TableProfile>& tables) {
  std::vector<std::string> found;
  for (const auto& [name, profile] : tables) {
    bool named = std::find(rule.data_types.begin(), rule.data_types.end(), name) != rule.data_types.end();
    size_t at = 0;
    while (!named && (at = rule.query.find(name, at)) != std::string::npos) {
      auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
      bool before = at == 0 || !word(rule.query[at - 1]);
      bool after = at + name.size() >= rule.query.size() || !word(rule.query[at + name.size()]);
      named = before && after;
      at += name.size();
    }
    if (named) found.push_back(name);
  }
  return found;
}

/// Maps a predicate diagnostic back to the exclusions file.
RuleProblem PredicateProblem(const ExclusionSet& set, const ExclusionEntry& entry, const std::string& table,
                             const Diagnostic& diagnostic, int predicate_first_line) {
  int line = entry.where_line;
  int column = entry.where_column;
  int relative = static_cast<int>(diagnostic.span.line) - predicate_first_line;
  if (relative >= 0) {
    line += relative;
    // Block scalar lines share the first line's indentation, which YAML strips.
    column = entry.where_column + static_cast<int>(diagnostic.span.col) - 1;
  }
  return RuleProblem{true, set.path, line, column, "KQLX020",
                     "Exclusion '" + entry.id + "' does not apply to table " + table + ": " + diagnostic.code + " " +
                         diagnostic.message + "; the rule runs without it"};
}

int CountLines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

/// A rule's filters, worked out before any rule runs.
struct RulePlan {
  RuleOutcome outcome;
  std::map<std::string, std::string> window_filters;  ///< Per source table: `| where <time> between (...)`.
  std::string full_prelude;        ///< Lets that window and exclude each source table.
  std::string unexcluded_prelude;  ///< The same without exclusions (for suppressed alerts); rules with exclusions.
  double seconds = 0;
};

/// True for the failures of a query stopped by --timeout or --max-memory.
bool IsLimitFailure(QueryFailure failure) {
  return failure == QueryFailure::kTimeout || failure == QueryFailure::kMemoryLimit;
}

/// A rule's queries, run before its outcome is worked out.
struct RuleRun {
  QueryResult result;                     ///< The rule's query, windowed and with its exclusions.
  std::optional<QueryResult> unexcluded;  ///< The same without exclusions, when it has some and `result` is ok.
  bool from_candidates = false;           ///< It read a back end's candidate rows.
  std::vector<Alert> alerts;              ///< What `result` raises, when the rule triggered.
  double seconds = 0;
};

/// The threads that run rules' queries at once: `threads`, or one per hardware thread when 0.
size_t HuntWorkers(int threads) {
  if (threads > 0) return static_cast<size_t>(threads);
  return std::max(1u, std::thread::hardware_concurrency());
}

/// Calls `work(index)` for every index below `count`, on up to `workers` threads (the caller's among them); an
/// exception one call throws is thrown again here once every thread has stopped.
void ForEachIndex(size_t count, size_t workers, const std::function<void(size_t)>& work) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto loop = [&] {
    for (size_t index = next++; index < count && !failed; index = next++) {
      try {
        work(index);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t worker = 1; worker < std::min(workers, count); ++worker) threads.emplace_back(loop);
  loop();
  for (auto& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
}

// A table read by fewer rule scans than this is left to them: a pass of its own for one scan saves nothing.
constexpr size_t kMinSharedScans = 2;

/// Plans one shared pass per table that several rules' scans read with a literal prefilter: the literals and
/// columns of each (tables the passes would not serve are left out).
std::map<std::string, SharedScanPlan> PlanSharedScans(const Engine& engine, const HuntReport& report,
                                                      const std::map<std::string, TableProfile>& tables,
                                                      int64_t now_ticks, const std::vector<RulePlan>& plans,
                                                      size_t workers) {
  // Each rule's queries are planned on the workers (planning only reads the engine), then added in the rules' order.
  std::vector<std::vector<std::optional<std::vector<PlannedScan>>>> planned(plans.size());
  ForEachIndex(plans.size(), workers, [&](size_t rule_index) {
    const RulePlan& plan = plans[rule_index];
    if (plan.outcome.tables.empty()) return;
    std::vector<std::string> texts{plan.full_prelude + report.rules[rule_index].query};
    if (!plan.outcome.exclusions.empty()) texts.push_back(plan.unexcluded_prelude + report.rules[rule_index].query);
    for (const auto& text : texts) planned[rule_index].push_back(PlanScans(engine, text, now_ticks));
  });
  std::map<std::string, SharedScanPlan> by_table;
  std::map<std::string, size_t> sharing_scans;
  for (const auto& rule_scans : planned) {
    for (const auto& scans : rule_scans) {
      if (!scans) continue;
      for (const auto& scan : *scans) {
        if (tables.count(scan.table) && by_table[scan.table].Add(scan)) ++sharing_scans[scan.table];
      }
    }
  }
  std::map<std::string, SharedScanPlan> shared;
  for (auto& [table, plan] : by_table) {
    if (sharing_scans[table] >= kMinSharedScans && !plan.empty()) shared.emplace(table, std::move(plan));
  }
  return shared;
}

/// A shared pass run before the rules were planned for good (it also read the table's time columns), with the
/// plan it ran.
struct EarlyPass {
  SharedScanPlan plan;
  SharedScanResult result;
};

/// Runs one shared pass per table that several rules' scans read with a literal prefilter, and returns the sources
/// that serve the candidate rows to those rules. A pass already run early for the same plan is used as it is
/// (`early_plans_hold`: the rules' texts and clock are the ones the early passes were planned from, so their plans
/// are the plans). The passes' reading statistics go to the report's scans.
std::map<std::string, std::shared_ptr<const TableSource>> SharedScans(Engine& engine, HuntReport& report,
                                                                      const std::vector<RulePlan>& plans,
                                                                      const QueryOptions& options,
                                                                      std::map<std::string, EarlyPass>& early,
                                                                      bool early_plans_hold) {
  std::map<std::string, SharedScanPlan> planned;
  if (early_plans_hold) {
    for (const auto& [table, pass] : early) planned.emplace(table, pass.plan);
  } else {
    planned = PlanSharedScans(engine, report, report.tables, report.now_ticks, plans, HuntWorkers(options.threads));
  }
  std::map<std::string, std::shared_ptr<const TableSource>> overrides;
  for (const auto& [table, plan] : planned) {
    auto ran = early.find(table);
    SharedScanResult shared = ran != early.end() && ran->second.plan == plan
                                  ? std::move(ran->second.result)
                                  : RunSharedScan(engine, table, plan, options);
    // A failed pass (strict mode, unreadable file) is left to the rules, which report it as they always have.
    if (!shared.candidates) continue;
    report.scans[table] = shared.summary;
    report.shared_tables.insert(table);
    overrides[table] = std::make_shared<CandidateSource>(engine.Source(table), shared.candidates, plan.literals(),
                                                         plan.literal_columns());
  }
  return overrides;
}

// A candidate row is held in memory by every column it has: a rough size per cell bounds the rows a candidate
// query may return under the hunt's memory budget.
constexpr uint64_t kCandidateCellBytes = 64;
// Without a budget, a candidate query over this many rows leaves its rules to query the back end themselves.
constexpr uint64_t kCandidateRowsUnbudgeted = 10'000'000;

/// With a back end: one candidate query per table for the rules whose every scan of it sits under a filter the back
/// end runs (see engine/candidate_query.h). Returns per rule the sources its query reads instead of the back end;
/// an empty map leaves the rule to query the back end itself. What was done goes to report.candidate_queries.
std::vector<std::map<std::string, std::shared_ptr<const TableSource>>> CandidateQueries(
    const Engine& engine, HuntReport& report, const std::vector<RulePlan>& plans, const PlanBackend& backend,
    const QueryOptions& options) {
  std::vector<std::map<std::string, std::shared_ptr<const TableSource>>> overrides(plans.size());
  std::vector<std::string> tables;
  for (const auto& [name, profile] : report.tables) {
    if (!IsWatchlistTable(name)) tables.push_back(name);
  }
  // A rule runs from candidates when it plans and every table it scans has a condition (its conditions are then
  // not empty).
  std::vector<std::map<std::string, CandidateCondition>> conditions(plans.size());
  std::map<std::string, std::vector<size_t>> rules_by_table;
  std::map<std::string, size_t> reading_rules;
  for (size_t rule_index = 0; rule_index < plans.size(); ++rule_index) {
    if (plans[rule_index].outcome.tables.empty()) continue;
    for (const auto& table : plans[rule_index].outcome.tables) ++reading_rules[table];
    auto planned = PlanCandidateConditions(engine, plans[rule_index].full_prelude + report.rules[rule_index].query,
                                           report.now_ticks, tables, backend);
    if (!planned) continue;
    bool covered = !planned->empty();
    for (const auto& [table, condition] : *planned) covered = covered && condition.predicate != nullptr;
    if (!covered) continue;
    for (const auto& [table, condition] : *planned) rules_by_table[table].push_back(rule_index);
    conditions[rule_index] = std::move(*planned);
  }
  std::map<std::string, std::shared_ptr<const TableSource>> candidates;
  for (const auto& [table, rule_indices] : rules_by_table) {
    if (rule_indices.size() < kMinSharedScans) continue;
    std::vector<const CandidateCondition*> table_conditions;
    for (size_t rule_index : rule_indices) table_conditions.push_back(&conditions[rule_index].at(table));
    std::shared_ptr<const TableSource> source = engine.Source(table);
    size_t columns = std::max<size_t>(1, source ? source->schema().size() : 1);
    uint64_t bound = options.max_memory_bytes > 0 ? options.max_memory_bytes / (kCandidateCellBytes * columns)
                                                  : kCandidateRowsUnbudgeted;
    auto start = std::chrono::steady_clock::now();
    CandidateRows rows = RunCandidateQuery(engine, table, table_conditions, backend, options, bound);
    std::string& note = report.candidate_queries[table];
    if (!rows.rows) {
      note = rows.over_bound ? "the candidate query for " + std::to_string(rule_indices.size()) +
                                   " rules returned over " + std::to_string(bound) +
                                   " rows (the memory budget's bound); each rule queried the back end itself"
                             : "the candidate query failed (" + rows.error + "); each rule queried the back end itself";
      continue;
    }
    char seconds[32];
    std::snprintf(seconds, sizeof(seconds), "%.2f", SecondsSince(start));
    note = std::to_string(rule_indices.size()) + " of " + std::to_string(reading_rules[table]) +
           " rules reading it ran locally over " + std::to_string(rows.rows->RowCount()) +
           " candidate rows from one back-end query (" + seconds + " s)";
    candidates[table] = CandidateSource::Complete(source, std::move(rows.rows));
  }
  for (size_t rule_index = 0; rule_index < plans.size(); ++rule_index) {
    if (conditions[rule_index].empty()) continue;
    std::map<std::string, std::shared_ptr<const TableSource>> sources;
    for (const auto& [table, condition] : conditions[rule_index]) {
      auto found = candidates.find(table);
      if (found == candidates.end()) break;
      sources[table] = found->second;
    }
    if (sources.size() == conditions[rule_index].size()) overrides[rule_index] = std::move(sources);
  }
  return overrides;
}

}  // namespace

std::optional<int64_t> LatestEventTicks(Engine& engine, int threads) {
  std::optional<int64_t> latest;
  QueryOptions options;
  options.threads = threads;
  options.now_ticks = 0;
  for (const auto& table : engine.TableNames()) {
    if (IsWatchlistTable(table)) continue;
    TableProfile profile = ProfileTable(engine, table, options);
    if (profile.max_ticks && (!latest || *profile.max_ticks > *latest)) latest = profile.max_ticks;
  }
  return latest;
}

bool StoppedByLimit(const RuleOutcome& outcome) { return IsLimitFailure(outcome.failure); }

uint64_t SuppressedEvents(const HuntReport& report, size_t set_index, size_t entry_index) {
  uint64_t total = 0;
  for (const auto& outcome : report.outcomes) {
    for (const auto& effect : outcome.exclusions) {
      if (effect.set_index == set_index && effect.entry_index == entry_index) total += effect.suppressed_events;
    }
  }
  return total;
}

HuntReport RunHunt(Engine& engine, std::vector<SentinelRule> rules, const HuntOptions& options) {
  auto hunt_start = std::chrono::steady_clock::now();
  HuntReport report;
  report.rules = std::move(rules);
  report.exclusions = options.exclusions;
  QueryOptions profile_options;
  profile_options.threads = options.threads;
  profile_options.now_ticks = 0;
  profile_options.backend = options.backend;
  // The shared scan reads local files; with a back end each rule's query goes to it instead.
  const bool shared_scan = options.shared_scan && !options.backend;
  profile_options.cancel = options.cancel;
  // Settings of the queries that read the tables (the shared passes, counts, the rules); now_ticks comes later.
  QueryOptions query_options;
  query_options.threads = options.threads;
  query_options.strict = options.strict;
  query_options.backend = options.backend;
  query_options.max_memory_bytes = options.max_memory_bytes;
  query_options.cancel = options.cancel;

  // Named lists of every exclusions file are visible to every predicate (a later file's list of the same name wins).
  std::string list_lets;
  for (const auto& set : options.exclusions) list_lets += NamedListLets(set);
  // Rules of a pack share tables, windows and exclusions: bind checks and suppression counts are computed once.
  std::map<std::string, std::vector<Diagnostic>> check_cache;
  std::map<std::string, uint64_t> count_cache;
  auto cached_check = [&](const std::string& text) -> const std::vector<Diagnostic>& {
    auto it = check_cache.find(text);
    if (it == check_cache.end()) it = check_cache.emplace(text, engine.Check(text)).first;
    return it->second;
  };
  auto cached_count = [&](const std::string& text) {
    auto it = count_cache.find(text);
    if (it == count_cache.end()) it = count_cache.emplace(text, CountRows(engine, text, query_options).value_or(0)).first;
    return it->second;
  };
  std::set<std::pair<size_t, size_t>> expired_reported;
  std::set<std::string> problems_reported;

  // Works out one rule's filters against the tables' profiles and the clock: its window, then `not(<predicate>)`
  // per applicable exclusion. A dry run (planning the shared passes before the profiles are known) reports no
  // problems and counts nothing.
  auto plan_rule = [&](size_t rule_index, const std::map<std::string, TableProfile>& tables, int64_t now_ticks,
                       bool dry, RulePlan& plan) {
    const SentinelRule& rule = report.rules[rule_index];
    RuleOutcome& outcome = plan.outcome;
    auto start = std::chrono::steady_clock::now();
    outcome.tables = RuleTables(rule, tables);
    const bool windowed = options.apply_window && rule.positions.count("queryPeriod") > 0;
    if (windowed) outcome.window_start_ticks = now_ticks - rule.query_period_ticks;

    // The filters for each source table: the window, then `not(<predicate>)` per applicable exclusion.
    std::map<std::string, std::string>& window_filters = plan.window_filters;
    std::map<std::string, std::string> exclusion_filters;
    for (const auto& table : outcome.tables) {
      const TableProfile& profile = tables.at(table);
      if (windowed && !profile.time_column.empty()) {
        window_filters[table] = "| where " + Quoted(profile.time_column) + " between (" +
                                DateTimeLiteral(*outcome.window_start_ticks) + " .. " +
                                DateTimeLiteral(now_ticks) + ")\n";
      }
    }
    for (size_t set_index = 0; set_index < options.exclusions.size(); ++set_index) {
      const ExclusionSet& set = options.exclusions[set_index];
      for (size_t entry_index = 0; entry_index < set.entries.size(); ++entry_index) {
        const ExclusionEntry& entry = set.entries[entry_index];
        if (!ExclusionScopes(entry, rule)) continue;
        if (ExclusionExpired(entry, now_ticks)) {
          if (!dry && expired_reported.insert({set_index, entry_index}).second) {
            report.problems.push_back(RuleProblem{false, set.path, entry.line, 1, "KQLX021",
                                                  "Exclusion '" + entry.id + "' expired on " + entry.expires +
                                                      "; it is not applied"});
          }
          continue;
        }
        ExclusionEffect effect;
        effect.set_index = set_index;
        effect.entry_index = entry_index;
        std::vector<RuleProblem> failures;
        for (const auto& table : outcome.tables) {
          if (!IsIdentifier(table)) continue;
          const std::string head = list_lets + Quoted(table) + "\n| where not(\n";
          const std::vector<Diagnostic>& diagnostics = cached_check(head + entry.where + "\n)");
          auto error = std::find_if(diagnostics.begin(), diagnostics.end(),
                                    [](const Diagnostic& d) { return d.severity == Severity::kError; });
          if (error != diagnostics.end()) {
            failures.push_back(PredicateProblem(set, entry, table, *error, CountLines(head) + 1));
            continue;
          }
          effect.tables.push_back(table);
          exclusion_filters[table] += "| where not(\n" + entry.where + "\n)\n";
        }
        // A predicate that binds on none of the rule's tables is reported, never silently dropped.
        if (effect.tables.empty()) {
          for (auto& failure : failures) {
            std::string key = failure.path + ":" + std::to_string(failure.line) + ":" + failure.message;
            if (!dry && problems_reported.insert(key).second) report.problems.push_back(std::move(failure));
          }
          continue;
        }
        for (const auto& table : effect.tables) {
          std::string count_query = list_lets + Quoted(table) + "\n" + window_filters[table] + "| where (\n" +
                                    entry.where + "\n)";
          if (!dry) effect.suppressed_events += cached_count(count_query);
        }
        outcome.exclusions.push_back(std::move(effect));
      }
    }

    auto prelude = [&](bool with_exclusions) {
      std::string text = with_exclusions ? list_lets : "";
      for (const auto& table : outcome.tables) {
        std::string filters = window_filters[table] + (with_exclusions ? exclusion_filters[table] : "");
        if (filters.empty() || !IsIdentifier(table)) continue;
        text += "let " + table + " = " + Quoted(table) + "\n" + filters + ";\n";
      }
      return text;
    };
    plan.full_prelude = prelude(true);
    if (!outcome.exclusions.empty()) plan.unexcluded_prelude = prelude(false);
    plan.seconds = SecondsSince(start);
  };
  auto plan_rules = [&](const std::map<std::string, TableProfile>& tables, int64_t now_ticks, bool dry) {
    std::vector<RulePlan> plans(report.rules.size());
    for (size_t rule_index = 0; rule_index < report.rules.size(); ++rule_index) {
      plan_rule(rule_index, tables, now_ticks, dry, plans[rule_index]);
    }
    return plans;
  };

  // The tables' profiles read their time columns. With the shared scan, a table's shared pass reads them as well
  // (one pass over the table instead of two): it is planned from the rules' filters under a guessed profile and
  // clock, and the rules use it when their real plan comes out the same (else they get a pass of their own).
  std::map<std::string, std::shared_ptr<const TableSource>> time_sources;
  std::map<std::string, std::shared_ptr<const Table>> time_rows;  // What the shared passes read of time_sources.
  std::map<std::string, EarlyPass> early;
  const int64_t guessed_now = options.now_ticks.value_or(0);
  std::vector<RulePlan> guessed_plans;
  if (shared_scan) {
    std::map<std::string, TableProfile> guessed;
    for (const auto& name : engine.TableNames()) {
      if (!IsWatchlistTable(name)) guessed[name].time_column = GuessTimeColumn(engine, name, profile_options);
    }
    guessed_plans = plan_rules(guessed, guessed_now, true);
    for (auto& [table, plan] :
         PlanSharedScans(engine, report, guessed, guessed_now, guessed_plans, HuntWorkers(options.threads))) {
      SharedScanResult result = RunSharedScan(engine, table, plan, query_options, TimeColumns(engine, table));
      if (result.side_rows) {
        auto rows = std::make_shared<const Table>(std::move(*result.side_rows));
        time_sources[table] = CandidateSource::Complete(engine.Source(table), rows);
        time_rows[table] = std::move(rows);
      }
      early[table] = EarlyPass{std::move(plan), std::move(result)};
    }
  }
  for (const auto& name : engine.TableNames()) {
    if (IsWatchlistTable(name)) continue;
    QueryOptions table_options = profile_options;
    if (shared_scan) {
      if (!time_sources.count(name)) {
        if (auto source = TimeColumnsSource(engine, name, profile_options)) time_sources[name] = source;
      }
      table_options.source_overrides = time_sources;
    }
    auto rows = time_rows.find(name);
    report.tables[name] = rows != time_rows.end() ? ProfileTimeRows(engine, name, *rows->second)
                                                  : ProfileTable(engine, name, table_options);
  }
  if (options.now_ticks) {
    report.now_ticks = *options.now_ticks;
  } else if (options.now_latest) {
    std::optional<int64_t> latest;
    for (const auto& [name, profile] : report.tables) {
      if (profile.max_ticks && (!latest || *profile.max_ticks > *latest)) latest = profile.max_ticks;
    }
    // A small margin past the newest event keeps it inside `between (ago(x) .. now())` windows.
    report.now_ticks = latest.value_or(0) + kTicksPerSecond;
  } else {
    report.now_ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() /
                       100;
  }
  query_options.now_ticks = report.now_ticks;
  // Window counts read the time columns in memory; anything else (exclusion predicates) reads the table.
  query_options.source_overrides = time_sources;

  // Every rule's filters are worked out first, so that a shared pass can plan all of the rules' reads.
  std::vector<RulePlan> plans = plan_rules(report.tables, report.now_ticks, false);

  // Rules reading the same table share one pass over it; their queries then read its candidate rows.
  QueryOptions rule_options = query_options;
  rule_options.timeout = options.timeout;  // Each rule's query has its own deadline and memory budget.
  if (shared_scan) {
    // Planning again gives the early plans when the rules' texts and the clock are those they were planned from.
    bool early_plans_hold = guessed_now == report.now_ticks;
    for (size_t index = 0; index < plans.size() && early_plans_hold; ++index) {
      early_plans_hold = plans[index].outcome.tables == guessed_plans[index].outcome.tables &&
                         plans[index].full_prelude == guessed_plans[index].full_prelude &&
                         plans[index].unexcluded_prelude == guessed_plans[index].unexcluded_prelude &&
                         plans[index].outcome.exclusions.empty() == guessed_plans[index].outcome.exclusions.empty();
    }
    for (auto& [table, source] : SharedScans(engine, report, plans, query_options, early, early_plans_hold)) {
      rule_options.source_overrides[table] = std::move(source);
    }
  }

  // With a back end, rules reading a table share one candidate query; each then runs locally over its rows.
  std::vector<std::map<std::string, std::shared_ptr<const TableSource>>> candidate_overrides(report.rules.size());
  if (options.backend) candidate_overrides = CandidateQueries(engine, report, plans, *options.backend, rule_options);

  // The rules' queries. A rule whose tables shared passes read runs over their rows in memory: such rules run
  // several at once, each on one thread with its share of the memory budget. Any other rule runs alone, with every
  // thread and the whole budget (a back end's connection takes one query at a time). The outcomes are then worked
  // out in the rules' order, so the report is the same either way.
  std::vector<RuleRun> runs(report.rules.size());
  const size_t rule_workers = shared_scan ? HuntWorkers(options.threads) : 1;
  std::vector<size_t> side_by_side;
  std::vector<size_t> one_by_one;
  for (size_t rule_index = 0; rule_index < report.rules.size(); ++rule_index) {
    const std::vector<std::string>& tables = plans[rule_index].outcome.tables;
    // (A rule whose tables are all absent reads nothing: its query only fails to bind.)
    const bool in_memory = std::all_of(tables.begin(), tables.end(), [&](const std::string& t) {
      return report.shared_tables.count(t) > 0;
    });
    (rule_workers > 1 && in_memory ? side_by_side : one_by_one).push_back(rule_index);
  }
  auto run_rule = [&](size_t rule_index, bool shared_machine) {
    const SentinelRule& rule = report.rules[rule_index];
    const RulePlan& plan = plans[rule_index];
    RuleRun& run = runs[rule_index];
    auto start = std::chrono::steady_clock::now();
    QueryOptions own_options = rule_options;
    QueryOptions unexcluded_options = rule_options;
    if (shared_machine) {
      for (QueryOptions* shared_options : {&own_options, &unexcluded_options}) {
        shared_options->threads = 1;
        if (shared_options->max_memory_bytes > 0) {
          shared_options->max_memory_bytes = std::max<uint64_t>(1, shared_options->max_memory_bytes / rule_workers);
        }
      }
    }
    run.from_candidates = !candidate_overrides[rule_index].empty();
    if (run.from_candidates) {
      own_options.backend = nullptr;
      for (const auto& [table, source] : candidate_overrides[rule_index]) own_options.source_overrides[table] = source;
    }
    run.result = engine.Query(plan.full_prelude + rule.query, own_options);
    run.alerts.clear();
    if (run.result.ok && Triggered(rule, run.result.table.RowCount())) {
      run.alerts = BuildAlerts(rule, rule_index, run.result.table);
    }
    run.unexcluded.reset();
    if (run.result.ok && !plan.outcome.exclusions.empty()) {
      run.unexcluded = engine.Query(plan.unexcluded_prelude + rule.query, unexcluded_options);
    }
    run.seconds += SecondsSince(start);
  };
  ForEachIndex(side_by_side.size(), rule_workers, [&](size_t index) { run_rule(side_by_side[index], true); });
  // A rule stopped by --timeout or --max-memory beside others runs again alone, with every thread and the whole
  // budget, so that running side by side never changes a rule's outcome.
  for (size_t rule_index : side_by_side) {
    const RuleRun& run = runs[rule_index];
    if (IsLimitFailure(run.result.failure) || (run.unexcluded && IsLimitFailure(run.unexcluded->failure))) {
      one_by_one.push_back(rule_index);
    }
  }
  for (size_t rule_index : one_by_one) run_rule(rule_index, false);

  for (size_t rule_index = 0; rule_index < report.rules.size(); ++rule_index) {
    const SentinelRule& rule = report.rules[rule_index];
    RulePlan& plan = plans[rule_index];
    RuleOutcome& outcome = plan.outcome;
    std::map<std::string, std::string>& window_filters = plan.window_filters;
    const bool windowed = outcome.window_start_ticks.has_value();
    auto start = std::chrono::steady_clock::now();
    const std::string& full_prelude = plan.full_prelude;
    RuleRun& run = runs[rule_index];
    const bool from_candidates = run.from_candidates;
    QueryResult& result = run.result;
    outcome.diagnostics = result.diagnostics;
    if (!full_prelude.empty() && !result.diagnostics.empty()) {
      // Report diagnostics against the rule's own text, not the filters kqlite put in front of it.
      std::vector<Diagnostic> own = engine.Check(rule.query);
      if (!own.empty() || result.ok) outcome.diagnostics = own;
    }
    if (!result.ok) {
      outcome.error = result.error;
      outcome.failure = result.failure;
      for (const auto& table : rule.data_types) {
        if (!report.tables.count(table)) outcome.note = "table " + table + " is absent (no data given for it)";
      }
      if (std::optional<std::string> absent = TableWithoutData(outcome.error)) {
        outcome.note = "table " + *absent + " is absent (no data given for it)";
        outcome.error.clear();
      }
      outcome.seconds = plan.seconds + run.seconds + SecondsSince(start);
      report.outcomes.push_back(std::move(outcome));
      continue;
    }
    outcome.ran = true;
    outcome.result_rows = result.table.RowCount();
    outcome.triggered = Triggered(rule, outcome.result_rows);
    // A read of candidate rows is not a read of the table.
    if (!from_candidates) {
      for (const auto& [table, scan] : result.scans) MergeScanSummary(report.scans[table], scan);
    }
    if (outcome.triggered) {
      for (auto& alert : run.alerts) report.alerts.push_back(std::move(alert));
    }
    size_t alerts_raised = AlertCount(rule, outcome.result_rows);
    if (run.unexcluded) {
      const QueryResult& unexcluded = *run.unexcluded;
      if (unexcluded.ok) {
        size_t without = AlertCount(rule, unexcluded.table.RowCount());
        outcome.suppressed_alerts = without > alerts_raised ? without - alerts_raised : 0;
      }
    }
    if (outcome.result_rows == 0) {
      // Say why the rule found nothing: no events, none in the window, or none matching.
      std::string note;
      for (const auto& table : outcome.tables) {
        const TableProfile& profile = report.tables[table];
        if (!note.empty()) note += "; ";
        if (profile.events == 0) {
          note += "table " + table + " has no events";
          continue;
        }
        std::string span = profile.min_ticks && profile.max_ticks
                               ? " (the data spans " + FormatDateTime(*profile.min_ticks) + " .. " +
                                     FormatDateTime(*profile.max_ticks) + ")"
                               : "";
        if (!window_filters[table].empty()) {
          // Counted once per table and window: from the time columns the shared pass kept, else by the query.
          const std::string window_query = Quoted(table) + "\n" + window_filters[table];
          auto rows = time_rows.find(table);
          if (rows != time_rows.end() && !count_cache.count(window_query)) {
            std::optional<uint64_t> counted =
                CountBetween(*rows->second, profile.time_column, *outcome.window_start_ticks, report.now_ticks);
            if (counted) count_cache.emplace(window_query, *counted);
          }
          uint64_t in_window = cached_count(window_query);
          std::string window = "[" + FormatDateTime(*outcome.window_start_ticks) + ", " +
                               FormatDateTime(report.now_ticks) + "]";
          if (in_window == 0) {
            note += std::to_string(profile.events) + " events in " + table + ", none in the window " + window + span;
            if (profile.max_ticks && *profile.max_ticks < *outcome.window_start_ticks) {
              outcome.tables_before_window.push_back(table);
              note += "; try --now latest";
            }
          } else {
            note += "no match among " + std::to_string(in_window) + " events of " + table + " in the window " + window;
          }
        } else {
          note += "no match among " + std::to_string(profile.events) + " events of " + table +
                  (windowed ? "" : " (no queryPeriod: the query's own time filters apply)");
        }
      }
      if (outcome.tables.empty()) note = "the rule reads no table with data";
      uint64_t suppressed = 0;
      for (const auto& effect : outcome.exclusions) suppressed += effect.suppressed_events;
      if (suppressed > 0) note += " (exclusions removed " + std::to_string(suppressed) + " of them)";
      outcome.note = note;
    }
    outcome.seconds = plan.seconds + run.seconds + SecondsSince(start);
    report.outcomes.push_back(std::move(outcome));
  }
  report.seconds = SecondsSince(hunt_start);
  return report;
}

}  // namespace kql::rules
