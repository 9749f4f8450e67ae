#include "rules/arm_rule.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "types/dynamic.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

constexpr const char* kRuleType = "Microsoft.OperationalInsights/workspaces/providers/alertRules";
constexpr const char* kApiVersion = "2023-12-01-preview";
/// The resource-level metadata key that carries YAML fields an ARM rule has no property for.
constexpr const char* kYamlExtras = "sentinelYaml";

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool IsStringNode(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "!"; }

/// A scalar node that stays a string in JSON and YAML output.
YAML::Node StringNode(const std::string& text) {
  YAML::Node node(text);
  node.SetTag("!");
  return node;
}

/// A scalar node written bare (a number or a boolean).
YAML::Node BareNode(const std::string& text) {
  YAML::Node node(text);
  node.SetTag("?");
  return node;
}

SourcePosition PositionOf(const YAML::Node& node) {
  return SourcePosition{node.Mark().line + 1, node.Mark().column + 1};
}

// ------------------------------------------------------------------------------------------------------------------
// Durations, operators, techniques: the two spellings of the same facts.

/// "5h" -> "PT5H", "1d" -> "P1D"; anything else is returned as written.
std::string IsoDuration(const std::string& text) {
  static const std::regex kShort(R"(^\s*(\d+)\s*([dhms])\s*$)", std::regex::icase);
  std::smatch match;
  if (!std::regex_match(text, match, kShort)) return text;
  char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(match[2].str()[0])));
  return (unit == 'D' ? "P" : "PT") + match[1].str() + unit;
}

/// "PT5H" -> "5h", "P1D" -> "1d", "PT1H30M" -> "90m"; anything else is returned as written.
std::string ShortDuration(const std::string& text) {
  static const std::regex kIso(R"(^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$)", std::regex::icase);
  std::smatch match;
  if (!std::regex_match(text, match, kIso)) return text;
  static const char kUnits[] = {'d', 'h', 'm', 's'};
  static const long long kPerUnit[] = {86400, 3600, 60, 1};
  int present = 0;
  int smallest = -1;
  long long seconds = 0;
  for (int part = 0; part < 4; ++part) {
    if (!match[part + 1].matched) continue;
    ++present;
    smallest = part;
    seconds += std::stoll(match[part + 1].str()) * kPerUnit[part];
  }
  if (present == 0) return text;
  if (present == 1) return match[smallest + 1].str() + kUnits[smallest];
  return std::to_string(seconds / kPerUnit[smallest]) + kUnits[smallest];
}

std::string ArmOperator(const std::string& op) {
  std::string lower = Lower(op);
  if (lower == "gt" || lower == "greaterthan") return "GreaterThan";
  if (lower == "lt" || lower == "lessthan") return "LessThan";
  if (lower == "eq" || lower == "equal" || lower == "equals") return "Equal";
  if (lower == "ne" || lower == "notequal") return "NotEqual";
  return op;
}

std::string YamlOperator(const std::string& op) {
  std::string lower = Lower(op);
  if (lower == "greaterthan") return "gt";
  if (lower == "lessthan") return "lt";
  if (lower == "equal" || lower == "equals") return "eq";
  if (lower == "notequal") return "ne";
  return op;
}

/// The last GUID in a resource name or id ("[concat(parameters('workspace'),'/Microsoft.SecurityInsights/<guid>')]").
std::optional<std::string> GuidIn(const std::string& text) {
  static const std::regex kGuid(R"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
  std::optional<std::string> last;
  for (std::sregex_iterator it(text.begin(), text.end(), kGuid), end; it != end; ++it) last = it->str();
  return last;
}

// ------------------------------------------------------------------------------------------------------------------
// Writers: JSON (ARM) and YAML (Sentinel), both deterministic and ordered as the input.

bool LooksBare(const std::string& text) {
  static const std::regex kNumber(R"(^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$)");
  return text == "true" || text == "false" || text == "null" || std::regex_match(text, kNumber);
}

/// Pretty JSON; a scalar is bare when it was not a quoted string and reads as a number, true, false or null.
void AppendJson(std::string& out, const YAML::Node& node, int indent) {
  const std::string pad(static_cast<size_t>(indent) + 2, ' ');
  if (node.IsMap()) {
    if (node.size() == 0) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& item : node) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      AppendJsonString(out, item.first.as<std::string>());
      out += ": ";
      AppendJson(out, item.second, indent + 2);
    }
    out += "\n" + std::string(static_cast<size_t>(indent), ' ') + "}";
  } else if (node.IsSequence()) {
    if (node.size() == 0) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (size_t i = 0; i < node.size(); ++i) {
      out += (i ? ",\n" : "") + pad;
      AppendJson(out, node[i], indent + 2);
    }
    out += "\n" + std::string(static_cast<size_t>(indent), ' ') + "]";
  } else if (node.IsScalar()) {
    const std::string text = node.as<std::string>();
    if (!IsStringNode(node) && LooksBare(text)) {
      out += text;
    } else {
      AppendJsonString(out, text);
    }
  } else {
    out += "null";
  }
}

