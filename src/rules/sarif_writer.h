// SARIF writer: renders lint findings as one SARIF 2.1.0 log (the format code-scanning services ingest).
// It only formats; the findings come from rule_linter.h.
#pragma once
#include <string>
#include <vector>

#include "rules/rule_linter.h"
#include "rules/layer.h"

namespace kql::rules {

/// Renders the findings of every file as a SARIF 2.1.0 JSON document with one run whose tool driver is "kqlite";
/// `version` is the driver version. Paths become artifact URIs as given (built-in files keep their
/// "builtin:" prefix stripped).
std::string WriteSarif(const std::vector<LintedFile>& files, const std::string& version);

}  // namespace kql::rules
