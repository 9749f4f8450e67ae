// Name globs: `*` and `?` patterns over rule names, ids and test-case names, matched case-insensitively.
#pragma once
#include <string_view>
#include "rules/layer.h"

namespace kql::rules {

/// True when `text` matches `pattern` (`*` any run, `?` one character), ignoring ASCII case.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace kql::rules
