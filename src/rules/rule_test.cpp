#include "rules/rule_test.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rules/builtin_rules.h"
#include "types/datetime.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

constexpr std::string_view kBuiltinPrefix = "builtin:";
/// YAML nesting accepted in expected dynamic cells (user-controlled recursion).
constexpr int kMaxExpectedDepth = 64;

class TestFileParser {
 public:
  TestFileParser(const std::string& path, const RuleFileReader& reader, std::vector<RuleProblem>& problems)
      : path_(path), reader_(reader), problems_(problems) {}

  void Error(const YAML::Node& node, const std::string& message) {
    problems_.push_back(RuleProblem{true, path_, node.Mark().line + 1, node.Mark().column + 1, "KQLT001", message});
  }

  /// Parses `now`: an ISO datetime or "latest".
  bool ParseNow(const YAML::Node& node, std::optional<int64_t>& ticks, bool& latest) {
    if (!node.IsScalar()) {
      Error(node, "'now' must be a datetime or 'latest'");
      return false;
    }
    std::string text = node.as<std::string>();
    if (text == "latest") {
      latest = true;
      ticks.reset();
      return true;
    }
    ticks = ParseDateTime(text);
    if (!ticks) {
      Error(node, "'now' is not a datetime: " + text);
      return false;
    }
    return true;
  }

  Dynamic ToDynamicValue(const YAML::Node& node, int depth) {
    if (depth > kMaxExpectedDepth) {
      Error(node, "Expected value is nested too deeply");
      return DynamicValue::MakeNull();
    }
    if (node.IsSequence()) {
      std::vector<Dynamic> items;
      for (const auto& item : node) items.push_back(ToDynamicValue(item, depth + 1));
      return DynamicValue::MakeArray(std::move(items));
    }
    if (node.IsMap()) {
      std::vector<DynamicValue::Member> members;
      for (const auto& member : node) {
        members.emplace_back(member.first.as<std::string>(), ToDynamicValue(member.second, depth + 1));
      }
      return DynamicValue::MakeObject(std::move(members));
    }
    if (!node.IsScalar() || IsNullScalar(node)) return DynamicValue::MakeNull();
    std::string text = node.as<std::string>();
    // A quoted scalar is a string; a plain one is read as JSON would read it (numbers, booleans).
    if (node.Tag() != "!") {
      Dynamic parsed = ParseJson(text);
      if (parsed && parsed->kind() != DynamicValue::Kind::kArray && parsed->kind() != DynamicValue::Kind::kObject)
        return parsed;
    }
    return DynamicValue::MakeString(text);
  }

  static bool IsNullScalar(const YAML::Node& node) {
    if (node.IsNull()) return true;
    if (!node.IsScalar() || node.Tag() == "!") return false;
    std::string text = node.Scalar();
    return text == "null" || text == "~" || text == "Null" || text == "NULL";
  }

  std::vector<ExpectedCell> ParseRow(const YAML::Node& node) {
    std::vector<ExpectedCell> row;
    if (!node.IsMap()) {
      Error(node, "An expected row must be a mapping of column: value");
      return row;
    }
    for (const auto& cell : node) {
      ExpectedCell expected;
      expected.column = cell.first.as<std::string>();
      const YAML::Node& value = cell.second;
      if (IsNullScalar(value)) {
        expected.is_null = true;
        expected.text = "null";
      } else if (value.IsScalar()) {
        expected.text = value.as<std::string>();
      } else {
        expected.structure = ToDynamicValue(value, 0);
        expected.text = ToJson(*expected.structure);
      }
      row.push_back(std::move(expected));
    }
    return row;
  }