/// True when the text can be written as a plain YAML scalar and read back as the same string.
bool PlainYamlSafe(const std::string& text, bool is_string) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ' || text.back() == ':') return false;
  if (std::string("-?:,[]{}#&*!|>'\"%@`").find(text.front()) != std::string::npos) return false;
  if (text.find(": ") != std::string::npos || text.find(" #") != std::string::npos) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  static const std::set<std::string> kSpecial = {"~", "null", "true", "false", "yes", "no", "on", "off"};
  if (is_string && (kSpecial.count(Lower(text)) || LooksBare(text))) return false;
  return true;
}

std::string YamlScalar(const std::string& text, bool is_string) {
  if (PlainYamlSafe(text, is_string)) return text;
  bool control = std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (!control) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  std::string out;
  AppendJsonString(out, text);  // A JSON string is a valid YAML double-quoted scalar.
  return out;
}

/// A multi-line string as a literal block (after "key:" or "- "), CRLF line ends read as LF.
bool AppendLiteral(std::string& out, std::string text, int indent) {
  for (size_t at = 0; (at = text.find("\r\n", at)) != std::string::npos;) text.erase(at, 1);
  if (text.find('\n') == std::string::npos || text.find('\r') != std::string::npos) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') return false;
  }
  size_t trailing = 0;
  while (trailing < text.size() && text[text.size() - 1 - trailing] == '\n') ++trailing;
  std::string body = text.substr(0, text.size() - trailing);
  out += " |";
  if (!body.empty() && (body.front() == ' ' || body.front() == '\n')) out += "2";
  out += trailing == 0 ? "-" : trailing > 1 ? "+" : "";
  out += "\n";
  const std::string pad(static_cast<size_t>(indent) + 2, ' ');
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    std::string line = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += line.empty() ? "\n" : pad + line + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  for (size_t i = 1; i < trailing; ++i) out += "\n";
  return true;
}

void AppendYamlEntries(std::string& out, const YAML::Node& map, int indent, std::map<std::string, int>* key_lines);

/// Writes a value after "key:" or "- " (the text before it is already on the line).
void AppendYamlValue(std::string& out, const YAML::Node& node, int indent) {
  if (node.IsScalar()) {
    const std::string text = node.as<std::string>();
    if (text.find('\n') != std::string::npos && AppendLiteral(out, text, indent)) return;
    out += " " + YamlScalar(text, IsStringNode(node) || node.Tag().empty()) + "\n";
  } else if (node.IsMap() && node.size() > 0) {
    out += "\n";
    AppendYamlEntries(out, node, indent + 2, nullptr);
  } else if (node.IsSequence() && node.size() > 0) {
    out += "\n";
    const std::string pad(static_cast<size_t>(indent) + 2, ' ');
    for (const auto& item : node) {
      if (item.IsMap() && item.size() > 0) {
        std::string entries;
        AppendYamlEntries(entries, item, indent + 4, nullptr);
        entries.replace(static_cast<size_t>(indent) + 2, 2, "- ");
        out += entries;
      } else {
        out += pad + "-";
        AppendYamlValue(out, item, indent + 2);
      }
    }
  } else {
    out += node.IsMap() ? " {}\n" : node.IsSequence() ? " []\n" : " null\n";
  }
}

void AppendYamlEntries(std::string& out, const YAML::Node& map, int indent, std::map<std::string, int>* key_lines) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  for (const auto& item : map) {
    const std::string key = item.first.as<std::string>();
    if (key_lines) (*key_lines)[key] = static_cast<int>(std::count(out.begin(), out.end(), '\n')) + 1;
    out += pad + YamlScalar(key, true) + ":";
    AppendYamlValue(out, item.second, indent);
  }
}

