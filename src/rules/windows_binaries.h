// Windows' own binaries: the names of data/rmm/windows_binaries.txt (LOLBAS and System32 executables, embedded at
// build time), which no rule should match by process name alone. Lint's KQLR260 and the pack's tests read them.
#pragma once
#include <string>
#include <string_view>
#include <vector>
#include "rules/layer.h"

namespace kql::rules {

/// True when `name` (a file name, any case) is one of Windows' own binaries, outside the Microsoft remote-access
/// tools (quickassist.exe, msra.exe, ...) that rules for those very tools name on purpose.
bool IsWindowsBinaryName(std::string_view name);

/// Every such name, lower case, sorted (the remote-access tools left out).
const std::vector<std::string>& WindowsBinaryNames();

}  // namespace kql::rules
