#include "rules/rule_linter.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "catalog/catalog.h"
#include "rules/rule_loader.h"
#include "rules/windows_binaries.h"
#include "types/datetime.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

/// Sentinel's analytic rule limits (Sentinel documentation: scheduled rule wizard and REST API).
constexpr int64_t kMinFrequencyTicks = 5 * kTicksPerMinute;
constexpr int64_t kMaxPeriodTicks = 14 * kTicksPerDay;
constexpr int64_t kMaxTriggerThreshold = 10000;
constexpr size_t kMaxNameLength = 256;
constexpr size_t kMaxDescriptionLength = 5000;
constexpr size_t kMaxEntityMappings = 10;
constexpr size_t kMaxIdentifiersPerEntity = 3;
constexpr size_t kMaxCustomDetails = 20;

/// The tactics Sentinel accepts, spelled as Sentinel spells them (ATT&CK Enterprise plus the ICS additions).
constexpr std::string_view kTactics[] = {
    "Reconnaissance",       "ResourceDevelopment",    "InitialAccess",    "Execution", "Persistence",
    "PrivilegeEscalation",  "DefenseEvasion",         "CredentialAccess", "Discovery", "LateralMovement",
    "Collection",           "CommandAndControl",      "Exfiltration",     "Impact",    "PreAttack",
    "ImpairProcessControl", "InhibitResponseFunction"};

/// Techniques that detection rules (the RMM pack among them) commonly cite, with their ATT&CK Enterprise tactics.
struct TechniqueTactics {
  std::string_view technique;
  std::vector<std::string_view> tactics;
};

const std::vector<TechniqueTactics>& TechniqueTable() {
  static const std::vector<TechniqueTactics> kTable = {
      {"T1003", {"CredentialAccess"}},
      {"T1005", {"Collection"}},
      {"T1016", {"Discovery"}},
      {"T1018", {"Discovery"}},
      {"T1021", {"LateralMovement"}},
      {"T1027", {"DefenseEvasion"}},
      {"T1036", {"DefenseEvasion"}},
      {"T1041", {"Exfiltration"}},
      {"T1046", {"Discovery"}},
      {"T1047", {"Execution"}},
      {"T1048", {"Exfiltration"}},
      {"T1053", {"Execution", "Persistence", "PrivilegeEscalation"}},
      {"T1055", {"DefenseEvasion", "PrivilegeEscalation"}},
      {"T1059", {"Execution"}},
      {"T1068", {"PrivilegeEscalation"}},
      {"T1070", {"DefenseEvasion"}},
      {"T1071", {"CommandAndControl"}},
      {"T1072", {"Execution", "LateralMovement"}},
      {"T1078", {"DefenseEvasion", "Persistence", "PrivilegeEscalation", "InitialAccess"}},
      {"T1082", {"Discovery"}},
      {"T1087", {"Discovery"}},
      {"T1090", {"CommandAndControl"}},
      {"T1098", {"Persistence", "PrivilegeEscalation"}},
      {"T1102", {"CommandAndControl"}},
      {"T1105", {"CommandAndControl"}},
      {"T1110", {"CredentialAccess"}},
      {"T1112", {"DefenseEvasion"}},
      {"T1113", {"Collection"}},
      {"T1133", {"Persistence", "InitialAccess"}},
      {"T1136", {"Persistence"}},
      {"T1140", {"DefenseEvasion"}},
      {"T1190", {"InitialAccess"}},
      {"T1197", {"DefenseEvasion", "Persistence"}},
      {"T1204", {"Execution"}},
      {"T1210", {"LateralMovement"}},
      {"T1218", {"DefenseEvasion"}},
      {"T1219", {"CommandAndControl"}},
      {"T1486", {"Impact"}},
      {"T1489", {"Impact"}},
      {"T1490", {"Impact"}},
      {"T1543", {"Persistence", "PrivilegeEscalation"}},
      {"T1547", {"Persistence", "PrivilegeEscalation"}},
      {"T1548", {"PrivilegeEscalation", "DefenseEvasion"}},
      {"T1553", {"DefenseEvasion"}},
      {"T1555", {"CredentialAccess"}},
      {"T1560", {"Collection"}},
      {"T1562", {"DefenseEvasion"}},
      {"T1563", {"LateralMovement"}},
      {"T1564", {"DefenseEvasion"}},
      {"T1566", {"InitialAccess"}},
      {"T1567", {"Exfiltration"}},
      {"T1569", {"Execution"}},
      {"T1570", {"LateralMovement"}},
      {"T1572", {"CommandAndControl"}},
      {"T1573", {"CommandAndControl"}},
      {"T1588", {"ResourceDevelopment"}},
      {"T1595", {"Reconnaissance"}},
  };
  return kTable;
}

