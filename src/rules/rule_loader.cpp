#include "rules/rule_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "rules/arm_rule.h"
#include "rules/builtin_rules.h"
#include "types/datetime.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

/// Top-level keys of Sentinel analytic rule YAML (and common extras); used to find where a badly indented
/// block scalar ends.
const std::set<std::string>& KnownKeys() {
  static const std::set<std::string> kKeys = {
      "id", "name", "description", "severity", "requiredDataConnectors", "connectorId", "dataTypes",
      "queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold", "tactics", "relevantTechniques",
      "query", "entityMappings", "customDetails", "alertDetailsOverride", "eventGroupingSettings",
      "incidentConfiguration", "version", "kind", "status", "tags", "metadata", "suppressionDuration",
      "suppressionEnabled", "sentinelEntitiesMappings", "subTechniques", "techniques", "displayName", "enabled"};
  return kKeys;
}

size_t Indent(const std::string& line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

bool IsBlank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

/// True when the line is `key:` or `key: value` at this indentation with a known key.
bool IsKnownKeyLine(const std::string& line) {
  static const std::regex kKey(R"(^\s*-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*:(\s.*)?$)");
  std::smatch match;
  if (!std::regex_match(line, match, kKey)) return false;
  return KnownKeys().count(match[1].str()) > 0;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

/// Indents the lines of block scalars (`key: |`) that were written without indentation, up to the next known
/// key. Returns the repaired text; adds a warning per repaired block. Line numbers are preserved.
std::string RepairBlockScalars(const std::string& text, const std::string& path, std::vector<RuleProblem>& problems,
                               std::map<int, int>& added_indent) {
  static const std::regex kBlockStart(R"(^(\s*)(-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:\s*[|>][-+0-9]*\s*$)");
  std::vector<std::string> lines = SplitLines(text);
  std::string out;
  size_t index = 0;
  while (index < lines.size()) {
    const std::string& line = lines[index];
    std::smatch match;
    out += line + "\n";
    ++index;
    if (!std::regex_match(line, match, kBlockStart)) continue;
    size_t key_indent = match[1].length() + match[2].length();
    // Find the block's extent: lines until a known key at indentation <= key_indent.
    size_t end = index;
    bool needs_repair = false;
    while (end < lines.size()) {
      const std::string& body = lines[end];
      if (!IsBlank(body) && Indent(body) <= key_indent) {
        if (IsKnownKeyLine(body) && Indent(body) <= key_indent) break;
        needs_repair = true;
      }
      ++end;
    }
    if (needs_repair) {
      // Trailing blank lines belong to whatever follows.
      while (end > index && IsBlank(lines[end - 1])) --end;
      problems.push_back(RuleProblem{false, path, static_cast<int>(index), static_cast<int>(key_indent + 1), "KQLR101",
                                     "Block scalar '" + match[3].str() +
                                         "' has lines that are not indented; read them as part of the block"});
      std::string pad(key_indent + 2, ' ');
      for (size_t i = index; i < end; ++i) {
        out += IsBlank(lines[i]) ? "\n" : pad + lines[i] + "\n";
        added_indent[static_cast<int>(i + 1)] = static_cast<int>(pad.size());
      }
      index = end;
    }
  }
  return out;
}

std::vector<std::string> ScalarOrList(const YAML::Node& node, const std::string& key, const std::string& path,
                                      std::vector<RuleProblem>& problems) {
  std::vector<std::string> values;
  if (!node) return values;
  if (node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsScalar()) values.push_back(item.as<std::string>());
    }
  } else if (node.IsScalar()) {
    std::string text = node.as<std::string>();
    problems.push_back(RuleProblem{false, path, node.Mark().line + 1, node.Mark().column + 1, "KQLR102",
                                   "Field '" + key + "' should be a list; read the scalar '" + text + "' as one item"});
    // "A, B" scalars list several values.
    std::stringstream stream(text);
    std::string part;
    while (std::getline(stream, part, ',')) {
      part.erase(0, part.find_first_not_of(" \t"));
      part.erase(part.find_last_not_of(" \t") + 1);
      if (!part.empty()) values.push_back(part);
    }
  }
  return values;
}

