// The shell's end-of-query rule, on the KQL lexer's tokens so `;` in strings and comments does not count.
#include "shell_query_end.h"

#include <array>
#include <vector>

#include "syntax/lexer.h"

namespace kql::cli {

namespace {

/// Statements whose `;` only separates them from the query that follows.
constexpr std::array<std::string_view, 6> kSeparatedStatements = {"let", "set", "declare", "alias", "pattern",
                                                                  "restrict"};

}  // namespace

bool SemicolonEndsQuery(std::string_view text) {
  DiagnosticBag diagnostics;
  std::vector<syntax::Token> tokens = syntax::Lex(text, diagnostics);
  if (tokens.size() < 2 || tokens[tokens.size() - 2].kind != syntax::TokenKind::kSemicolon) return false;
  int depth = 0;
  size_t statement_start = 0;
  for (size_t i = 0; i + 2 < tokens.size(); ++i) {
    switch (tokens[i].kind) {
      case syntax::TokenKind::kLeftParen:
      case syntax::TokenKind::kLeftBracket:
      case syntax::TokenKind::kLeftBrace: ++depth; break;
      case syntax::TokenKind::kRightParen:
      case syntax::TokenKind::kRightBracket:
      case syntax::TokenKind::kRightBrace: --depth; break;
      case syntax::TokenKind::kSemicolon:
        if (depth == 0) statement_start = i + 1;
        break;
      case syntax::TokenKind::kError: return false;  // An unterminated string: the `;` is inside it.
      default: break;
    }
  }
  if (depth != 0) return false;
  const syntax::Token& first = tokens[statement_start];
  if (first.kind != syntax::TokenKind::kIdentifier) return true;
  for (std::string_view keyword : kSeparatedStatements) {
    if (first.text == keyword) return false;
  }
  return true;
}

std::string_view QueryToRun(std::string_view text) {
  constexpr std::string_view kBlank = " \t\r\n";
  size_t end = text.find_last_not_of(kBlank);
  if (end == std::string_view::npos) return {};
  text = text.substr(0, end + 1);
  if (text.back() == ';') text.remove_suffix(1);
  size_t start = text.find_first_not_of(kBlank);
  end = text.find_last_not_of(kBlank);
  if (start == std::string_view::npos) return {};
  return text.substr(start, end - start + 1);
}

}  // namespace kql::cli