// ------------------------------------------------------------------------------------------------------------------
// ARM resource <-> Sentinel YAML mapping.

/// ARM rule properties with the same name and meaning in Sentinel YAML.
const std::vector<std::string>& SharedProperties() {
  static const std::vector<std::string> kShared = {
      "description",          "severity",          "enabled",           "query",
      "triggerThreshold",     "suppressionDuration", "suppressionEnabled", "tactics",
      "alertRuleTemplateName", "incidentConfiguration", "eventGroupingSettings", "alertDetailsOverride",
      "customDetails",        "entityMappings",    "sentinelEntitiesMappings"};
  return kShared;
}

bool IsShared(const std::string& key) {
  const auto& shared = SharedProperties();
  return std::find(shared.begin(), shared.end(), key) != shared.end();
}

/// One ARM rule resource as Sentinel YAML (an ordered map), with where each YAML key came from in the JSON.
struct YamlRule {
  YAML::Node root{YAML::NodeType::Map};
  std::map<std::string, SourcePosition> origins;
  SourcePosition resource_position;
};

YamlRule YamlFromResource(const YAML::Node& resource) {
  YamlRule rule;
  rule.resource_position = PositionOf(resource);
  const YAML::Node properties = resource["properties"];
  auto origin_of = [&](const YAML::Node& map, const std::string& key) {
    for (const auto& item : map) {
      if (item.first.as<std::string>() == key) return PositionOf(item.first);
    }
    return rule.resource_position;
  };
  auto put = [&](const std::string& key, const YAML::Node& value, SourcePosition origin) {
    rule.root[key] = value;
    rule.origins[key] = origin;
  };
  for (const char* field : {"name", "id"}) {
    if (resource[field] && resource[field].IsScalar()) {
      if (auto guid = GuidIn(resource[field].as<std::string>())) {
        put("id", StringNode(*guid), origin_of(resource, field));
        break;
      }
    }
  }
  auto scalar = [&](const char* key) -> std::optional<std::string> {
    YAML::Node node = properties[key];
    if (!node || !node.IsScalar()) return std::nullopt;
    return node.as<std::string>();
  };
  if (auto name = scalar("displayName")) put("name", StringNode(*name), origin_of(properties, "displayName"));
  if (properties["description"]) put("description", properties["description"], origin_of(properties, "description"));
  if (properties["severity"]) put("severity", properties["severity"], origin_of(properties, "severity"));
  const YAML::Node extras = resource["metadata"] ? resource["metadata"][kYamlExtras] : YAML::Node();
  if (extras && extras.IsMap() && extras["requiredDataConnectors"]) {
    put("requiredDataConnectors", extras["requiredDataConnectors"], origin_of(extras, "requiredDataConnectors"));
  }
  for (const char* key : {"queryFrequency", "queryPeriod"}) {
    if (auto text = scalar(key)) put(key, StringNode(ShortDuration(*text)), origin_of(properties, key));
  }
  if (auto op = scalar("triggerOperator")) {
    put("triggerOperator", StringNode(YamlOperator(*op)), origin_of(properties, "triggerOperator"));
  }
  if (properties["triggerThreshold"]) {
    put("triggerThreshold", properties["triggerThreshold"], origin_of(properties, "triggerThreshold"));
  }
  if (properties["tactics"]) put("tactics", properties["tactics"], origin_of(properties, "tactics"));
  // Sentinel YAML lists sub-techniques among the techniques: each replaces its parent, in the parent's place.
  const YAML::Node techniques = properties["techniques"];
  const YAML::Node sub_techniques = properties["subTechniques"];
  if ((techniques && techniques.IsSequence()) || (sub_techniques && sub_techniques.IsSequence())) {
    YAML::Node merged(YAML::NodeType::Sequence);
    std::set<std::string> placed;
    auto subs_of = [&](const std::string& parent) {
      std::vector<std::string> subs;
      if (!sub_techniques || !sub_techniques.IsSequence()) return subs;
      for (const auto& sub : sub_techniques) {
        std::string text = sub.as<std::string>();
        if (text.rfind(parent + ".", 0) == 0) subs.push_back(text);
      }
      return subs;
    };
    if (techniques && techniques.IsSequence()) {
      for (const auto& technique : techniques) {
        std::string parent = technique.as<std::string>();
        std::vector<std::string> subs = subs_of(parent);
        if (subs.empty()) subs.push_back(parent);
        for (const auto& text : subs) {
          if (placed.insert(text).second) merged.push_back(StringNode(text));
        }
      }
    }
    if (sub_techniques && sub_techniques.IsSequence()) {
      for (const auto& sub : sub_techniques) {
        if (placed.insert(sub.as<std::string>()).second) merged.push_back(StringNode(sub.as<std::string>()));
      }
    }
    put("relevantTechniques", merged, origin_of(properties, techniques ? "techniques" : "subTechniques"));
  }
  static const std::set<std::string> kMapped = {"displayName", "description", "severity", "queryFrequency",
                                                "queryPeriod", "triggerOperator", "triggerThreshold", "tactics",
                                                "techniques", "subTechniques", "templateVersion"};
  if (properties["query"]) put("query", properties["query"], origin_of(properties, "query"));
  for (const auto& item : properties) {
    const std::string key = item.first.as<std::string>();
    if (kMapped.count(key) || key == "query" || rule.origins.count(key)) continue;
    // Properties the service sets (lastModifiedUtc) say nothing about the rule; null ones say nothing at all.
    if (key == "lastModifiedUtc" || item.second.IsNull()) continue;
    put(key, item.second, PositionOf(item.first));
  }
  if (extras && extras.IsMap()) {
    for (const auto& item : extras) {
      const std::string key = item.first.as<std::string>();
      if (!rule.origins.count(key)) put(key, item.second, PositionOf(item.first));
    }
  }
  if (auto version = scalar("templateVersion")) {
    put("version", StringNode(*version), origin_of(properties, "templateVersion"));
  }
  if (resource["kind"] && resource["kind"].IsScalar()) put("kind", resource["kind"], origin_of(resource, "kind"));
  return rule;
}