/// Entity types Sentinel maps, each with the identifiers its entity mapping accepts (Sentinel's entity types
/// reference); an empty list accepts any identifier.
const std::map<std::string, std::vector<std::string>>& EntityIdentifiers() {
  static const std::map<std::string, std::vector<std::string>> kEntities = {
      {"Account",
       {"Name", "FullName", "NTDomain", "DnsDomain", "UPNSuffix", "Sid", "AadTenantId", "AadUserId", "PUID",
        "IsDomainJoined", "DisplayName", "ObjectGuid", "CloudAppAccountId"}},
      {"Host",
       {"DnsDomain", "NTDomain", "HostName", "FullName", "NetBiosName", "AzureID", "OMSAgentID", "OSFamily",
        "OSVersion", "IsDomainJoined"}},
      {"IP", {"Address", "AddressScope"}},
      {"URL", {"Url"}},
      {"AzureResource", {"ResourceId"}},
      {"CloudApplication", {"AppId", "Name", "InstanceName"}},
      {"DNS", {"DomainName"}},
      {"File", {"Directory", "Name"}},
      {"FileHash", {"Algorithm", "Value"}},
      {"Malware", {"Name", "Category"}},
      {"Process", {"ProcessId", "CommandLine", "ElevationToken", "CreationTimeUtc"}},
      {"RegistryKey", {"Hive", "Key"}},
      {"RegistryValue", {"Name", "Value", "ValueType"}},
      {"SecurityGroup", {"DistinguishedName", "SID", "ObjectGuid"}},
      {"Mailbox", {"MailboxPrimaryAddress", "DisplayName", "Upn", "ExternalDirectoryObjectId", "RiskLevel"}},
      {"MailCluster",
       {"NetworkMessageIds", "CountByDeliveryStatus", "CountByThreatType", "CountByProtectionStatus", "Threats",
        "Query", "QueryTime", "MailCount", "IsVolumeAnomaly", "Source", "ClusterSourceIdentifier", "ClusterSourceType",
        "ClusterQueryStartTime", "ClusterQueryEndTime", "ClusterGroup"}},
      {"MailMessage",
       {"Recipient",
        "Urls",
        "Threats",
        "Sender",
        "P1Sender",
        "P1SenderDisplayName",
        "P1SenderDomain",
        "SenderIP",
        "P2Sender",
        "P2SenderDisplayName",
        "P2SenderDomain",
        "ReceivedDate",
        "NetworkMessageId",
        "InternetMessageId",
        "Subject",
        "BodyFingerprintBin1",
        "BodyFingerprintBin2",
        "BodyFingerprintBin3",
        "BodyFingerprintBin4",
        "BodyFingerprintBin5",
        "AntispamDirection",
        "DeliveryAction",
        "DeliveryLocation",
        "Language",
        "ThreatDetectionMethods"}},
      {"SubmissionMail",
       {"NetworkMessageId", "Timestamp", "Recipient", "Sender", "SenderIp", "Subject", "ReportType", "SubmissionId",
        "SubmissionDate", "Submitter"}},
      {"IoTDevice", {}},
  };
  return kEntities;
}

