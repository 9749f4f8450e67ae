// `kqlite test --update`: records what a rule produces now as the expected outcome of its test cases. The `expect:`
// block of each failing case (or of a case without one) is rewritten in the test file's text — `alerts: N` and the
// result rows — and every other line of the file (comments, events, passing cases) is kept as it was.
#pragma once
#include <string>

#include "rules/rule_test_runner.h"
#include "rules/layer.h"

namespace kql::rules {

/// The outcome of updating a test file's text.
struct RuleTestUpdate {
  std::string text;     ///< The new text (the old one when nothing changed).
  size_t updated = 0;   ///< Cases whose expect block was written.
  std::string problem;  ///< Why a case could not be updated (the text is then unchanged).
};

/// Rewrites the expect blocks of `result`'s failing cases (and cases without one) whose rule ran, in `text`, the
/// test file the result came from.
RuleTestUpdate UpdateRuleTestText(const std::string& text, const RuleTestFileResult& result);

}  // namespace kql::rules