/// True for a resource of the alertRules type (the portal's and the REST API's spellings).
bool IsRuleResource(const YAML::Node& resource) {
  if (!resource.IsMap()) return false;
  if (resource["type"] && resource["type"].IsScalar()) {
    std::string type = Lower(resource["type"].as<std::string>());
    return type.size() >= 10 && type.compare(type.size() - 10, 10, "alertrules") == 0;
  }
  return resource["properties"] && resource["properties"].IsMap() && resource["kind"];
}

/// The rule resources of a parsed ARM export.
std::vector<YAML::Node> RuleResources(const YAML::Node& root) {
  std::vector<YAML::Node> found;
  YAML::Node list = root;
  if (root.IsMap() && root["resources"]) list = root["resources"];
  else if (root.IsMap() && root["value"]) list = root["value"];
  if (list.IsSequence()) {
    for (const auto& resource : list) {
      if (IsRuleResource(resource)) found.push_back(resource);
    }
  } else if (IsRuleResource(list)) {
    found.push_back(list);
  }
  return found;
}

/// Parses JSON text; reports a problem and returns nothing when it does not parse.
std::optional<YAML::Node> ParseJsonText(const std::string& text, const std::string& path,
                                        std::vector<RuleProblem>& problems) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& error) {
    problems.push_back(RuleProblem{true, path, error.mark.line + 1, error.mark.column + 1, "KQLR001",
                                   "JSON does not parse: " + error.msg});
    return std::nullopt;
  }
}

/// Kinds of rule that carry a KQL query.
bool HasQueryKind(const YAML::Node& resource) {
  if (!resource["kind"] || !resource["kind"].IsScalar()) return true;
  std::string kind = Lower(resource["kind"].as<std::string>());
  return kind == "scheduled" || kind == "nrt";
}

/// The YAML rules of an ARM export, with problems for rules that cannot be hunted.
std::vector<YamlRule> YamlRules(const std::string& text, const std::string& path, std::vector<RuleProblem>& problems) {
  std::vector<YamlRule> rules;
  auto root = ParseJsonText(text, path, problems);
  if (!root) return rules;
  std::vector<YAML::Node> resources = RuleResources(*root);
  if (resources.empty()) {
    problems.push_back(RuleProblem{true, path, 1, 1, "KQLR002",
                                   std::string("JSON file holds no Sentinel alert rule (no resource of type ") +
                                       kRuleType + ")"});
  }
  for (const auto& resource : resources) {
    if (!HasQueryKind(resource)) {
      SourcePosition at = PositionOf(resource);
      // Fusion and the other built-in kinds often have no displayName: the resource's name says which rule it is.
      std::string name = resource["properties"] && resource["properties"]["displayName"]
                             ? resource["properties"]["displayName"].as<std::string>()
                             : resource["name"] && resource["name"].IsScalar() ? resource["name"].as<std::string>()
                                                                                : "";
      problems.push_back(RuleProblem{false, path, at.line, at.col, "KQLR108",
                                     "Rule '" + name + "' is of kind " + resource["kind"].as<std::string>() +
                                         ", which has no KQL query; skipped"});
      continue;
    }
    rules.push_back(YamlFromResource(resource));
  }
  return rules;
}

