#include "rules/alert_writer.h"

#include <algorithm>
#include <cstdio>

#include "types/datetime.h"

namespace kql {
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

std::string EntitiesText(const Alert& alert) {
  std::string out;
  for (const auto& entity : alert.entities) {
    for (const auto& [identifier, value] : entity.fields) {
      if (!out.empty()) out += "; ";
      out += entity.type + "." + identifier + "=" + value;
    }
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

std::string WithThousands(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

std::optional<AlertFormat> ParseAlertFormat(std::string_view name) {
  if (name == "table") return AlertFormat::kTable;
  if (name == "jsonl") return AlertFormat::kJsonl;
  if (name == "json") return AlertFormat::kJson;
  if (name == "csv") return AlertFormat::kCsv;
  return std::nullopt;
}

std::string AlertToJson(const HuntReport& report, const Alert& alert) {
  const SentinelRule& rule = report.rules[alert.rule_index];
  std::string out = "{\"ruleId\":" + Json(rule.id) + ",\"ruleName\":" + Json(rule.name) +
                    ",\"severity\":" + Json(rule.severity) + ",\"tactics\":" + JsonList(rule.tactics) +
                    ",\"techniques\":" + JsonList(rule.techniques);
  out += ",\"startTime\":" + (alert.start_ticks ? Json(FormatDateTime(*alert.start_ticks)) : "null");
  out += ",\"endTime\":" + (alert.end_ticks ? Json(FormatDateTime(*alert.end_ticks)) : "null");
  out += ",\"entities\":[";
  for (size_t i = 0; i < alert.entities.size(); ++i) {
    if (i) out += ",";
    out += "{\"type\":" + Json(alert.entities[i].type);
    for (const auto& [identifier, value] : alert.entities[i].fields) out += "," + Json(identifier) + ":" + Json(value);
    out += "}";
  }
  out += "],\"customDetails\":{";
  for (size_t i = 0; i < alert.custom_details.size(); ++i) {
    if (i) out += ",";
    out += Json(alert.custom_details[i].first) + ":" + FormatJson(alert.custom_details[i].second);
  }
  out += "},\"row\":{";
  for (size_t i = 0; i < alert.row.size(); ++i) {
    if (i) out += ",";
    out += Json(alert.row[i].first) + ":" + FormatJson(alert.row[i].second);
  }
  return out + "}}";
}

void WriteAlerts(const HuntReport& report, AlertFormat format, std::ostream& out) {
  switch (format) {
    case AlertFormat::kJsonl:
      for (const auto& alert : report.alerts) out << AlertToJson(report, alert) << "\n";
      return;
    case AlertFormat::kJson: {
      out << "[";
      for (size_t i = 0; i < report.alerts.size(); ++i) out << (i ? ",\n " : "") << AlertToJson(report, report.alerts[i]);
      out << "]\n";
      return;
    }
    case AlertFormat::kCsv: {
      out << "ruleId,ruleName,severity,tactics,techniques,startTime,endTime,entities,row\n";
      for (const auto& alert : report.alerts) {
        const SentinelRule& rule = report.rules[alert.rule_index];
        std::string tactics, techniques, row = "{";
        for (const auto& tactic : rule.tactics) tactics += (tactics.empty() ? "" : ";") + tactic;
        for (const auto& technique : rule.techniques) techniques += (techniques.empty() ? "" : ";") + technique;
        for (size_t i = 0; i < alert.row.size(); ++i)
          row += (i ? "," : "") + Json(alert.row[i].first) + ":" + FormatJson(alert.row[i].second);
        row += "}";
        out << CsvField(rule.id) << "," << CsvField(rule.name) << "," << CsvField(rule.severity) << ","
            << CsvField(tactics) << "," << CsvField(techniques) << "," << OptionalTime(alert.start_ticks) << ","
            << OptionalTime(alert.end_ticks) << "," << CsvField(EntitiesText(alert)) << "," << CsvField(row) << "\n";
      }
      return;
    }
    case AlertFormat::kTable: {
      if (report.alerts.empty()) {
        out << "No alerts.\n";
        return;
      }
      size_t rule_width = 6;
      for (const auto& alert : report.alerts)
        rule_width = std::max(rule_width, std::min<size_t>(report.rules[alert.rule_index].name.size() + 2, 80));
      out << Pad("SEVERITY", 10) << Pad("RULE", rule_width) << Pad("FIRST SEEN", 30) << Pad("LAST SEEN", 30) << "ENTITIES\n";
      for (const auto& alert : report.alerts) {
        const SentinelRule& rule = report.rules[alert.rule_index];
        out << Pad(rule.severity, 10) << Pad(rule.name, rule_width) << Pad(OptionalTime(alert.start_ticks), 30)
            << Pad(OptionalTime(alert.end_ticks), 30) << EntitiesText(alert) << "\n";
      }
      return;
    }
  }
}

void WriteHuntSummary(const HuntReport& report, const std::string& data_note, std::ostream& out) {
  out << "\nHunt summary (now = " << FormatDateTime(report.now_ticks) << ")\n";
  if (!data_note.empty()) out << "  data: " << data_note << "\n";
  uint64_t skipped = 0;
  for (const auto& [table, scan] : report.scans) {
    out << "  table " << table << ": " << WithThousands(scan.rows_read + scan.rows_prefiltered) << " events read";
    if (scan.rows_prefiltered) out << " (" << WithThousands(scan.rows_prefiltered) << " skipped unparsed by prefilter)";
    if (scan.skipped_count) out << ", " << WithThousands(scan.skipped_count) << " bad records skipped";
    out << "\n";
    skipped += scan.skipped_count;
  }
  size_t fired = 0;
  for (size_t i = 0; i < report.rules.size(); ++i) {
    const auto& rule = report.rules[i];
    const auto& outcome = report.outcomes[i];
    size_t alerts = static_cast<size_t>(std::count_if(report.alerts.begin(), report.alerts.end(),
                                                      [&](const Alert& alert) { return alert.rule_index == i; }));
    if (alerts) ++fired;
    out << "  rule " << rule.name << ": ";
    if (!outcome.ran) {
      out << "FAILED";
      if (!outcome.error.empty()) out << " (" << outcome.error << ")";
      else if (!outcome.diagnostics.empty()) out << " (" << outcome.diagnostics[0].code << " " << outcome.diagnostics[0].message << ")";
      if (!outcome.note.empty()) out << "; " << outcome.note;
    } else {
      out << outcome.result_rows << " result row(s), " << alerts << " alert(s)";
      if (!outcome.note.empty()) out << " — " << outcome.note;
    }
    char seconds[32];
    std::snprintf(seconds, sizeof(seconds), "%.3f", outcome.seconds);
    out << " [" << seconds << "s]\n";
  }
  char seconds[32];
  std::snprintf(seconds, sizeof(seconds), "%.3f", report.seconds);
  out << "  " << report.rules.size() << " rule(s) ran, " << fired << " fired, " << report.alerts.size()
      << " alert(s); " << skipped << " bad record(s) skipped; " << seconds << "s\n";
}

}  // namespace kql
