// When the shell runs what was typed: the rule that ends a multi-line query (docs/shell.md "Multi-line queries").
#pragma once
#include <string_view>

namespace kql::cli {

/// True when `text` (every line typed for the query so far) ends with a `;` that closes a query statement: the `;`
/// is outside brackets and strings, and the statement it ends is not a `let`, `set`, `declare`, `alias`,
/// `pattern` or `restrict` statement (those `;` only separate statements, so the query goes on). An empty line
/// ends a query too; the shell checks that itself.
bool SemicolonEndsQuery(std::string_view text);

/// The query to run: `text` without the trailing `;` that ended it (and without surrounding blank space).
std::string_view QueryToRun(std::string_view text);

}  // namespace kql::cli