/// Renders a YAML node as compact JSON (scalars as strings, except true/false/numbers); depth-limited.
std::string YamlToJson(const YAML::Node& node, int depth = 0) {
  if (depth > 32 || !node) return "null";
  std::string out;
  if (node.IsMap()) {
    out = "{";
    for (const auto& item : node) {
      if (out.size() > 1) out += ",";
      out += YamlToJson(item.first, depth + 1) + ":" + YamlToJson(item.second, depth + 1);
    }
    return out + "}";
  }
  if (node.IsSequence()) {
    out = "[";
    for (const auto& item : node) {
      if (out.size() > 1) out += ",";
      out += YamlToJson(item, depth + 1);
    }
    return out + "]";
  }
  if (!node.IsScalar()) return "null";
  std::string text = node.as<std::string>();
  static const std::regex kNumber(R"(^-?(0|[1-9][0-9]*)(\.[0-9]+)?$)");
  if (node.Tag() != "!" && (text == "true" || text == "false" || std::regex_match(text, kNumber))) return text;
  out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out += escaped;
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}

/// Reads alertDetailsOverride, eventGroupingSettings and incidentConfiguration (used by the hunt's alerts).
void ReadAlertSettings(const YAML::Node& root, SentinelRule& rule) {
  if (YAML::Node details = root["alertDetailsOverride"]; details && details.IsMap()) {
    auto text = [&](const char* key) { return details[key] && details[key].IsScalar() ? details[key].as<std::string>() : ""; };
    rule.alert_details_override.display_name_format = text("alertDisplayNameFormat");
    rule.alert_details_override.description_format = text("alertDescriptionFormat");
    rule.alert_details_override.severity_column = text("alertSeverityColumnName");
    rule.alert_details_override.tactics_column = text("alertTacticsColumnName");
    rule.alert_details_override.techniques_column = text("alertTechniquesColumnName");
    if (YAML::Node properties = details["alertDynamicProperties"]; properties && properties.IsSequence()) {
      for (const auto& property : properties) {
        if (property.IsMap() && property["alertProperty"] && property["value"])
          rule.alert_details_override.dynamic_properties.emplace_back(property["alertProperty"].as<std::string>(),
                                                                      property["value"].as<std::string>());
      }
    }
  }
  if (YAML::Node grouping = root["eventGroupingSettings"]; grouping && grouping.IsMap()) {
    if (grouping["aggregationKind"] && grouping["aggregationKind"].IsScalar())
      rule.aggregation_kind = grouping["aggregationKind"].as<std::string>();
  }
  if (YAML::Node incident = root["incidentConfiguration"]) rule.incident_configuration_json = YamlToJson(incident);
}

/// Parses "5h", "1d", "PT5H", "P1D", "14d".
std::optional<int64_t> ParsePeriod(const std::string& text) {
  if (auto ticks = ParseTimeSpan(text)) return ticks;
  std::string upper = text;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  static const std::regex kIso(R"(^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$)");
  std::smatch match;
  if (!std::regex_match(upper, match, kIso) || upper == "P" || upper == "PT") return std::nullopt;
  auto part = [&](int group) { return match[group].matched ? std::stoll(match[group].str()) : 0LL; };
  return part(1) * kTicksPerDay + part(2) * kTicksPerHour + part(3) * kTicksPerMinute + part(4) * kTicksPerSecond;
}

std::string NormalizeTriggerOperator(std::string op) {
  std::transform(op.begin(), op.end(), op.begin(), [](unsigned char c) { return std::tolower(c); });
  if (op == "greaterthan") return "gt";
  if (op == "lessthan") return "lt";
  if (op == "equal" || op == "equals") return "eq";
  if (op == "notequal") return "ne";
  return op;
}

SourcePosition PositionOf(const YAML::Node& node) {
  return SourcePosition{node.Mark().line + 1, node.Mark().column + 1};
}