std::string Stem(const std::string& name, std::set<std::string>& used) {
  std::string stem;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      stem.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!stem.empty() && stem.back() != '_') {
      stem.push_back('_');
    }
  }
  while (!stem.empty() && stem.back() == '_') stem.pop_back();
  if (stem.size() > 80) stem.resize(80);
  if (stem.empty()) stem = "rule";
  std::string unique = stem;
  for (int n = 2; !used.insert(unique).second; ++n) unique = stem + "_" + std::to_string(n);
  return unique;
}

/// One Sentinel YAML rule as an ARM resource.
YAML::Node ResourceFromYaml(const YAML::Node& rule) {
  YAML::Node properties(YAML::NodeType::Map);
  YAML::Node extras(YAML::NodeType::Map);
  auto text = [&](const char* key) { return rule[key] && rule[key].IsScalar() ? rule[key].as<std::string>() : ""; };
  auto copy = [&](const char* key) {
    if (rule[key]) properties[key] = rule[key];
  };
  if (rule["name"]) properties["displayName"] = StringNode(text("name"));
  copy("description");
  copy("severity");
  properties["enabled"] = rule["enabled"] ? rule["enabled"] : BareNode("true");
  copy("query");
  for (const char* key : {"queryFrequency", "queryPeriod"}) {
    if (rule[key]) properties[key] = StringNode(IsoDuration(text(key)));
  }
  if (rule["triggerOperator"]) properties["triggerOperator"] = StringNode(ArmOperator(text("triggerOperator")));
  if (rule["triggerThreshold"]) properties["triggerThreshold"] = BareNode(text("triggerThreshold"));
  properties["suppressionDuration"] = rule["suppressionDuration"] ? rule["suppressionDuration"] : StringNode("PT5H");
  properties["suppressionEnabled"] = rule["suppressionEnabled"] ? rule["suppressionEnabled"] : BareNode("false");
  copy("tactics");
  if (YAML::Node techniques = rule["relevantTechniques"]; techniques && techniques.IsSequence()) {
    YAML::Node parents(YAML::NodeType::Sequence);
    YAML::Node subs(YAML::NodeType::Sequence);
    std::set<std::string> seen;
    for (const auto& technique : techniques) {
      std::string id = technique.as<std::string>();
      std::string parent = id.substr(0, id.find('.'));
      if (seen.insert(parent).second) parents.push_back(StringNode(parent));
      if (parent != id) subs.push_back(StringNode(id));
    }
    properties["techniques"] = parents;
    if (subs.size() > 0) properties["subTechniques"] = subs;
  }
  static const std::set<std::string> kMapped = {"id", "name", "description", "severity", "enabled", "query",
                                                "queryFrequency", "queryPeriod", "triggerOperator",
                                                "triggerThreshold", "suppressionDuration", "suppressionEnabled",
                                                "tactics", "relevantTechniques", "version", "kind"};
  // requiredDataConnectors leads the extras, where the ARM -> YAML direction puts it back (after severity).
  if (rule["requiredDataConnectors"]) extras["requiredDataConnectors"] = rule["requiredDataConnectors"];
  for (const auto& item : rule) {
    const std::string key = item.first.as<std::string>();
    if (kMapped.count(key) || key == "requiredDataConnectors") continue;
    if (IsShared(key)) {
      properties[key] = item.second;
    } else {
      extras[key] = item.second;  // requiredDataConnectors, status, tags, metadata, ...
    }
  }
  if (rule["version"]) properties["templateVersion"] = StringNode(text("version"));
  YAML::Node resource(YAML::NodeType::Map);
  const std::string id = text("id");
  if (!id.empty()) {
    resource["id"] = StringNode(
        "[concat(resourceId('Microsoft.OperationalInsights/workspaces/providers', parameters('workspace'), "
        "'Microsoft.SecurityInsights'),'/alertRules/" + id + "')]");
    resource["name"] = StringNode("[concat(parameters('workspace'),'/Microsoft.SecurityInsights/" + id + "')]");
  }
  resource["type"] = StringNode(kRuleType);
  resource["kind"] = StringNode(rule["kind"] ? text("kind") : "Scheduled");
  resource["apiVersion"] = StringNode(kApiVersion);
  resource["properties"] = properties;
  if (extras.size() > 0) resource["metadata"][kYamlExtras] = extras;
  return resource;
}

}  // namespace

