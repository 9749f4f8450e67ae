// The parser's AST as seen by the binder. syntax/ast.h and plan/logical_operator.h both declare kql::SortKey, so
// no translation unit can include both; the binder sees the AST's SortKey as kql::SyntaxSortKey instead.
// Remove this header once ast.h renames its SortKey (reported to the lead).
#pragma once
#define SortKey SyntaxSortKey
#include "syntax/ast.h"
#include "syntax/parser.h"
#undef SortKey
