#include "rules/sarif_writer.h"

#include <map>

#include "types/dynamic.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

std::string ArtifactUri(const std::string& path) {
  constexpr std::string_view kBuiltin = "builtin:";
  std::string uri = path.rfind(kBuiltin, 0) == 0 ? path.substr(kBuiltin.size()) : path;
  // SARIF URIs use forward slashes.
  for (char& c : uri) {
    if (c == '\\') c = '/';
  }
  return uri;
}

}  // namespace

std::string WriteSarif(const std::vector<LintedFile>& files, const std::string& version) {
  // Rules are listed once each, sorted by code, and results refer to them by index too.
  std::map<std::string, size_t> rule_index;
  for (const auto& file : files) {
    for (const auto& finding : file.findings) rule_index.emplace(finding.code, 0);
  }
  size_t next = 0;
  for (auto& [code, index] : rule_index) index = next++;
  std::string out = "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n";
  out += "  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n          \"name\": \"kqlite\",\n";
  out += "          \"version\": " + Json(version) + ",\n          \"rules\": [";
  bool first = true;
  for (const auto& [code, index] : rule_index) {
    out += first ? "\n" : ",\n";
    first = false;
    std::string_view description = LintCodeDescription(code);
    out += "            {\"id\": " + Json(code) + ", \"shortDescription\": {\"text\": " +
           Json(description.empty() ? "KQL diagnostic " + code : std::string(description)) + "}}";
  }
  out += first ? "]\n" : "\n          ]\n";
  out += "        }\n      },\n      \"results\": [";
  first = true;
  for (const auto& file : files) {
    for (const auto& finding : file.findings) {
      out += first ? "\n" : ",\n";
      first = false;
      out += "        {\"ruleId\": " + Json(finding.code) +
             ", \"ruleIndex\": " + std::to_string(rule_index[finding.code]) + ", \"level\": \"" +
             (finding.severity == Severity::kError ? "error" : "warning") +
             "\", \"message\": {\"text\": " + Json(finding.message) + "}, \"locations\": [{\"physicalLocation\": " +
             "{\"artifactLocation\": {\"uri\": " + Json(ArtifactUri(file.path)) +
             "}, \"region\": {\"startLine\": " + std::to_string(finding.line > 0 ? finding.line : 1) +
             ", \"startColumn\": " + std::to_string(finding.col > 0 ? finding.col : 1) + "}}}]}";
    }
  }
  out += first ? "]\n" : "\n      ]\n";
  out += "    }\n  ]\n}\n";
  return out;
}

}  // namespace kql::rules