  void ParseEvents(const YAML::Node& node, RuleTestCase& test_case) {
    if (!node.IsMap()) {
      Error(node, "'events' must map table names to events");
      return;
    }
    for (const auto& table : node) {
      RuleTestEvents events;
      events.table = table.first.as<std::string>();
      events.line = table.second.Mark().line + 1;
      const YAML::Node& value = table.second;
      if (value.IsNull()) {
        // An empty table: the rule runs over no events of it.
      } else if (value.IsScalar()) {
        events.text = value.as<std::string>();
      } else if (value.IsMap() && value["file"]) {
        std::string file = ResolveBeside(path_, value["file"].as<std::string>());
        std::optional<std::string> text = reader_(file);
        if (!text) {
          problems_.push_back(RuleProblem{true, path_, value["file"].Mark().line + 1, value["file"].Mark().column + 1,
                                          "KQLT002", "Cannot read events file: " + file});
          continue;
        }
        events.text = *text;
        if (file.size() >= 4 && file.compare(file.size() - 4, 4, ".csv") == 0) events.format = "csv";
      } else if (value.IsMap() && value["csv"]) {
        events.format = "csv";
        events.text = value["csv"].as<std::string>();
      } else if (value.IsMap() && value["jsonl"]) {
        events.text = value["jsonl"].as<std::string>();
      } else {
        Error(value, "Events of table " + events.table + " must be JSON lines text, {file: path} or {csv: text}");
        continue;
      }
      if (events.format == "jsonl") events.text = StripComments(events.text);
      test_case.events.push_back(std::move(events));
    }
  }

  /// Drops blank lines and `#` / `//` comment lines from JSON lines text, keeping line count for positions.
  static std::string StripComments(const std::string& text) {
    std::istringstream stream(text);
    std::string line;
    std::string out;
    while (std::getline(stream, line)) {
      size_t first = line.find_first_not_of(" \t\r");
      if (first == std::string::npos || line[first] == '#' || line.compare(first, 2, "//") == 0) continue;
      out += line + "\n";
    }
    return out;
  }

  std::optional<RuleTestCase> ParseCase(const YAML::Node& node, std::set<std::string>& names) {
    if (!node.IsMap()) {
      Error(node, "A case must be a mapping");
      return std::nullopt;
    }
    RuleTestCase test_case;
    test_case.line = node.Mark().line + 1;
    bool ok = true;
    if (node["name"] && node["name"].IsScalar()) {
      test_case.name = node["name"].as<std::string>();
      if (!names.insert(test_case.name).second) Error(node["name"], "Duplicate case name: " + test_case.name);
    } else {
      Error(node, "A case needs a 'name'");
      ok = false;
    }
    if (node["description"] && node["description"].IsScalar())
      test_case.description = node["description"].as<std::string>();
    if (YAML::Node kind = node["kind"]; kind && kind.IsScalar() && kind.as<std::string>() == "true_positive") {
      test_case.kind = RuleTestKind::kTruePositive;
    } else if (kind && kind.IsScalar() && kind.as<std::string>() == "false_positive") {
      test_case.kind = RuleTestKind::kFalsePositive;
    } else {
      Error(kind ? kind : node, "A case's 'kind' must be true_positive or false_positive");
      ok = false;
    }
    if (node["now"]) {
      test_case.has_now = true;
      ok = ParseNow(node["now"], test_case.now_ticks, test_case.now_latest) && ok;
    }
    if (YAML::Node events = node["events"]) {
      ParseEvents(events, test_case);
    } else {
      Error(node, "A case needs 'events' (use {} for none)");
      ok = false;
    }
    if (YAML::Node expect = node["expect"]) {
      test_case.has_expect = true;
      if (!expect.IsMap()) {
        Error(expect, "'expect' must be a mapping of 'alerts', 'results' and/or 'rows'");
        ok = false;
      } else {
        if (YAML::Node alerts = expect["alerts"]) {
          try {
            int64_t count = alerts.as<int64_t>();
            if (count < 0) throw YAML::Exception(alerts.Mark(), "negative");
            test_case.expected_alerts = count;
          } catch (const YAML::Exception&) {
            Error(alerts, "'alerts' must be a non-negative number");
            ok = false;
          }
        }
        if (YAML::Node results = expect["results"]) {
          try {
            int64_t count = results.as<int64_t>();
            if (count < 0) throw YAML::Exception(results.Mark(), "negative");
            test_case.expected_results = static_cast<size_t>(count);
          } catch (const YAML::Exception&) {
            Error(results, "'results' must be a non-negative number");
            ok = false;
          }
        }
        if (YAML::Node rows = expect["rows"]) {
          if (!rows.IsSequence()) {
            Error(rows, "'rows' must be a list of mappings");
            ok = false;
          } else {
            for (const auto& row : rows) test_case.expected_rows.push_back(ParseRow(row));
          }
        }
        for (const auto& key : expect) {
          std::string name = key.first.as<std::string>();
          if (name != "alerts" && name != "results" && name != "rows")
            Error(key.first, "Unknown key in 'expect': " + name);
        }
      }
    }
    for (const auto& key : node) {
      static const std::set<std::string> kKeys = {"name", "description", "kind", "now", "events", "expect"};
      std::string name = key.first.as<std::string>();
      if (!kKeys.count(name)) Error(key.first, "Unknown key in a case: " + name);
    }
    if (!ok) return std::nullopt;
    return test_case;
  }

