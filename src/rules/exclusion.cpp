#include "rules/exclusion.h"

#include "rules/name_glob.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "types/datetime.h"
#include "types/dynamic.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

RuleProblem Problem(bool is_error, const std::string& path, const YAML::Node& node, const std::string& code,
                    const std::string& message) {
  return RuleProblem{is_error, path, node ? node.Mark().line + 1 : 0, node ? node.Mark().column + 1 : 0, code, message};
}

std::string Scalar(const YAML::Node& node) { return node && node.IsScalar() ? node.as<std::string>() : ""; }

/// Reads a scalar or a list of scalars.
std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> values;
  if (!node) return values;
  if (node.IsScalar()) values.push_back(node.as<std::string>());
  if (node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsScalar()) values.push_back(item.as<std::string>());
    }
  }
  return values;
}

bool IsIdentifier(const std::string& name) {
  static const std::regex kIdentifier(R"(^[A-Za-z_][A-Za-z0-9_]*$)");
  return std::regex_match(name, kIdentifier);
}

/// Finds where a scalar's text starts: a block scalar (`|`, `>`) starts on the next line at its indentation; a
/// quoted scalar one column after its quote.
void LocateScalar(const YAML::Node& node, const std::vector<std::string>& lines, int& line, int& column) {
  line = node.Mark().line + 1;
  column = node.Mark().column + 1;
  if (line - 1 >= static_cast<int>(lines.size())) return;
  const std::string& text = lines[line - 1];
  size_t at = static_cast<size_t>(node.Mark().column);
  if (at < text.size() && (text[at] == '|' || text[at] == '>')) {
    ++line;
    column = 1;
    if (line - 1 < static_cast<int>(lines.size())) {
      const std::string& body = lines[line - 1];
      column = static_cast<int>(body.find_first_not_of(' ') == std::string::npos ? 0 : body.find_first_not_of(' ')) + 1;
    }
  } else if (at < text.size() && (text[at] == '"' || text[at] == '\'')) {
    ++column;
  }
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

void ReadWatchlists(const YAML::Node& node, const std::string& path, ExclusionLoadResult& result) {
  if (!node) return;
  namespace fs = std::filesystem;
  fs::path base = fs::path(path).parent_path();
  auto add = [&](const std::string& name, const YAML::Node& value) {
    WatchlistSpec spec;
    spec.name = name;
    if (value.IsScalar()) {
      spec.path = value.as<std::string>();
    } else if (value.IsMap()) {
      spec.path = Scalar(value["path"]);
      spec.search_key = Scalar(value["searchKey"]);
    }
    if (spec.name.empty() || spec.path.empty()) {
      result.problems.push_back(
          Problem(true, path, value, "KQLX004", "Watchlist needs a name and a path (name: file.csv)"));
      return;
    }
    if (fs::path(spec.path).is_relative()) spec.path = (base / spec.path).string();
    result.set.watchlists.push_back(std::move(spec));
  };
  if (node.IsMap()) {
    for (const auto& item : node) add(item.first.as<std::string>(), item.second);
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsMap()) add(Scalar(item["name"]), item);
    }
  } else {
    result.problems.push_back(Problem(true, path, node, "KQLX004", "'watchlists' should be a mapping name: file.csv"));
  }
}

}  // namespace

