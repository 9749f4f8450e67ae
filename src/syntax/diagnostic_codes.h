// Diagnostic codes of the lexer and parser as constants, generated from syntax/diagnostics.def.
// Use these instead of spelling "KQL1xxx" in code so that every code stays listed in one table.
#pragma once
#include <string_view>
#include "syntax/layer.h"

namespace kql::syntax {

#define KQL_DIAGNOSTIC(constant, code, summary) inline constexpr std::string_view constant = code;
#include "syntax/diagnostics.def"
#undef KQL_DIAGNOSTIC

}  // namespace kql::syntax
