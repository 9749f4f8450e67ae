// AstPrinter: renders a syntax tree as canonical KQL text that re-parses to the same tree.
// Used by --verify=reparse and by tests; it is not a pretty-printer for users (no comments, fixed layout).
#pragma once
#include <string>

#include "syntax/ast.h"
#include "syntax/layer.h"

namespace kql::syntax {

/// Renders a whole query: statements each followed by `;` and a newline, then the body with one operator per line.
std::string PrintAst(const Query& query);

/// Renders one expression on a single line.
std::string PrintExpr(const Expr& expr);

/// Renders one pipeline (a pipeline with an implicit input starts with its first operator).
std::string PrintPipeline(const Pipeline& pipeline);

}  // namespace kql::syntax
