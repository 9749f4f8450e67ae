// Built-in rule pack: the YAML files under rules/builtin, embedded into the binary at build time.
#pragma once
#include <string>
#include <vector>
#include "rules/layer.h"

namespace kql::rules {

/// One embedded rule file: its repository path and its text.
struct EmbeddedRuleFile {
  const char* path;
  const char* text;
};

/// Every built-in rule file, sorted by path.
const std::vector<EmbeddedRuleFile>& BuiltinRuleFiles();

/// The text of data/rmm/windows_binaries.txt: Windows' own binary names, by `[section]`.
const char* WindowsBinaryListText();

}  // namespace kql::rules