bool IsJsonRuleText(std::string_view text) {
  size_t at = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") at = 3;  // UTF-8 byte order mark
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  return at < text.size() && (text[at] == '{' || text[at] == '[');
}

bool IsArmRuleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (!IsJsonRuleText(head)) return false;
  std::string lower = Lower(head);
  return lower.find("/alertrules") != std::string::npos || lower.find("deploymenttemplate.json") != std::string::npos;
}

std::vector<RuleLoadResult> LoadArmRuleText(const std::string& text, const std::string& path) {
  std::vector<RuleLoadResult> results;
  std::vector<RuleProblem> problems;
  std::vector<YamlRule> rules = YamlRules(text, path, problems);
  if (!problems.empty()) {
    results.emplace_back();
    results.back().problems = problems;
  }
  for (const auto& yaml_rule : rules) {
    std::string yaml;
    std::map<std::string, int> key_lines;
    AppendYamlEntries(yaml, yaml_rule.root, 0, &key_lines);
    RuleLoadResult loaded = LoadRuleText(yaml, path);
    // Point every position at the JSON: a YAML line belongs to the last key that starts at or before it.
    auto json_position = [&](int yaml_line) {
      SourcePosition best = yaml_rule.resource_position;
      int best_line = 0;
      for (const auto& [key, line] : key_lines) {
        if (line <= yaml_line && line > best_line) {
          best_line = line;
          auto origin = yaml_rule.origins.find(key);
          if (origin != yaml_rule.origins.end()) best = origin->second;
        }
      }
      return best;
    };
    for (auto& problem : loaded.problems) {
      SourcePosition at = json_position(problem.line);
      problem.line = at.line;
      problem.col = at.col;
    }
    if (loaded.rule) {
      for (auto& [key, position] : loaded.rule->positions) position = json_position(position.line);
      if (auto origin = yaml_rule.origins.find("query"); origin != yaml_rule.origins.end()) {
        loaded.rule->query_line = origin->second.line;
        loaded.rule->query_column = origin->second.col;
        loaded.rule->query_in_json_string = true;
      }
    }
    results.push_back(std::move(loaded));
  }
  return results;
}

std::string ArmTemplateFromYaml(const std::vector<std::pair<std::string, std::string>>& files,
                                std::vector<RuleProblem>& problems) {
  YAML::Node resources(YAML::NodeType::Sequence);
  for (const auto& [path, text] : files) {
    RuleLoadResult loaded = LoadRuleText(text, path);
    for (const auto& problem : loaded.problems) {
      if (problem.is_error) problems.push_back(problem);
    }
    if (!loaded.rule) continue;
    // The loader may have repaired the text (unindented block scalars); convert what it read.
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& error) {
      problems.push_back(RuleProblem{true, path, error.mark.line + 1, error.mark.column + 1, "KQLR001",
                                     "YAML does not parse as written (fix the reported repair first): " + error.msg});
      continue;
    }
    resources.push_back(ResourceFromYaml(root));
  }
  YAML::Node document(YAML::NodeType::Map);
  document["$schema"] = StringNode("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
  document["contentVersion"] = StringNode("1.0.0.0");
  document["parameters"]["workspace"]["type"] = StringNode("String");
  document["resources"] = resources;
  std::string out;
  AppendJson(out, document, 0);
  return out + "\n";
}

std::vector<ConvertedRule> YamlFromArmText(const std::string& text, const std::string& path,
                                           std::vector<RuleProblem>& problems) {
  std::vector<ConvertedRule> converted;
  std::set<std::string> used;
  for (const auto& rule : YamlRules(text, path, problems)) {
    std::string yaml;
    AppendYamlEntries(yaml, rule.root, 0, nullptr);
    std::string name = rule.root["name"] ? rule.root["name"].as<std::string>() : "rule";
    converted.push_back(ConvertedRule{Stem(name, used), yaml});
  }
  return converted;
}

}  // namespace kql::rules