/// Top-level fields of Sentinel's analytic rule YAML (and common extras of the Azure-Sentinel repository).
const std::set<std::string>& KnownFields() {
  static const std::set<std::string> kFields = {"id",
                                                "name",
                                                "description",
                                                "severity",
                                                "requiredDataConnectors",
                                                "queryFrequency",
                                                "queryPeriod",
                                                "triggerOperator",
                                                "triggerThreshold",
                                                "tactics",
                                                "relevantTechniques",
                                                "query",
                                                "entityMappings",
                                                "customDetails",
                                                "alertDetailsOverride",
                                                "eventGroupingSettings",
                                                "incidentConfiguration",
                                                "version",
                                                "kind",
                                                "status",
                                                "tags",
                                                "metadata",
                                                "suppressionDuration",
                                                "suppressionEnabled",
                                                "sentinelEntitiesMappings",
                                                "enabled",
                                                "displayName",
                                                "dataTypes",
                                                "subTechniques",
                                                "techniques",
                                                "alertRuleTemplateName",
                                                "startTimeUtc"};
  return kFields;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// Edit distance, case-insensitive (for "did you mean").
size_t EditDistance(std::string_view a_text, std::string_view b_text) {
  std::string a = Lower(a_text);
  std::string b = Lower(b_text);
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

/// The nearest candidate within a third of the word's length, as " (did you mean 'X'?)", or "".
template <typename Range>
std::string DidYouMean(std::string_view word, const Range& candidates) {
  std::string best;
  size_t best_distance = word.size() / 3 + 1;
  for (const auto& candidate : candidates) {
    size_t distance = EditDistance(word, candidate);
    // Ignoring spaces, case and separators, "Command and Control" is CommandAndControl.
    std::string squeezed;
    for (char c : word) {
      if (std::isalnum(static_cast<unsigned char>(c))) squeezed += c;
    }
    if (Lower(squeezed) == Lower(candidate)) distance = 0;
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

std::string FormatTicks(int64_t ticks) { return FormatTimeSpan(ticks); }

class FileLinter {
 public:
  FileLinter(LintedFile& file, const SentinelRule& rule) : file_(file), rule_(rule) {}

  void Add(Severity severity, const char* code, const std::string& position_key, std::string message) {
    // A finding about the whole file (a missing field) points at its first line.
    SourcePosition position{1, 1};
    if (auto it = rule_.positions.find(position_key); it != rule_.positions.end()) position = it->second;
    file_.findings.push_back(LintFinding{severity, code, position.line, position.col, std::move(message), ""});
  }
  bool Has(const std::string& key) const { return rule_.positions.count(key) > 0; }

  void CheckRequiredFields() {
    for (const char* field : {"id", "name"}) {
      if (!Has(field)) Add(Severity::kError, "KQLR201", "", std::string("Missing required field: ") + field);
    }
    if (!Has("severity"))
      Add(Severity::kWarning, "KQLR202", "", "Missing field 'severity'; using Sentinel's default: Medium");
    if (!Has("description")) Add(Severity::kWarning, "KQLR203", "", "Missing recommended field: description");
    if (rule_.kind == "Scheduled") {
      for (const char* field : {"triggerOperator", "triggerThreshold"}) {
        if (!Has(field))
          Add(Severity::kWarning, "KQLR204", "",
              std::string("Scheduled rule is missing '") + field + "'; using Sentinel's default (gt 0)");
      }
    }
    for (const auto& key : rule_.top_level_keys) {
      if (!KnownFields().count(key)) {
        Add(Severity::kWarning, "KQLR205", key, "Unknown rule field: " + key + DidYouMean(key, KnownFields()));
      }
    }
  }

  void CheckValues() {
    static const std::regex kGuid(R"(^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$)");
    if (Has("id") && !std::regex_match(rule_.id, kGuid))
      Add(Severity::kError, "KQLR210", "id", "Rule id is not a GUID: " + rule_.id);
    static const std::vector<std::string> kSeverities = {"Informational", "Low", "Medium", "High"};
    if (Has("severity") && std::find(kSeverities.begin(), kSeverities.end(), rule_.severity) == kSeverities.end())
      Add(Severity::kError, "KQLR211", "severity",
          "Severity must be Informational, Low, Medium or High: " + rule_.severity +
              DidYouMean(rule_.severity, kSeverities));
    static const std::vector<std::string> kKinds = {"Scheduled", "NRT"};
    if (Has("kind") && std::find(kKinds.begin(), kKinds.end(), rule_.kind) == kKinds.end())
      Add(Severity::kError, "KQLR212", "kind",
          "Rule kind must be Scheduled or NRT: " + rule_.kind + DidYouMean(rule_.kind, kKinds));
    if (rule_.name.size() > kMaxNameLength)
      Add(Severity::kError, "KQLR240", "name",
          "Rule name is longer than 256 characters: " + std::to_string(rule_.name.size()));
    if (rule_.description.size() > kMaxDescriptionLength)
      Add(Severity::kError, "KQLR241", "description",
          "Rule description is longer than 5000 characters: " + std::to_string(rule_.description.size()));
  }

  void CheckAttack() {
    for (size_t i = 0; i < rule_.tactics.size(); ++i) {
      const std::string& tactic = rule_.tactics[i];
      if (std::find(std::begin(kTactics), std::end(kTactics), tactic) == std::end(kTactics))
        Add(Severity::kError, "KQLR213", "tactics[" + std::to_string(i) + "]",
            "Unknown MITRE ATT&CK tactic: " + tactic + DidYouMean(tactic, kTactics));
    }
    static const std::regex kTechnique(R"(^T\d{4}(\.\d{3})?$)");
    for (size_t i = 0; i < rule_.techniques.size(); ++i) {
      const std::string& technique = rule_.techniques[i];
      std::string key = "relevantTechniques[" + std::to_string(i) + "]";
      if (!std::regex_match(technique, kTechnique)) {
        Add(Severity::kError, "KQLR214", key, "Technique is not of the form T1234 or T1234.001: " + technique);
        continue;
      }
      std::vector<std::string_view> expected = TacticsOfTechnique(technique);
      if (expected.empty() || rule_.tactics.empty()) continue;
      bool consistent = false;
      for (const auto& tactic : expected) {
        consistent = consistent || std::find(rule_.tactics.begin(), rule_.tactics.end(), tactic) != rule_.tactics.end();
      }
      if (!consistent) {
        std::string list;
        for (const auto& tactic : expected) list += (list.empty() ? "" : ", ") + std::string(tactic);
        Add(Severity::kWarning, "KQLR215", key,
            "Technique belongs to none of the rule's tactics: " + technique + " is " + list);
      }
    }
  }

  void CheckScheduling() {
    if (Has("triggerOperator")) {
      static const std::set<std::string> kOperators = {"gt", "lt", "eq", "ne"};
      if (!kOperators.count(rule_.trigger_operator))
        Add(Severity::kError, "KQLR216", "triggerOperator",
            "triggerOperator must be gt, lt, eq or ne (GreaterThan, LessThan, Equal, NotEqual): " +
                rule_.trigger_operator);
    }
    if (rule_.trigger_threshold < 0 || rule_.trigger_threshold > kMaxTriggerThreshold)
      Add(Severity::kError, "KQLR217", "triggerThreshold",
          "triggerThreshold must be between 0 and 10000: " + std::to_string(rule_.trigger_threshold));
    // NRT rules run every minute over the last minute: the scheduling fields do not apply to them.
    if (rule_.kind == "NRT") return;
    if (Has("queryFrequency") &&
        (rule_.query_frequency_ticks < kMinFrequencyTicks || rule_.query_frequency_ticks > kMaxPeriodTicks))
      Add(Severity::kError, "KQLR220", "queryFrequency",
          "queryFrequency must be between 5 minutes and 14 days: " + rule_.query_frequency);
    if (Has("queryPeriod") &&
        (rule_.query_period_ticks < kMinFrequencyTicks || rule_.query_period_ticks > kMaxPeriodTicks))
      Add(Severity::kError, "KQLR221", "queryPeriod",
          "queryPeriod must be between 5 minutes and 14 days: " + rule_.query_period);
    if ((Has("queryPeriod") || Has("queryFrequency")) && rule_.query_period_ticks < rule_.query_frequency_ticks)
      Add(Severity::kError, "KQLR222", Has("queryPeriod") ? "queryPeriod" : "queryFrequency",
          "queryPeriod must not be shorter than queryFrequency: " + FormatTicks(rule_.query_period_ticks) + " < " +
              FormatTicks(rule_.query_frequency_ticks));
  }

  void CheckDataTypes(const Catalog& catalog) {
    for (const auto& table : rule_.data_types) {
      if (!catalog.FindTable(table))
        Add(Severity::kWarning, "KQLR206", Has("requiredDataConnectors") ? "requiredDataConnectors" : "dataTypes",
            "dataTypes names a table kqlite has no schema for: " + table);
    }
  }

  void CheckEntities(const Schema* result_schema) {
    if (rule_.entity_mappings.size() > kMaxEntityMappings)
      Add(Severity::kError, "KQLR234", "entityMappings",
          "A rule may have at most 10 entity mappings: " + std::to_string(rule_.entity_mappings.size()));
    std::vector<std::string> type_names;
    for (const auto& [type, identifiers] : EntityIdentifiers()) type_names.push_back(type);
    for (size_t mapping_index = 0; mapping_index < rule_.entity_mappings.size(); ++mapping_index) {
      const EntityMapping& mapping = rule_.entity_mappings[mapping_index];
      std::string prefix = "entityMappings[" + std::to_string(mapping_index) + "]";
      auto type = EntityIdentifiers().find(mapping.entity_type);
      if (type == EntityIdentifiers().end()) {
        Add(Severity::kError, "KQLR230", Has(prefix + ".entityType") ? prefix + ".entityType" : prefix,
            "Unknown entity type: " + mapping.entity_type + DidYouMean(mapping.entity_type, type_names));
      }
      if (mapping.field_mappings.size() > kMaxIdentifiersPerEntity)
        Add(Severity::kError, "KQLR234", prefix,
            "An entity mapping may have at most 3 identifiers: " + std::to_string(mapping.field_mappings.size()));
      for (size_t field_index = 0; field_index < mapping.field_mappings.size(); ++field_index) {
        const auto& [identifier, column] = mapping.field_mappings[field_index];
        std::string field_prefix = prefix + ".fieldMappings[" + std::to_string(field_index) + "]";
        if (type != EntityIdentifiers().end() && !type->second.empty() &&
            std::find(type->second.begin(), type->second.end(), identifier) == type->second.end()) {
          Add(Severity::kError, "KQLR231", field_prefix + ".identifier",
              "Identifier is not valid for entity type " + mapping.entity_type + ": " + identifier +
                  DidYouMean(identifier, type->second));
        }
        if (result_schema && !FindColumn(*result_schema, column)) {
          Add(Severity::kError, "KQLR232", field_prefix + ".columnName",
              "Entity mapping column is not in the query's result: " + column + ColumnHint(*result_schema, column));
        }
      }
    }
    if (rule_.custom_details.size() > kMaxCustomDetails)
      Add(Severity::kError, "KQLR235", "customDetails",
          "A rule may have at most 20 custom details: " + std::to_string(rule_.custom_details.size()));
    if (result_schema) {
      for (const auto& [key, column] : rule_.custom_details) {
        if (!FindColumn(*result_schema, column))
          Add(Severity::kError, "KQLR233", "customDetails." + key,
              "Custom detail column is not in the query's result: " + column + ColumnHint(*result_schema, column));
      }
    }
  }

 private:
  static std::string ColumnHint(const Schema& schema, const std::string& column) {
    std::vector<std::string> names;
    for (const auto& def : schema) names.push_back(def.name);
    return DidYouMean(column, names);
  }

  LintedFile& file_;
  const SentinelRule& rule_;
};

/// Re-bases a diagnostic in the rule's query to a position in the rule file.
void MapToFile(Diagnostic& diagnostic, const SentinelRule& rule) {
  if (rule.query_line <= 0) return;
  if (rule.query_in_json_string) {
    diagnostic.span.line = static_cast<uint32_t>(rule.query_line);
    diagnostic.span.col = static_cast<uint32_t>(rule.query_column);
    return;
  }
  if (diagnostic.span.line == 1) diagnostic.span.col += static_cast<uint32_t>(rule.query_column - 1);
  diagnostic.span.line += static_cast<uint32_t>(rule.query_line - 1);
}

LintFinding FindingOf(const Diagnostic& diagnostic, std::string_view query) {
  std::string rendered = RenderDiagnostic(diagnostic, query);
  auto newline = rendered.find('\n');
  return LintFinding{diagnostic.severity,
                     diagnostic.code,
                     static_cast<int>(diagnostic.span.line),
                     static_cast<int>(diagnostic.span.col),
                     diagnostic.message,
                     newline == std::string::npos ? "" : rendered.substr(newline + 1)};
}

void SortFindings(LintedFile& file) {
  std::stable_sort(file.findings.begin(), file.findings.end(), [](const LintFinding& a, const LintFinding& b) {
    return a.line != b.line ? a.line < b.line : a.col < b.col;
  });
}

/// Splits a KQL expression at top-level occurrences of a keyword (`or`, `and`, `|` when keyword is "|"): outside
/// strings and parentheses. Returns [begin, end) offsets of the parts.
std::vector<std::pair<size_t, size_t>> SplitTopLevel(const std::string& text, size_t begin, size_t end,
                                                     std::string_view keyword) {
  std::vector<std::pair<size_t, size_t>> parts;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  int depth = 0;
  size_t start = begin;
  for (size_t at = begin; at < end; ++at) {
    char c = text[at];
    if (c == '"' || c == '\'') {
      const bool verbatim = at > begin && text[at - 1] == '@';
      for (++at; at < end && text[at] != c; ++at) {
        if (!verbatim && text[at] == '\\') ++at;
      }
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (depth != 0 || text.compare(at, keyword.size(), keyword) != 0) continue;
    if (keyword != "|" && ((at > begin && word(text[at - 1])) ||
                           (at + keyword.size() < end && word(text[at + keyword.size()]))))
      continue;
    parts.emplace_back(start, at);
    start = at + keyword.size();
  }
  parts.emplace_back(start, end);
  return parts;
}

/// Process-name columns of the Defender, Sysmon and SecurityEvent schemas.
const std::regex& ProcessNameComparison() {
  static const std::regex kComparison(
      R"(^\s*(FileName|InitiatingProcessFileName|InitiatingProcessParentFileName|ProcessVersionInfoOriginalFileName|)"
      R"(InitiatingProcessVersionInfoOriginalFileName|ProcessName|NewProcessName|ParentProcessName|Process|Image)\s*)"
      R"((==|=~|in~|in|has_any|has|contains|endswith|has_cs|contains_cs|endswith_cs))");
  return kComparison;
}

/// Adds KQLR260 for each Windows binary name that a disjunct of the expression matches with a process-name
/// comparison and no other condition beside it.
void FindNameOnlyWindowsBinaries(const std::string& query, size_t begin, size_t end, std::vector<size_t>& hits) {
  // Strip the parentheses around the whole expression.
  while (true) {
    while (begin < end && std::isspace(static_cast<unsigned char>(query[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(query[end - 1]))) --end;
    if (end - begin < 2 || query[begin] != '(' || query[end - 1] != ')') break;
    // "(a) and (b)": the first parenthesis closes before the end, so it does not wrap the whole.
    if (SplitTopLevel(query, begin, end, "and").size() > 1 || SplitTopLevel(query, begin, end, "or").size() > 1) break;
    ++begin;
    --end;
  }
  auto disjuncts = SplitTopLevel(query, begin, end, "or");
  if (disjuncts.size() > 1) {
    for (const auto& [from, to] : disjuncts) FindNameOnlyWindowsBinaries(query, from, to, hits);
    return;
  }
  if (SplitTopLevel(query, begin, end, "and").size() > 1) return;  // a second condition stands beside the name
  const std::string expression = query.substr(begin, end - begin);
  if (!std::regex_search(expression, ProcessNameComparison())) return;
  static const std::regex kLiteral(R"re('((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")re");
  for (std::sregex_iterator it(expression.begin(), expression.end(), kLiteral), stop; it != stop; ++it) {
    std::string value = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
    std::string base = value.substr(value.find_last_of("\\/") == std::string::npos ? 0 : value.find_last_of("\\/") + 1);
    if (IsWindowsBinaryName(base)) hits.push_back(begin + static_cast<size_t>(it->position(0)));
  }
}

/// KQLR260: a `where` that matches one of Windows' own binaries by process name alone.
std::vector<Diagnostic> NameOnlyWindowsBinaryDiagnostics(const std::string& query) {
  // The `where` stages of the query; a time window alone is no second condition.
  std::vector<std::pair<size_t, size_t>> predicates;
  size_t conditions = 0;
  static const std::regex kTimeOnly(R"(^\s*\(?\s*(Timestamp|TimeGenerated)\s*(between|>|>=)[^|]*$)");
  for (const auto& [from, to] : SplitTopLevel(query, 0, query.size(), "|")) {
    size_t at = query.find_first_not_of(" \t\r\n", from);
    if (at == std::string::npos || at >= to) continue;
    for (std::string_view verb : {"where", "filter"}) {
      if (query.compare(at, verb.size(), verb) != 0 || at + verb.size() >= to ||
          !std::isspace(static_cast<unsigned char>(query[at + verb.size()])))
        continue;
      predicates.emplace_back(at + verb.size(), to);
      std::string predicate = query.substr(at + verb.size(), to - at - verb.size());
      if (!std::regex_search(predicate, kTimeOnly)) ++conditions;
    }
  }
  std::vector<size_t> hits;
  // Two `where` stages beside each other are a conjunction: the other stage is the second condition.
  if (conditions == 1) {
    for (const auto& [from, to] : predicates) FindNameOnlyWindowsBinaries(query, from, to, hits);
  }
  std::vector<Diagnostic> diagnostics;
  for (size_t offset : hits) {
    Diagnostic diagnostic;
    diagnostic.severity = Severity::kWarning;
    diagnostic.code = "KQLR260";
    size_t line_start = query.rfind('\n', offset == 0 ? 0 : offset - 1);
    line_start = line_start == std::string::npos || offset == 0 ? 0 : line_start + 1;
    size_t close = query.find_first_of("'\"", offset + 1);
    diagnostic.span.offset = static_cast<uint32_t>(offset);
    diagnostic.span.length = static_cast<uint32_t>(close == std::string::npos ? 1 : close + 1 - offset);
    diagnostic.span.line = static_cast<uint32_t>(1 + std::count(query.begin(), query.begin() + offset, '\n'));
    diagnostic.span.col = static_cast<uint32_t>(offset - line_start + 1);
    diagnostic.message = "Matches Windows' own binary " + query.substr(offset, diagnostic.span.length) +
                         " by process name alone; add a second condition (folder, signer or company, command line)";
    diagnostics.push_back(std::move(diagnostic));
  }
  return diagnostics;
}

}  // namespace

bool LintedFile::HasErrors() const { return Count(Severity::kError) > 0; }

size_t LintedFile::Count(Severity severity) const {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(), [severity](const LintFinding& finding) {
    return finding.severity == severity;
  }));
}

RuleLinter::RuleLinter(Engine& engine, LintOptions options) : engine_(engine), options_(options) {}

LintedFile RuleLinter::LintRuleText(const std::string& text, const std::string& path) {
  LintedFile file;
  file.path = path;
  // An ARM export may hold many rules: their findings go to the one file, each message naming its rule.
  std::vector<RuleLoadResult> results = LoadRulesText(text, path);
  size_t rules = static_cast<size_t>(
      std::count_if(results.begin(), results.end(), [](const RuleLoadResult& result) { return result.rule; }));
  for (const auto& loaded : results) {
    size_t first = file.findings.size();
    LintLoadedRule(loaded, file);
    if (rules > 1 && loaded.rule) {
      for (size_t i = first; i < file.findings.size(); ++i)
        file.findings[i].message = "rule '" + loaded.rule->name + "': " + file.findings[i].message;
    }
  }
  SortFindings(file);
  return file;
}

void RuleLinter::LintLoadedRule(const RuleLoadResult& loaded, LintedFile& file) {
  for (const auto& problem : loaded.problems) {
    file.findings.push_back(LintFinding{problem.is_error ? Severity::kError : Severity::kWarning, problem.code,
                                        problem.line, problem.col, problem.message, ""});
  }
  if (!loaded.rule) return;
  const SentinelRule& rule = *loaded.rule;
  if (auto it = rule.positions.find("id"); it != rule.positions.end() && file.rule_id.empty()) {
    file.rule_id = rule.id;
    file.id_position = it->second;
  }
  FileLinter linter(file, rule);
  linter.CheckRequiredFields();
  linter.CheckValues();
  linter.CheckAttack();
  linter.CheckScheduling();
  linter.CheckDataTypes(engine_.catalog());
  std::vector<Diagnostic> diagnostics = engine_.Check(rule.query, options_.syntax_only);
  bool query_ok = true;
  for (auto& diagnostic : diagnostics) {
    query_ok = query_ok && diagnostic.severity != Severity::kError;
    Diagnostic mapped = diagnostic;
    MapToFile(mapped, rule);
    LintFinding finding = FindingOf(diagnostic, rule.query);
    finding.line = static_cast<int>(mapped.span.line);
    finding.col = static_cast<int>(mapped.span.col);
    file.findings.push_back(std::move(finding));
  }
  for (auto& diagnostic : NameOnlyWindowsBinaryDiagnostics(rule.query)) {
    LintFinding finding = FindingOf(diagnostic, rule.query);
    MapToFile(diagnostic, rule);
    finding.line = static_cast<int>(diagnostic.span.line);
    finding.col = static_cast<int>(diagnostic.span.col);
    file.findings.push_back(std::move(finding));
  }
  std::optional<Schema> result_schema;
  if (query_ok && !options_.syntax_only) result_schema = engine_.ResultSchema(rule.query);
  linter.CheckEntities(result_schema ? &*result_schema : nullptr);
}

LintedFile RuleLinter::LintRuleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LintedFile file;
    file.path = path;
    file.findings.push_back(LintFinding{Severity::kError, "KQLR005", 0, 0, "Cannot read file", ""});
    return file;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LintRuleText(buffer.str(), path);
}

LintedFile RuleLinter::LintTestText(const std::string& text, const std::string& path, const RuleFileReader& reader) {
  LintedFile file;
  file.path = path;
  RuleTestLoadResult loaded = LoadRuleTestText(text, path, reader);
  for (const auto& problem : loaded.problems) {
    file.findings.push_back(LintFinding{problem.is_error ? Severity::kError : Severity::kWarning, problem.code,
                                        problem.line, problem.col, problem.message, ""});
  }
  if (loaded.file && !reader(loaded.file->rule_path)) {
    file.findings.push_back(LintFinding{Severity::kError, "KQLT002", 1, 1,
                                        "Cannot read the rule under test: " + loaded.file->rule_path, ""});
  }
  SortFindings(file);
  return file;
}

LintedFile RuleLinter::LintQueryText(const std::string& text, const std::string& path) {
  LintedFile file;
  file.path = path;
  for (const auto& diagnostic : engine_.Check(text, options_.syntax_only))
    file.findings.push_back(FindingOf(diagnostic, text));
  SortFindings(file);
  return file;
}

void RuleLinter::CheckDuplicateIds(std::vector<LintedFile>& files) {
  std::map<std::string, std::vector<size_t>> by_id;
  for (size_t i = 0; i < files.size(); ++i) {
    if (!files[i].rule_id.empty()) by_id[Lower(files[i].rule_id)].push_back(i);
  }
  for (const auto& [id, indices] : by_id) {
    if (indices.size() < 2) continue;
    for (size_t index : indices) {
      std::string others;
      for (size_t other : indices) {
        if (other != index) others += (others.empty() ? "" : ", ") + files[other].path;
      }
      LintedFile& file = files[index];
      file.findings.push_back(LintFinding{Severity::kError, "KQLR250", file.id_position.line, file.id_position.col,
                                          "Rule id is also used by: " + others, ""});
      SortFindings(file);
    }
  }
}

std::string_view LintCodeDescription(std::string_view code) {
  static const std::map<std::string_view, std::string_view> kDescriptions = {
      {"KQLR001", "The rule YAML does not parse."},
      {"KQLR002", "The rule file is not a YAML mapping."},
      {"KQLR003", "A rule field has an unexpected shape."},
      {"KQLR004", "The rule has no query."},
      {"KQLR005", "The file cannot be read."},
      {"KQLR101", "A block scalar's lines are not indented."},
      {"KQLR102", "A scalar is written where a list belongs."},
      {"KQLR103", "A list or mapping is written where a scalar belongs."},
      {"KQLR104", "triggerThreshold is not a number."},
      {"KQLR105", "dataTypes is outside its requiredDataConnectors item."},
      {"KQLR106", "queryFrequency or queryPeriod is not a duration."},
      {"KQLR107", "queryFrequency or queryPeriod is missing; Sentinel's default applies."},
      {"KQLR108", "An ARM export's rule is of a kind without a KQL query (Fusion, ...); it is skipped."},
      {"KQLR201", "A required rule field is missing."},
      {"KQLR202", "severity is missing; Sentinel's default applies."},
      {"KQLR203", "description is missing."},
      {"KQLR204", "triggerOperator or triggerThreshold is missing; Sentinel's default applies."},
      {"KQLR205", "Unknown rule field."},
      {"KQLR206", "A dataTypes table has no known schema."},
      {"KQLR210", "The rule id is not a GUID."},
      {"KQLR211", "Invalid severity."},
      {"KQLR212", "Invalid rule kind."},
      {"KQLR213", "Unknown MITRE ATT&CK tactic."},
      {"KQLR214", "Malformed MITRE ATT&CK technique."},
      {"KQLR215", "A technique belongs to none of the rule's tactics."},
      {"KQLR216", "Invalid triggerOperator."},
      {"KQLR217", "triggerThreshold is out of range."},
      {"KQLR220", "queryFrequency is out of range."},
      {"KQLR221", "queryPeriod is out of range."},
      {"KQLR222", "queryPeriod is shorter than queryFrequency."},
      {"KQLR230", "Unknown entity type."},
      {"KQLR231", "Invalid identifier for the entity type."},
      {"KQLR232", "An entity mapping column is not in the query's result."},
      {"KQLR233", "A custom detail column is not in the query's result."},
      {"KQLR234", "Too many entity mappings or identifiers."},
      {"KQLR235", "Too many custom details."},
      {"KQLR240", "The rule name is too long."},
      {"KQLR241", "The rule description is too long."},
      {"KQLR250", "Duplicate rule id."},
      {"KQLR260", "A condition matches one of Windows' own binaries by process name alone."},
      {"KQLT001", "A rule test file does not parse or has an unexpected shape."},
      {"KQLT002", "A file a rule test needs cannot be read."},
  };
  auto it = kDescriptions.find(code);
  return it == kDescriptions.end() ? std::string_view() : it->second;
}

std::vector<std::string_view> TacticsOfTechnique(std::string_view technique) {
  std::string_view parent = technique.substr(0, technique.find('.'));
  for (const auto& entry : TechniqueTable()) {
    if (entry.technique == parent) return entry.tactics;
  }
  return {};
}

}  // namespace kql::rules
