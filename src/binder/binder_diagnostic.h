// Diagnostic codes of the binder as constants, generated from binder/diagnostics.def.
// Use these instead of spelling "KQL2xxx" in code so that every code stays listed in one table.
#pragma once
#include <string_view>
#include "binder/layer.h"

namespace kql::binder {

#define KQL_DIAGNOSTIC(constant, code, summary) inline constexpr std::string_view constant = code;
#include "binder/diagnostics.def"
#undef KQL_DIAGNOSTIC

}  // namespace kql::binder
