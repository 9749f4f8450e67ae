#include "rules/alert_writer.h"

#include "engine/scan_report.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "rules/watchlist.h"

#include "types/datetime.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

std::string Json(const std::string& text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

std::string JsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ",";
    out += Json(items[i]);
  }
  return out + "]";
}

std::string OptionalTime(const std::optional<int64_t>& ticks) { return ticks ? FormatDateTime(*ticks) : ""; }

/// Renders entities grouped by field ("Host.HostName=a, b; URL.Url=c"), at most a few values per field.
std::string EntitiesText(const Alert& alert) {
  constexpr size_t kMaxValuesPerField = 5;
  std::vector<std::pair<std::string, std::vector<std::string>>> fields;
  for (const auto& entity : alert.entities) {
    for (const auto& [identifier, value] : entity.fields) {
      std::string key = entity.type + "." + identifier;
      auto it = std::find_if(fields.begin(), fields.end(), [&](const auto& field) { return field.first == key; });
      if (it == fields.end()) it = fields.insert(fields.end(), {key, {}});
      if (std::find(it->second.begin(), it->second.end(), value) == it->second.end()) it->second.push_back(value);
    }
  }
  std::string out;
  for (const auto& [key, values] : fields) {
    if (!out.empty()) out += "; ";
    out += key + "=";
    for (size_t i = 0; i < values.size() && i < kMaxValuesPerField; ++i) out += (i ? ", " : "") + values[i];
    if (values.size() > kMaxValuesPerField) out += " (+" + std::to_string(values.size() - kMaxValuesPerField) + " more)";
  }
  return out;
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

std::string Pad(std::string text, size_t width) {
  // Columns are separated by two spaces; a value too wide for its column is cut with "...".
  if (text.size() + 2 > width) {
    text.resize(width > 5 ? width - 5 : 0);
    return text + "...  ";
  }
  return text + std::string(width - text.size(), ' ');
}

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string JsonTime(const std::optional<int64_t>& ticks) { return ticks ? Json(FormatDateTime(*ticks)) : "null"; }

std::string RowJson(const AlertRow& row) {
  std::string out = "{";
  for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + Json(row[i].first) + ":" + FormatJson(row[i].second);
  return out + "}";
}

std::string CustomDetailsJson(const Alert& alert) {
  std::string out = "{";
  for (size_t i = 0; i < alert.custom_details.size(); ++i) {
    out += (i ? "," : "") + Json(alert.custom_details[i].first) + ":" + FormatJson(alert.custom_details[i].second);
  }
  return out + "}";
}

/// Sentinel's entity type names in SecurityAlert.Entities are lower case ("host", "account", "ip", ...).
std::string LowerCase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

/// MITRE ATT&CK enterprise tactic ids by Sentinel tactic name.
std::string TacticId(const std::string& tactic) {
  static const std::pair<const char*, const char*> kTactics[] = {
      {"reconnaissance", "TA0043"},      {"resourcedevelopment", "TA0042"}, {"initialaccess", "TA0001"},
      {"execution", "TA0002"},           {"persistence", "TA0003"},         {"privilegeescalation", "TA0004"},
      {"defenseevasion", "TA0005"},      {"credentialaccess", "TA0006"},    {"discovery", "TA0007"},
      {"lateralmovement", "TA0008"},     {"collection", "TA0009"},          {"exfiltration", "TA0010"},
      {"commandandcontrol", "TA0011"},   {"impact", "TA0040"}};
  std::string key = LowerCase(tactic);
  key.erase(std::remove_if(key.begin(), key.end(), [](char c) { return c == ' ' || c == '-' || c == '_'; }), key.end());
  for (const auto& [name, id] : kTactics) {
    if (key == name) return id;
  }
  return "";
}

/// OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 0 Unknown.
int OcsfSeverityId(const std::string& severity) {
  std::string key = LowerCase(severity);
  if (key == "informational") return 1;
  if (key == "low") return 2;
  if (key == "medium") return 3;
  if (key == "high") return 4;
  return 0;
}

/// OCSF observable type_id for an entity field: 1 Hostname, 2 IP Address, 4 User Name, 6 URL String, 7 File Name,
/// 8 Hash, 9 Process Name, 0 Unknown.
int OcsfObservableType(const std::string& entity, const std::string& identifier) {
  std::string type = LowerCase(entity);
  std::string id = LowerCase(identifier);
  if (type == "host" && (id == "hostname" || id == "fullname")) return 1;
  if (type == "ip" && id == "address") return 2;
  if (type == "account" && (id == "name" || id == "fullname" || id == "upnsuffix")) return 4;
  if (type == "url") return 6;
  if (type == "file" && id == "name") return 7;
  if (type == "filehash" || id == "sha256" || id == "sha1" || id == "md5" || id == "value") return 8;
  if (type == "process") return 9;
  return 0;
}

int64_t EpochMilliseconds(int64_t ticks) { return ticks / 10000; }

/// Up to this many rules, the summary has a line per rule.
constexpr size_t kListEveryRuleUpTo = 25;

std::string WithThousands(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

/// A rough length of time in words: "2 years", "5 months", "3 days", "4 hours", "10 minutes".
std::string DurationWords(int64_t ticks) {
  const int64_t days = ticks / kTicksPerDay;
  auto words = [](int64_t count, const char* unit) {
    return std::to_string(count) + " " + unit + (count == 1 ? "" : "s");
  };
  if (days >= 730) return words(days / 365, "year");
  if (days >= 60) return words(days / 30, "month");
  if (days >= 2) return words(days, "day");
  if (ticks >= 2 * kTicksPerHour) return words(ticks / kTicksPerHour, "hour");
  return words(std::max<int64_t>(1, ticks / kTicksPerMinute), "minute");
}

/// One line per table whose data ends before the window of rules that saw no event of it.
std::vector<std::string> BeforeWindowReasons(const HuntReport& report) {
  std::map<std::string, std::pair<size_t, int64_t>> by_table;  // table -> rules, earliest window start
  for (const auto& outcome : report.outcomes) {
    for (const auto& table : outcome.tables_before_window) {
      auto [it, added] = by_table.try_emplace(table, 0, *outcome.window_start_ticks);
      ++it->second.first;
      it->second.second = std::min(it->second.second, *outcome.window_start_ticks);
    }
  }
  std::vector<std::string> lines;
  for (const auto& [table, rules_and_start] : by_table) {
    auto profile = report.tables.find(table);
    if (profile == report.tables.end() || !profile->second.max_ticks) continue;
    const int64_t data_end = *profile->second.max_ticks;
    lines.push_back(std::to_string(rules_and_start.first) + " rule(s) saw no event: the data of " + table + " ends " +
                    FormatDateTime(data_end).substr(0, 10) + ", " +
                    DurationWords(rules_and_start.second - data_end) + " before their window (now = " +
                    FormatDateTime(report.now_ticks).substr(0, 10) + "); try --now latest");
  }
  return lines;
}

}  // namespace

std::optional<AlertFormat> ParseAlertFormat(std::string_view name) {
  if (name == "table") return AlertFormat::kTable;
  if (name == "jsonl") return AlertFormat::kJsonl;
  if (name == "json") return AlertFormat::kJson;
  if (name == "csv") return AlertFormat::kCsv;
  if (name == "sentinel") return AlertFormat::kSentinel;
  if (name == "ocsf") return AlertFormat::kOcsf;
  return std::nullopt;
}

std::string AlertToJson(const HuntReport& report, const Alert& alert) {
  const SentinelRule& rule = report.rules[alert.rule_index];
  std::string out = "{\"ruleId\":" + Json(rule.id) + ",\"ruleName\":" + Json(rule.name) +
                    ",\"title\":" + Json(alert.title) + ",\"severity\":" + Json(alert.severity) +
                    ",\"tactics\":" + JsonList(alert.tactics) + ",\"techniques\":" + JsonList(alert.techniques);
  out += ",\"startTime\":" + JsonTime(alert.start_ticks) + ",\"endTime\":" + JsonTime(alert.end_ticks);
  out += ",\"alertId\":" + Json(alert.system_alert_id) + ",\"eventCount\":" + std::to_string(alert.rows.size());
  out += ",\"entities\":[";
  for (size_t i = 0; i < alert.entities.size(); ++i) {
    if (i) out += ",";
    out += "{\"type\":" + Json(alert.entities[i].type);
    for (const auto& [identifier, value] : alert.entities[i].fields) out += "," + Json(identifier) + ":" + Json(value);
    out += "}";
  }
  out += "],\"customDetails\":" + CustomDetailsJson(alert);
  if (!alert.dynamic_properties.empty()) {
    out += ",\"alertProperties\":{";
    for (size_t i = 0; i < alert.dynamic_properties.size(); ++i)
      out += (i ? "," : "") + Json(alert.dynamic_properties[i].first) + ":" + Json(alert.dynamic_properties[i].second);
    out += "}";
  }
  if (alert.description != rule.description) out += ",\"description\":" + Json(alert.description);
  if (!rule.version.empty()) out += ",\"ruleVersion\":" + Json(rule.version);
  out += ",\"ruleKind\":" + Json(rule.kind);
  if (!rule.incident_configuration_json.empty()) out += ",\"incidentConfiguration\":" + rule.incident_configuration_json;
  out += ",\"row\":" + RowJson(alert.row);
  if (alert.rows.size() > 1) {
    out += ",\"rows\":[";
    for (size_t i = 0; i < alert.rows.size(); ++i) out += (i ? "," : "") + RowJson(alert.rows[i]);
    out += "]";
  }
  return out + "}";
}

std::string AlertToSecurityAlert(const HuntReport& report, const Alert& alert) {
  const SentinelRule& rule = report.rules[alert.rule_index];
  // Entities: a JSON array in a string, each entity with Sentinel's $id and lower-case Type.
  std::string entities = "[";
  std::string compromised;
  for (size_t i = 0; i < alert.entities.size(); ++i) {
    const AlertEntity& entity = alert.entities[i];
    entities += (i ? "," : "") + std::string("{\"$id\":\"") + std::to_string(i + 2) + "\"";
    for (const auto& [identifier, value] : entity.fields) {
      entities += "," + Json(identifier) + ":" + Json(value);
      if (compromised.empty() && entity.type == "Host" && identifier == "HostName") compromised = value;
    }
    entities += ",\"Type\":" + Json(LowerCase(entity.type)) + "}";
  }
  entities += "]";
  std::string extended = "{\"Analytic Rule Ids\":" + Json(JsonList({rule.id})) +
                         ",\"Analytic Rule Name\":" + Json(rule.name) + ",\"Query Period\":" +
                         Json(rule.query_period) + ",\"Trigger Operator\":" + Json(rule.trigger_operator) +
                         ",\"Trigger Threshold\":" + Json(std::to_string(rule.trigger_threshold)) +
                         ",\"Event Grouping\":" + Json(rule.aggregation_kind) +
                         ",\"Search Query Results Overall Count\":" + Json(std::to_string(alert.rows.size())) +
                         ",\"Data Sources\":" + Json(JsonList(rule.data_types));
  if (!alert.custom_details.empty()) extended += ",\"Custom Details\":" + Json(CustomDetailsJson(alert));
  for (const auto& [property, value] : alert.dynamic_properties) extended += "," + Json(property) + ":" + Json(value);
  extended += "}";
  std::string out = "{\"TimeGenerated\":" + Json(FormatDateTime(report.now_ticks));
  out += ",\"AlertName\":" + Json(alert.title) + ",\"AlertSeverity\":" + Json(alert.severity);
  out += ",\"Description\":" + Json(alert.description) + ",\"ProviderName\":\"kqlite\",\"VendorName\":\"kqlite\"";
  out += ",\"ProductName\":\"kqlite\",\"ProductComponentName\":\"Scheduled Alerts\"";
  out += ",\"AlertType\":" + Json(rule.id.empty() ? rule.name : rule.id);
  out += ",\"SystemAlertId\":" + Json(alert.system_alert_id) + ",\"VendorOriginalId\":" + Json(alert.system_alert_id);
  out += ",\"Status\":\"New\",\"IsIncident\":false,\"CompromisedEntity\":" + Json(compromised);
  out += ",\"Tactics\":" + Json(Join(alert.tactics, ",")) + ",\"Techniques\":" + Json(JsonList(alert.techniques));
  out += ",\"StartTime\":" + JsonTime(alert.start_ticks ? alert.start_ticks : alert.end_ticks);
  out += ",\"EndTime\":" + JsonTime(alert.end_ticks ? alert.end_ticks : alert.start_ticks);
  out += ",\"ProcessingEndTime\":" + Json(FormatDateTime(report.now_ticks));
  out += ",\"Entities\":" + Json(entities) + ",\"ExtendedProperties\":" + Json(extended);
  return out + ",\"Type\":\"SecurityAlert\"}";
}

std::string AlertToOcsf(const HuntReport& report, const Alert& alert) {
  const SentinelRule& rule = report.rules[alert.rule_index];
  int64_t time = alert.end_ticks ? *alert.end_ticks : report.now_ticks;
  std::string attacks = "[";
  auto add_attack = [&](const std::string& tactic, const std::string& technique) {
    attacks += (attacks.size() > 1 ? "," : "") + std::string("{");
    std::string fields;
    if (!tactic.empty()) {
      fields += "\"tactic\":{\"name\":" + Json(tactic);
      if (std::string id = TacticId(tactic); !id.empty()) fields += ",\"uid\":" + Json(id);
      fields += "}";
    }
    if (!technique.empty()) fields += (fields.empty() ? "" : ",") + std::string("\"technique\":{\"uid\":") + Json(technique) + "}";
    attacks += fields + ",\"version\":\"14\"}";
  };
  // OCSF pairs tactics with techniques; Sentinel lists them separately, so each technique goes with each tactic.
  if (alert.techniques.empty()) {
    for (const auto& tactic : alert.tactics) add_attack(tactic, "");
  } else if (alert.tactics.empty()) {
    for (const auto& technique : alert.techniques) add_attack("", technique);
  } else {
    for (const auto& tactic : alert.tactics) {
      for (const auto& technique : alert.techniques) add_attack(tactic, technique);
    }
  }
  attacks += "]";
  std::string observables = "[", resources = "[";
  for (const auto& entity : alert.entities) {
    for (const auto& [identifier, value] : entity.fields) {
      observables += (observables.size() > 1 ? "," : "") + std::string("{\"name\":") + Json(entity.type + "." + identifier) +
                     ",\"type_id\":" + std::to_string(OcsfObservableType(entity.type, identifier)) +
                     ",\"value\":" + Json(value) + "}";
      if (entity.type == "Host" && identifier == "HostName")
        resources += (resources.size() > 1 ? "," : "") + std::string("{\"name\":") + Json(value) + ",\"type\":\"Device\"}";
    }
  }
  observables += "]";
  resources += "]";
  int severity_id = OcsfSeverityId(alert.severity);
  std::string out = "{\"class_uid\":2004,\"class_name\":\"Detection Finding\",\"category_uid\":2";
  out += ",\"category_name\":\"Findings\",\"activity_id\":1,\"activity_name\":\"Create\",\"type_uid\":200401";
  out += ",\"severity_id\":" + std::to_string(severity_id) + ",\"severity\":" + Json(severity_id ? alert.severity : "Unknown");
  out += ",\"status_id\":1,\"status\":\"New\",\"time\":" + std::to_string(EpochMilliseconds(time));
  out += ",\"message\":" + Json(alert.title);
  out += ",\"finding_info\":{\"uid\":" + Json(alert.system_alert_id) + ",\"title\":" + Json(alert.title) +
         ",\"desc\":" + Json(alert.description) + ",\"analytic\":{\"uid\":" + Json(rule.id) + ",\"name\":" +
         Json(rule.name) + ",\"type_id\":1,\"type\":\"Rule\"" +
         (rule.version.empty() ? "" : ",\"version\":" + Json(rule.version)) + "},\"attacks\":" + attacks;
  if (alert.start_ticks) out += ",\"first_seen_time\":" + std::to_string(EpochMilliseconds(*alert.start_ticks));
  if (alert.end_ticks) out += ",\"last_seen_time\":" + std::to_string(EpochMilliseconds(*alert.end_ticks));
  out += "}";
  out += ",\"metadata\":{\"product\":{\"name\":\"kqlite\",\"vendor_name\":\"kqlite\"},\"version\":\"1.1.0\"}";
  out += ",\"observables\":" + observables + ",\"resources\":" + resources;
  out += ",\"evidences\":[";
  for (size_t i = 0; i < alert.rows.size(); ++i) out += (i ? "," : "") + std::string("{\"data\":") + RowJson(alert.rows[i]) + "}";
  out += "]";
  if (!alert.custom_details.empty()) out += ",\"unmapped\":{\"custom_details\":" + CustomDetailsJson(alert) + "}";
  return out + "}";
}

void WriteAlerts(const HuntReport& report, AlertFormat format, std::ostream& out) {
  switch (format) {
    case AlertFormat::kJsonl:
      for (const auto& alert : report.alerts) out << AlertToJson(report, alert) << "\n";
      return;
    case AlertFormat::kSentinel:
      for (const auto& alert : report.alerts) out << AlertToSecurityAlert(report, alert) << "\n";
      return;
    case AlertFormat::kOcsf:
      for (const auto& alert : report.alerts) out << AlertToOcsf(report, alert) << "\n";
      return;
    case AlertFormat::kJson: {
      out << "[";
      for (size_t i = 0; i < report.alerts.size(); ++i) out << (i ? ",\n " : "") << AlertToJson(report, report.alerts[i]);
      out << "]\n";
      return;
    }
    case AlertFormat::kCsv: {
      out << "ruleId,ruleName,title,severity,tactics,techniques,startTime,endTime,alertId,eventCount,entities,"
             "customDetails,row\n";
      for (const auto& alert : report.alerts) {
        const SentinelRule& rule = report.rules[alert.rule_index];
        out << CsvField(rule.id) << "," << CsvField(rule.name) << "," << CsvField(alert.title) << ","
            << CsvField(alert.severity) << "," << CsvField(Join(alert.tactics, ";")) << ","
            << CsvField(Join(alert.techniques, ";")) << "," << OptionalTime(alert.start_ticks) << ","
            << OptionalTime(alert.end_ticks) << "," << alert.system_alert_id << "," << alert.rows.size() << ","
            << CsvField(EntitiesText(alert)) << "," << CsvField(CustomDetailsJson(alert)) << ","
            << CsvField(RowJson(alert.row)) << "\n";
      }
      return;
    }
    case AlertFormat::kTable: {
      if (report.alerts.empty()) {
        // "No alerts" alone would read as a clean bill of health when nothing was hunted.
        if (RulesRun(report) == 0) {
          out << "No alerts: none of the " << report.rules.size() << " rule(s) ran (see why below).\n";
        } else {
          out << "No alerts.\n";
        }
        return;
      }
      size_t rule_width = 6;
      for (const auto& alert : report.alerts) rule_width = std::max(rule_width, std::min<size_t>(alert.title.size() + 2, 80));
      out << Pad("SEVERITY", 15) << Pad("ALERT", rule_width) << Pad("FIRST SEEN", 24) << Pad("LAST SEEN", 24)
          << Pad("EVENTS", 8) << "ENTITIES\n";
      for (const auto& alert : report.alerts) {
        out << Pad(alert.severity, 15) << Pad(alert.title, rule_width) << Pad(OptionalTime(alert.start_ticks), 24)
            << Pad(OptionalTime(alert.end_ticks), 24) << Pad(std::to_string(alert.rows.size()), 8)
            << EntitiesText(alert) << "\n";
      }
      return;
    }
  }
}

void WriteHuntSummary(const HuntReport& report, const std::string& data_note, std::ostream& out) {
  out << "\nHunt summary (now = " << FormatDateTime(report.now_ticks) << ")\n";
  if (!data_note.empty()) out << "  data: " << data_note << "\n";
  uint64_t bad_records = 0, bad_values = 0;
  for (const auto& [table, scan] : report.scans) {
    if (IsWatchlistTable(table)) continue;
    out << "  table " << table << ": " << WithThousands(scan.rows_read + scan.rows_prefiltered) << " events read";
    if (scan.rows_prefiltered) out << " (" << WithThousands(scan.rows_prefiltered) << " skipped unparsed by prefilter)";
    if (uint64_t records = BadRecordCount(scan)) out << ", " << WithThousands(records) << " bad record(s)";
    out << "\n";
    // Values that did not convert, one line per column as `query` prints them (the rows are kept).
    for (const auto& line : BadValueLines({{table, scan}})) out << "    " << line << "\n";
    bad_records += BadRecordCount(scan);
    bad_values += CountBadValues(scan);
  }
  for (const auto& [table, note] : report.candidate_queries) out << "  table " << table << ": " << note << "\n";
  size_t fired = 0;
  uint64_t suppressed_events = 0;
  size_t suppressed_alerts = 0;
  // A large pack lists only the rules worth reading (fired, failed, tuned); the quiet rest is counted by reason.
  const bool list_all = report.rules.size() <= kListEveryRuleUpTo;
  std::map<std::string, size_t> quiet_absent;
  size_t quiet_no_match = 0;
  for (size_t i = 0; i < report.rules.size(); ++i) {
    const auto& rule = report.rules[i];
    const auto& outcome = report.outcomes[i];
    size_t alerts = static_cast<size_t>(std::count_if(report.alerts.begin(), report.alerts.end(),
                                                      [&](const Alert& alert) { return alert.rule_index == i; }));
    if (alerts) ++fired;
    const bool failed = !outcome.error.empty() || (!outcome.ran && !outcome.diagnostics.empty());
    if (!list_all && alerts == 0 && !failed && outcome.exclusions.empty()) {
      static const std::string kAbsent = "table ";
      if (!outcome.ran && outcome.note.rfind(kAbsent, 0) == 0) {
        ++quiet_absent[outcome.note.substr(kAbsent.size(), outcome.note.find(' ', kAbsent.size()) - kAbsent.size())];
      } else {
        ++quiet_no_match;
      }
      continue;
    }
    out << "  rule " << rule.name << ": ";
    if (!outcome.ran) {
      if (StoppedByLimit(outcome)) {
        out << "NOT FINISHED";
      } else if (!outcome.error.empty() || !outcome.diagnostics.empty() || outcome.note.empty()) {
        out << "FAILED";
      }
      if (!outcome.error.empty()) out << " (" << outcome.error << ")";
      else if (!outcome.diagnostics.empty()) out << " (" << outcome.diagnostics[0].code << " " << outcome.diagnostics[0].message << ")";
      if (!outcome.note.empty()) out << (outcome.error.empty() && outcome.diagnostics.empty() ? "not run: " : "; ") << outcome.note;
    } else {
      out << outcome.result_rows << " result row(s), " << alerts << " alert(s)";
      uint64_t rule_suppressed = 0;
      for (const auto& effect : outcome.exclusions) rule_suppressed += effect.suppressed_events;
      if (!outcome.exclusions.empty()) {
        out << ", " << WithThousands(rule_suppressed) << " event(s) and " << outcome.suppressed_alerts
            << " alert(s) suppressed by " << outcome.exclusions.size() << " exclusion(s)";
      }
      suppressed_events += rule_suppressed;
      suppressed_alerts += outcome.suppressed_alerts;
      if (!outcome.note.empty()) out << " — " << outcome.note;
    }
    char seconds[32];
    std::snprintf(seconds, sizeof(seconds), "%.3f", outcome.seconds);
    out << " [" << seconds << "s]\n";
  }
  if (quiet_no_match) out << "  " << quiet_no_match << " other rule(s) ran and found nothing\n";
  for (const auto& [table, count] : quiet_absent) {
    out << "  " << count << " other rule(s) not run: table " << table << " is absent (no data given for it)\n";
  }
  for (const auto& reason : BeforeWindowReasons(report)) out << "  " << reason << "\n";
  for (size_t set_index = 0; set_index < report.exclusions.size(); ++set_index) {
    const ExclusionSet& set = report.exclusions[set_index];
    for (size_t entry_index = 0; entry_index < set.entries.size(); ++entry_index) {
      const ExclusionEntry& entry = set.entries[entry_index];
      size_t rules = 0;
      for (const auto& outcome : report.outcomes) {
        for (const auto& effect : outcome.exclusions) {
          rules += effect.set_index == set_index && effect.entry_index == entry_index ? 1 : 0;
        }
      }
      out << "  exclusion " << entry.id << ": ";
      if (ExclusionExpired(entry, report.now_ticks)) {
        out << "expired " << entry.expires << ", not applied\n";
        continue;
      }
      out << WithThousands(SuppressedEvents(report, set_index, entry_index)) << " event(s) suppressed in " << rules
          << " rule(s)";
      if (!entry.reason.empty()) out << " — " << entry.reason;
      if (!entry.owner.empty()) out << " (owner: " << entry.owner << ")";
      out << "\n";
    }
  }
  for (const auto& problem : report.problems) {
    out << "  " << (problem.is_error ? "error " : "warning ") << problem.code << " " << problem.path << ":"
        << problem.line << ":" << problem.col << ": " << problem.message << "\n";
  }
  char seconds[32];
  std::snprintf(seconds, sizeof(seconds), "%.3f", report.seconds);
  size_t ran = RulesRun(report);
  size_t unfinished = static_cast<size_t>(std::count_if(report.outcomes.begin(), report.outcomes.end(), StoppedByLimit));
  out << "  " << report.rules.size() << " rule(s), " << ran << " ran, "
      << (unfinished ? std::to_string(unfinished) + " did not finish, " : "") << fired << " fired, " << report.alerts.size()
      << " alert(s); " << WithThousands(suppressed_events) << " event(s) and " << suppressed_alerts
      << " alert(s) suppressed; " << bad_records << " bad record(s) skipped, " << bad_values
      << " bad value(s) left null; " << seconds << "s\n";
}

size_t RulesRun(const HuntReport& report) {
  return static_cast<size_t>(std::count_if(report.outcomes.begin(), report.outcomes.end(),
                                           [](const RuleOutcome& outcome) { return outcome.ran; }));
}

std::vector<std::string> QuietRuleReasons(const HuntReport& report) {
  std::map<std::string, size_t> by_reason, unfinished;
  size_t failed = 0;
  for (const auto& outcome : report.outcomes) {
    if (outcome.ran) continue;
    static const std::string kAbsent = "table ";
    if (StoppedByLimit(outcome)) {
      ++unfinished[outcome.failure == QueryFailure::kTimeout ? "the time limit (--timeout)"
                                                             : "the memory limit (--max-memory)"];
    } else if (outcome.error.empty() && outcome.diagnostics.empty() && outcome.note.rfind(kAbsent, 0) == 0) {
      ++by_reason[outcome.note];
    } else {
      ++failed;
    }
  }
  std::vector<std::string> reasons;
  for (const auto& [reason, count] : by_reason) {
    reasons.push_back(std::to_string(count) + " rule(s) not run: " + reason);
  }
  for (const auto& [limit, count] : unfinished) {
    reasons.push_back(std::to_string(count) + " rule(s) did not finish: stopped by " + limit);
  }
  if (failed) reasons.push_back(std::to_string(failed) + " rule(s) failed (see the rule lines and diagnostics)");
  for (auto& reason : BeforeWindowReasons(report)) reasons.push_back(std::move(reason));
  return reasons;
}

}  // namespace kql::rules