/// Records where the rule's fields and their items were written (lint points at them).
void RecordPositions(const YAML::Node& root, SentinelRule& rule) {
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    std::string key = it->first.as<std::string>();
    rule.top_level_keys.push_back(key);
    rule.positions[key] = PositionOf(it->first);
    // A copy: `it->second` lives in a proxy that dies with this statement (a reference to it read freed memory).
    const YAML::Node value = it->second;
    if ((key == "tactics" || key == "relevantTechniques") && value.IsSequence()) {
      for (size_t i = 0; i < value.size(); ++i) rule.positions[key + "[" + std::to_string(i) + "]"] = PositionOf(value[i]);
    } else if ((key == "tactics" || key == "relevantTechniques") && value.IsScalar()) {
      rule.positions[key + "[0]"] = PositionOf(value);
    } else if (key == "customDetails" && value.IsMap()) {
      for (auto detail = value.begin(); detail != value.end(); ++detail) {
        if (detail->first.IsScalar()) rule.positions[key + "." + detail->first.as<std::string>()] = PositionOf(detail->second);
      }
    } else if (key == "entityMappings" && value.IsSequence()) {
      size_t mapping_index = 0;
      for (const auto& mapping : value) {
        if (!mapping.IsMap()) continue;
        std::string prefix = "entityMappings[" + std::to_string(mapping_index++) + "]";
        rule.positions[prefix] = PositionOf(mapping);
        if (mapping["entityType"]) rule.positions[prefix + ".entityType"] = PositionOf(mapping["entityType"]);
        YAML::Node fields = mapping["fieldMappings"];
        if (!fields || !fields.IsSequence()) continue;
        size_t field_index = 0;
        for (const auto& field : fields) {
          if (!field.IsMap() || !field["identifier"] || !field["columnName"]) continue;
          std::string field_prefix = prefix + ".fieldMappings[" + std::to_string(field_index++) + "]";
          rule.positions[field_prefix + ".identifier"] = PositionOf(field["identifier"]);
          rule.positions[field_prefix + ".columnName"] = PositionOf(field["columnName"]);
        }
      }
    }
  }
}

/// yaml-cpp's lookup finds the first of duplicated keys, but YAML tools (PyYAML, the Sentinel tooling) keep the
/// last. Warns about each repeated top-level key (KQLR109) and returns a mapping where the last value wins.
YAML::Node KeepLastDuplicateKeys(const YAML::Node& root, const std::string& path, std::vector<RuleProblem>& problems) {
  std::map<std::string, int> first_line;
  bool duplicated = false;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) continue;
    const std::string name = key.as<std::string>();
    auto [first, inserted] = first_line.emplace(name, key.Mark().line + 1);
    if (inserted) continue;
    duplicated = true;
    problems.push_back(RuleProblem{false, path, key.Mark().line + 1, key.Mark().column + 1, "KQLR109",
                                   "Duplicate key '" + name + "' (first at line " + std::to_string(first->second) +
                                       "); the last value is used"});
  }
  if (!duplicated) return root;
  YAML::Node last(YAML::NodeType::Map);
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (it->first.IsScalar()) {
      last[it->first.as<std::string>()] = it->second;
    } else {
      last[it->first] = it->second;
    }
  }
  return last;
}

}  // namespace

