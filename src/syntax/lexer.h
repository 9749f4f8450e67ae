// Lexer: turns KQL text into tokens, skipping whitespace and `//` comments.
// It never throws; malformed input yields kError tokens and diagnostics (codes KQL10xx).
#pragma once
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "syntax/token.h"
#include "syntax/layer.h"

namespace kql::syntax {

/// Splits the whole text into tokens; the last token is always kEnd. Errors are appended to `diagnostics`.
std::vector<Token> Lex(std::string_view text, DiagnosticBag& diagnostics);

}  // namespace kql::syntax