ExclusionLoadResult LoadExclusionText(const std::string& text, const std::string& path) {
  ExclusionLoadResult result;
  result.set.path = path;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    result.problems.push_back(RuleProblem{true, path, error.mark.line + 1, error.mark.column + 1, "KQLX001",
                                          "Exclusions YAML does not parse: " + error.msg});
    return result;
  }
  if (!root.IsMap()) {
    result.problems.push_back(RuleProblem{true, path, 1, 1, "KQLX002", "Exclusions file is not a YAML mapping"});
    return result;
  }
  const std::vector<std::string> lines = SplitLines(text);
  try {
    if (YAML::Node lists = root["lists"]; lists) {
      if (!lists.IsMap()) {
        result.problems.push_back(Problem(true, path, lists, "KQLX003", "'lists' should be a mapping name: [values]"));
      } else {
        for (const auto& item : lists) {
          NamedList list;
          list.name = item.first.as<std::string>();
          list.line = item.first.Mark().line + 1;
          list.values = Strings(item.second);
          if (!IsIdentifier(list.name)) {
            result.problems.push_back(
                Problem(true, path, item.first, "KQLX003", "List name is not a KQL identifier: " + list.name));
            continue;
          }
          result.set.lists.push_back(std::move(list));
        }
      }
    }
    ReadWatchlists(root["watchlists"], path, result);
    YAML::Node entries = root["exclusions"];
    if (!entries) {
      result.problems.push_back(RuleProblem{false, path, 1, 1, "KQLX005", "No 'exclusions' list in the file"});
      return result;
    }
    if (!entries.IsSequence()) {
      result.problems.push_back(Problem(true, path, entries, "KQLX005", "'exclusions' should be a list of entries"));
      return result;
    }
    for (const auto& node : entries) {
      if (!node.IsMap()) {
        result.problems.push_back(Problem(true, path, node, "KQLX006", "Exclusion entry is not a mapping; skipped"));
        continue;
      }
      ExclusionEntry entry;
      entry.line = node.Mark().line + 1;
      entry.id = Scalar(node["id"]);
      entry.rules = Strings(node["rules"]);
      entry.where = Scalar(node["where"]);
      entry.reason = Scalar(node["reason"]);
      entry.owner = Scalar(node["owner"]);
      entry.expires = Scalar(node["expires"]);
      std::string label = entry.id.empty() ? "entry at line " + std::to_string(entry.line) : "'" + entry.id + "'";
      if (entry.id.empty()) {
        result.problems.push_back(Problem(true, path, node, "KQLX007", "Exclusion entry has no 'id'; skipped"));
        continue;
      }
      if (entry.where.empty()) {
        result.problems.push_back(
            Problem(true, path, node, "KQLX008", "Exclusion " + label + " has no 'where' predicate; skipped"));
        continue;
      }
      if (entry.rules.empty()) {
        result.problems.push_back(Problem(true, path, node, "KQLX009",
                                          "Exclusion " + label + " has no 'rules' scope (use \"*\" for all); skipped"));
        continue;
      }
      if (entry.reason.empty() || entry.owner.empty()) {
        result.problems.push_back(
            Problem(false, path, node, "KQLX010", "Exclusion " + label + " should say its 'reason' and 'owner'"));
      }
      LocateScalar(node["where"], lines, entry.where_line, entry.where_column);
      if (!entry.expires.empty()) {
        entry.expires_ticks = ParseDateTime(entry.expires);
        if (!entry.expires_ticks) {
          result.problems.push_back(Problem(true, path, node["expires"], "KQLX011",
                                            "Exclusion " + label + ": 'expires' is not a date: " + entry.expires +
                                                "; the entry is not applied"));
          entry.expires_ticks = 0;
        }
      }
      for (const auto& other : result.set.entries) {
        if (other.id == entry.id) {
          result.problems.push_back(Problem(false, path, node, "KQLX012", "Duplicate exclusion id: " + entry.id));
        }
      }
      result.set.entries.push_back(std::move(entry));
    }
  } catch (const YAML::Exception& error) {
    result.problems.push_back(RuleProblem{true, path, error.mark.line + 1, error.mark.column + 1, "KQLX002",
                                          "Exclusions YAML has an unexpected shape: " + error.msg});
  }
  return result;
}

ExclusionLoadResult LoadExclusionFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ExclusionLoadResult result;
    result.set.path = path;
    result.problems.push_back(RuleProblem{true, path, 0, 0, "KQLX000", "Cannot read exclusions file"});
    return result;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadExclusionText(buffer.str(), path);
}

bool ExclusionScopes(const ExclusionEntry& entry, const SentinelRule& rule) {
  for (const auto& scope : entry.rules) {
    if (scope == "*") return true;
    if (!rule.id.empty() && GlobMatch(scope, rule.id)) return true;
    if (GlobMatch(scope, rule.name)) return true;
  }
  return false;
}

bool ExclusionExpired(const ExclusionEntry& entry, int64_t now_ticks) {
  return entry.expires_ticks && *entry.expires_ticks <= now_ticks;
}

std::string NamedListLets(const ExclusionSet& set) {
  std::string out;
  for (const auto& list : set.lists) {
    out += "let " + list.name + " = dynamic([";
    for (size_t i = 0; i < list.values.size(); ++i) {
      if (i) out += ", ";
      AppendJsonString(out, list.values[i]);
    }
    out += "]);\n";
  }
  return out;
}

}  // namespace kql::rules