 private:
  std::string path_;
  const RuleFileReader& reader_;
  std::vector<RuleProblem>& problems_;
};

}  // namespace

std::string DefaultRulePathFor(const std::string& test_path) {
  for (const std::string suffix : {".tests.yaml", ".tests.yml"}) {
    if (test_path.size() > suffix.size() &&
        test_path.compare(test_path.size() - suffix.size(), suffix.size(), suffix) == 0)
      return test_path.substr(0, test_path.size() - suffix.size()) + ".yaml";
  }
  return test_path + ".rule.yaml";
}

std::string ResolveBeside(const std::string& base, const std::string& relative) {
  namespace fs = std::filesystem;
  bool builtin = base.rfind(kBuiltinPrefix, 0) == 0;
  fs::path base_path(builtin ? base.substr(kBuiltinPrefix.size()) : base);
  fs::path resolved =
      fs::path(relative).is_absolute() ? fs::path(relative) : (base_path.parent_path() / relative).lexically_normal();
  return (builtin ? std::string(kBuiltinPrefix) : std::string()) + resolved.generic_string();
}

RuleFileReader DefaultRuleFileReader() {
  return [](const std::string& path) -> std::optional<std::string> {
    if (path.rfind(kBuiltinPrefix, 0) == 0) {
      std::string relative = path.substr(kBuiltinPrefix.size());
      for (const auto& file : BuiltinRuleFiles()) {
        if (relative == file.path) return std::string(file.text);
      }
      return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  };
}

RuleTestLoadResult LoadRuleTestText(const std::string& text, const std::string& path, const RuleFileReader& reader) {
  RuleTestLoadResult result;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    result.problems.push_back(RuleProblem{true, path, error.mark.line + 1, error.mark.column + 1, "KQLT001",
                                          "Test file YAML does not parse: " + error.msg});
    return result;
  }
  TestFileParser parser(path, reader, result.problems);
  try {
    if (!root.IsMap()) {
      result.problems.push_back(RuleProblem{true, path, 1, 1, "KQLT001", "Test file is not a YAML mapping"});
      return result;
    }
    RuleTestFile file;
    file.path = path;
    file.rule_path = root["rule"] && root["rule"].IsScalar() ? ResolveBeside(path, root["rule"].as<std::string>())
                                                             : DefaultRulePathFor(path);
    if (YAML::Node now = root["now"]) {
      bool latest = false;
      parser.ParseNow(now, file.now_ticks, latest);
    }
    for (const auto& key : root) {
      static const std::set<std::string> kKeys = {"rule", "now", "cases", "description"};
      std::string name = key.first.as<std::string>();
      if (!kKeys.count(name)) parser.Error(key.first, "Unknown key in a test file: " + name);
    }
    YAML::Node cases = root["cases"];
    if (!cases || !cases.IsSequence() || cases.size() == 0) {
      parser.Error(cases ? cases : root, "A test file needs a non-empty list of 'cases'");
      return result;
    }
    std::set<std::string> names;
    for (const auto& node : cases) {
      if (auto test_case = parser.ParseCase(node, names)) file.cases.push_back(std::move(*test_case));
    }
    result.file = std::move(file);
  } catch (const YAML::Exception& error) {
    result.problems.push_back(RuleProblem{true, path, error.mark.line + 1, error.mark.column + 1, "KQLT001",
                                          "Test file has an unexpected shape: " + error.msg});
    result.file.reset();
  }
  return result;
}

}  // namespace kql::rules