bool IsRuleTestFile(const std::string& path) {
  static const std::string kSuffixes[] = {".tests.yaml", ".tests.yml"};
  for (const auto& suffix : kSuffixes) {
    if (path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
      return true;
  }
  return false;
}

RuleLoadResult LoadRuleText(const std::string& text, const std::string& path) {
  RuleLoadResult result;
  std::map<int, int> added_indent;
  YAML::Node written;
  std::string repaired = text;
  try {
    written = YAML::Load(text);
  } catch (const YAML::Exception&) {
    std::vector<RuleProblem> repair_problems;
    repaired = RepairBlockScalars(text, path, repair_problems, added_indent);
    try {
      written = YAML::Load(repaired);
      result.problems.insert(result.problems.end(), repair_problems.begin(), repair_problems.end());
    } catch (const YAML::Exception& error) {
      result.problems.push_back(RuleProblem{true, path, error.mark.line + 1, error.mark.column + 1, "KQLR001",
                                            "YAML does not parse: " + error.msg});
      return result;
    }
  }
  if (!written.IsMap()) {
    result.problems.push_back(RuleProblem{true, path, 1, 1, "KQLR002", "Rule file is not a YAML mapping"});
    return result;
  }
  SentinelRule rule;
  rule.path = path;
  // Positions come from the text as written (a repeated key's last occurrence overwrites the first's).
  const YAML::Node root = KeepLastDuplicateKeys(written, path, result.problems);
  auto scalar = [&](const char* key) -> std::string {
    YAML::Node node = root[key];
    if (!node) return "";
    if (!node.IsScalar()) {
      result.problems.push_back(RuleProblem{false, path, node.Mark().line + 1, node.Mark().column + 1, "KQLR103",
                                            std::string("Field '") + key + "' should be a scalar; ignored"});
      return "";
    }
    return node.as<std::string>();
  };
  try {
    RecordPositions(written, rule);
    rule.id = scalar("id");
    rule.name = scalar("name");
    rule.description = scalar("description");
    if (auto severity = scalar("severity"); !severity.empty()) rule.severity = severity;
    if (auto kind = scalar("kind"); !kind.empty()) rule.kind = kind;
    rule.version = scalar("version");
    rule.status = scalar("status");
    if (auto frequency = scalar("queryFrequency"); !frequency.empty()) rule.query_frequency = frequency;
    if (auto period = scalar("queryPeriod"); !period.empty()) rule.query_period = period;
    if (auto op = scalar("triggerOperator"); !op.empty()) rule.trigger_operator = NormalizeTriggerOperator(op);
    if (auto threshold = scalar("triggerThreshold"); !threshold.empty()) {
      try {
        rule.trigger_threshold = std::stoll(threshold);
      } catch (const std::exception&) {
        result.problems.push_back(RuleProblem{false, path, root["triggerThreshold"].Mark().line + 1, 1, "KQLR104",
                                              "triggerThreshold is not a number: " + threshold});
      }
    }
    rule.tactics = ScalarOrList(root["tactics"], "tactics", path, result.problems);
    rule.techniques = ScalarOrList(root["relevantTechniques"], "relevantTechniques", path, result.problems);
    if (YAML::Node connectors = root["requiredDataConnectors"]; connectors && connectors.IsSequence()) {
      for (const auto& connector : connectors) {
        if (!connector.IsMap()) continue;
        if (connector["connectorId"]) rule.connectors.push_back(connector["connectorId"].as<std::string>());
        auto types = ScalarOrList(connector["dataTypes"], "dataTypes", path, result.problems);
        rule.data_types.insert(rule.data_types.end(), types.begin(), types.end());
      }
    }
    if (YAML::Node stray = root["dataTypes"]) {
      result.problems.push_back(RuleProblem{false, path, stray.Mark().line + 1, stray.Mark().column + 1, "KQLR105",
                                            "'dataTypes' should be indented under its requiredDataConnectors item; "
                                            "read it as the connector's data types"});
      auto types = ScalarOrList(stray, "dataTypes", path, result.problems);
      rule.data_types.insert(rule.data_types.end(), types.begin(), types.end());
    }
    if (YAML::Node mappings = root["entityMappings"]; mappings && mappings.IsSequence()) {
      for (const auto& mapping : mappings) {
        if (!mapping.IsMap()) continue;
        EntityMapping entity;
        if (mapping["entityType"]) entity.entity_type = mapping["entityType"].as<std::string>();
        if (YAML::Node fields = mapping["fieldMappings"]; fields && fields.IsSequence()) {
          for (const auto& field : fields) {
            if (field.IsMap() && field["identifier"] && field["columnName"])
              entity.field_mappings.emplace_back(field["identifier"].as<std::string>(),
                                                 field["columnName"].as<std::string>());
          }
        }
        rule.entity_mappings.push_back(std::move(entity));
      }
    }
    if (YAML::Node details = root["customDetails"]; details && details.IsMap()) {
      for (const auto& detail : details) {
        if (detail.second.IsScalar())
          rule.custom_details.emplace_back(detail.first.as<std::string>(), detail.second.as<std::string>());
      }
    }
    ReadAlertSettings(root, rule);
    YAML::Node query = root["query"];
    if (query && query.IsScalar()) {
      rule.query = query.as<std::string>();
      // A block scalar's text starts on the line after its indicator.
      int indicator_line = query.Mark().line + 1;
      std::vector<std::string> lines = SplitLines(repaired);
      bool is_block = indicator_line - 1 < static_cast<int>(lines.size()) &&
                      lines[indicator_line - 1].find_first_of("|>") != std::string::npos &&
                      lines[indicator_line - 1].find_first_not_of(" |>-+0123456789", lines[indicator_line - 1].find_first_of("|>")) == std::string::npos;
      rule.query_line = is_block ? indicator_line + 1 : indicator_line;
      rule.query_column = 1;
      if (is_block && rule.query_line - 1 < static_cast<int>(lines.size())) {
        int indent = static_cast<int>(Indent(lines[rule.query_line - 1]));
        auto it = added_indent.find(rule.query_line);
        rule.query_column = indent - (it == added_indent.end() ? 0 : it->second) + 1;
      } else if (!is_block) {
        rule.query_column = query.Mark().column + 1;
      }
    }
  } catch (const YAML::Exception& error) {
    result.problems.push_back(RuleProblem{true, path, error.mark.line + 1, error.mark.column + 1, "KQLR003",
                                          "Rule YAML has an unexpected shape: " + error.msg});
    return result;
  }
  auto period = ParsePeriod(rule.query_period);
  auto frequency = ParsePeriod(rule.query_frequency);
  auto line_of = [&](const char* key) { return rule.positions.count(key) ? rule.positions[key].line : 1; };
  if (!period) {
    result.problems.push_back(RuleProblem{false, path, line_of("queryPeriod"), 1, "KQLR106",
                                          "queryPeriod is not a duration: " + rule.query_period + "; using 5h"});
  }
  if (!frequency) {
    result.problems.push_back(RuleProblem{false, path, line_of("queryFrequency"), 1, "KQLR106",
                                          "queryFrequency is not a duration: " + rule.query_frequency + "; using 5h"});
  }
  rule.query_period_ticks = period.value_or(5 * kTicksPerHour);
  rule.query_frequency_ticks = frequency.value_or(5 * kTicksPerHour);
  if (rule.kind == "Scheduled" && (!root["queryPeriod"] || !root["queryFrequency"])) {
    result.problems.push_back(RuleProblem{false, path, 1, 1, "KQLR107",
                                          "queryFrequency/queryPeriod missing; using Sentinel's default of 5h"});
  }
  if (rule.query.empty()) {
    result.problems.push_back(RuleProblem{true, path, 1, 1, "KQLR004", "Rule has no 'query'"});
    return result;
  }
  if (rule.name.empty()) rule.name = std::filesystem::path(path).stem().string();
  result.rule = std::move(rule);
  return result;
}

RuleLoadResult LoadRuleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    RuleLoadResult result;
    result.problems.push_back(RuleProblem{true, path, 0, 0, "KQLR005", "Cannot read rule file"});
    return result;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadRuleText(buffer.str(), path);
}

