#include "rules/attack_layer.h"

#include <algorithm>
#include <map>
#include <set>

#include "types/dynamic.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

std::string Json(const std::string& text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

/// What the hunt did for one technique.
struct TechniqueCoverage {
  std::set<std::string> ran;    ///< Rule names that ran.
  std::set<std::string> fired;  ///< Rule names that raised alerts.
};

}  // namespace

std::string AttackLayerJson(const HuntReport& report, const std::string& layer_name) {
  std::map<std::string, TechniqueCoverage> techniques;
  for (size_t rule_index = 0; rule_index < report.rules.size(); ++rule_index) {
    const SentinelRule& rule = report.rules[rule_index];
    if (rule_index >= report.outcomes.size() || !report.outcomes[rule_index].ran) continue;
    bool fired = std::any_of(report.alerts.begin(), report.alerts.end(),
                             [&](const Alert& alert) { return alert.rule_index == rule_index; });
    for (const auto& technique : rule.techniques) {
      // Navigator ids are upper case (T1219, T1059.001).
      std::string id = technique;
      std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::toupper(c); });
      techniques[id].ran.insert(rule.name);
      if (fired) techniques[id].fired.insert(rule.name);
    }
  }
  size_t max_score = 1;
  std::string items;
  for (const auto& [id, coverage] : techniques) {
    size_t score = coverage.fired.empty() ? 1 : 1 + coverage.fired.size();
    max_score = std::max(max_score, score);
    std::string comment = std::to_string(coverage.ran.size()) + " rule(s) ran";
    if (!coverage.fired.empty()) {
      comment += ", " + std::to_string(coverage.fired.size()) + " fired:";
      for (const auto& name : coverage.fired) comment += " " + name + ";";
      comment.pop_back();
    }
    if (!items.empty()) items += ",\n";
    items += "    {\"techniqueID\": " + Json(id) + ", \"score\": " + std::to_string(score) +
             ", \"comment\": " + Json(comment) + ", \"enabled\": true}";
  }
  std::string out = "{\n  \"name\": " + Json(layer_name) + ",\n";
  out += "  \"versions\": {\"layer\": \"4.5\", \"navigator\": \"4.9.1\", \"attack\": \"14\"},\n";
  out += "  \"domain\": \"enterprise-attack\",\n";
  out += "  \"description\": " +
         Json("Techniques of the rules kqlite ran (score 1) and that raised alerts (1 + rules fired)") + ",\n";
  out += "  \"sorting\": 3,\n";
  out += "  \"gradient\": {\"colors\": [\"#c6dbef\", \"#ff6666\"], \"minValue\": 1, \"maxValue\": " +
         std::to_string(std::max<size_t>(max_score, 2)) + "},\n";
  out += "  \"legendItems\": [{\"label\": \"rule ran\", \"color\": \"#c6dbef\"}, {\"label\": \"rule fired\", "
         "\"color\": \"#ff6666\"}],\n";
  out += "  \"techniques\": [\n" + items + (items.empty() ? "" : "\n") + "  ]\n}\n";
  return out;
}

}  // namespace kql::rules
