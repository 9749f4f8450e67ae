// Parser: recursive-descent parser for the whole KQL query language (statements, tabular operators,
// expressions, literals). It never throws and never stops at the first error: every problem becomes a diagnostic
// (codes in syntax/diagnostics.def) and the tree contains ErrorExpr placeholders where recovery happened.
#pragma once
#include <string_view>

#include "base/diagnostic.h"
#include "syntax/ast.h"
#include "syntax/layer.h"

namespace kql::syntax {

/// The result of parsing a query: the tree (always present, possibly partial) and the diagnostics.
struct ParseResult {
  Query query;                   ///< Statements and final tabular expression.
  DiagnosticBag diagnostics;     ///< Lexer and parser diagnostics, in source order of discovery.
  /// True when no error was reported.
  bool ok() const { return !diagnostics.HasErrors(); }
};

/// The result of parsing a standalone scalar expression (e.g. an exclusion predicate).
struct ExpressionParseResult {
  ExprPtr expr;                ///< Never null; an ErrorExpr when nothing could be parsed.
  DiagnosticBag diagnostics;
  /// True when no error was reported.
  bool ok() const { return !diagnostics.HasErrors(); }
};

/// Maximum nesting depth (parentheses, subqueries, unary chains) before KQL1106 is reported.
inline constexpr int kMaxParseDepth = 200;

/// Parses a whole query: `let`/`set`/`declare` statements separated by `;`, then the tabular expression.
ParseResult Parse(std::string_view text);

/// Parses a single scalar expression such as `Computer has "x" and EventID == 4688`.
ExpressionParseResult ParseExpression(std::string_view text);

}  // namespace kql::syntax
