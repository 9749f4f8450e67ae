#include "rules/windows_binaries.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "rules/builtin_rules.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

constexpr std::string_view kRemoteAccessSection = "microsoft-remote-access";

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// Parses the list once: one name a line, `#` comments, `[section]` headers.
const std::set<std::string>& NameSet() {
  static const std::set<std::string> kNames = [] {
    std::set<std::string> names, remote_access;
    std::istringstream lines(WindowsBinaryListText());
    std::string line, section;
    while (std::getline(lines, line)) {
      line = line.substr(0, line.find('#'));
      line.erase(0, line.find_first_not_of(" \t\r"));
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (line.empty()) continue;
      if (line.front() == '[' && line.back() == ']') {
        section = line.substr(1, line.size() - 2);
        continue;
      }
      (section == kRemoteAccessSection ? remote_access : names).insert(Lower(line));
    }
    for (const auto& name : remote_access) names.erase(name);
    return names;
  }();
  return kNames;
}

}  // namespace

bool IsWindowsBinaryName(std::string_view name) { return NameSet().count(Lower(name)) > 0; }

const std::vector<std::string>& WindowsBinaryNames() {
  static const std::vector<std::string> kNames(NameSet().begin(), NameSet().end());
  return kNames;
}

}  // namespace kql::rules