std::vector<RuleLoadResult> LoadRulesText(const std::string& text, const std::string& path) {
  if (IsJsonRuleText(text)) return LoadArmRuleText(text, path);
  std::vector<RuleLoadResult> results;
  results.push_back(LoadRuleText(text, path));
  return results;
}

std::vector<RuleLoadResult> LoadRuleFiles(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::vector<RuleLoadResult> results(1);
    results[0].problems.push_back(RuleProblem{true, path, 0, 0, "KQLR005", "Cannot read rule file"});
    return results;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadRulesText(buffer.str(), path);
}

std::vector<std::string> FindRuleFiles(const std::vector<std::string>& paths, std::vector<std::string>& errors) {
  std::vector<std::string> files;
  namespace fs = std::filesystem;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(path, error), end; it != end && !error; it.increment(error)) {
        if (!it->is_regular_file()) continue;
        std::string extension = it->path().extension().string();
        if (((extension == ".yaml" || extension == ".yml") && !IsRuleTestFile(it->path().string())) ||
            (extension == ".json" && IsArmRuleFile(it->path().string())))
          found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, error)) {
      files.push_back(path);
    } else {
      errors.push_back(path + ": no such file or folder");
    }
  }
  return files;
}

std::vector<RuleLoadResult> LoadBuiltinRuleYaml() {
  std::vector<RuleLoadResult> results;
  for (const auto& file : BuiltinRuleFiles()) {
    if (!IsRuleTestFile(file.path)) results.push_back(LoadRuleText(file.text, std::string("builtin:") + file.path));
  }
  return results;
}

}  // namespace kql::rules
