// Reads table and function definitions from control-command text, with the KQL lexer so that strings and
// comments inside function bodies never confuse the brace matching.
#include "syntax/control_command.h"

#include "base/diagnostic.h"
#include "syntax/lexer.h"
#include "syntax/layer.h"

namespace kql::syntax {
namespace {

bool AtLineStart(std::string_view text, uint32_t offset) {
  while (offset > 0) {
    const char ch = text[offset - 1];
    if (ch == '\n') return true;
    if (ch != ' ' && ch != '\t' && ch != '\r') return false;
    --offset;
  }
  return true;
}

bool IsOpen(TokenKind kind) {
  return kind == TokenKind::kLeftParen || kind == TokenKind::kLeftBracket || kind == TokenKind::kLeftBrace;
}
bool IsClose(TokenKind kind) {
  return kind == TokenKind::kRightParen || kind == TokenKind::kRightBracket || kind == TokenKind::kRightBrace;
}

/// Reads one command starting at a line-start dot; `index` moves past what was consumed.
class CommandReader {
 public:
  CommandReader(std::string_view text, const std::vector<Token>& tokens, ControlCommandSet& out)
      : text_(text), tokens_(tokens), out_(out) {}

  void Read(size_t& index) {
    index_ = index + 1;
    line_ = tokens_[index].span.line;
    const std::string verb = ReadWord();
    if (verb != "create" && verb != "alter" && verb != "create-or-alter" && verb != "create-merge" &&
        verb != "alter-merge") {
      Problem("Unsupported control command: ." + verb + " (only table and function definitions are read)");
    } else {
      const std::string what = ReadWord();
      if (what == "function") {
        ReadFunction();
      } else if (what == "table" || what == "tables") {
        ReadTables(what == "tables");
      } else {
        Problem("Unsupported control command: ." + verb + " " + what +
                " (only table and function definitions are read)");
      }
    }
    index = index_;
  }

 private:
  const Token& Peek() const { return tokens_[index_]; }
  bool IsWord(std::string_view word) const {
    return Peek().kind == TokenKind::kIdentifier && Peek().text == word;
  }

  /// An identifier possibly joined by adjacent '-' (create-or-alter); empty when none.
  std::string ReadWord() {
    std::string word;
    uint32_t end = 0;
    while (Peek().kind == TokenKind::kIdentifier || (Peek().kind == TokenKind::kMinus && !word.empty())) {
      if (!word.empty() && Peek().span.offset != end) break;
      word += Peek().text;
      end = Peek().End();
      ++index_;
    }
    return word;
  }

  /// A name: identifier or ['quoted'].
  std::string ReadName() {
    if (Peek().kind == TokenKind::kIdentifier) return std::string(tokens_[index_++].text);
    if (Peek().kind == TokenKind::kLeftBracket && tokens_[index_ + 1].kind == TokenKind::kString &&
        tokens_[index_ + 2].kind == TokenKind::kRightBracket) {
      std::string name = tokens_[index_ + 1].value;
      index_ += 3;
      return name;
    }
    return "";
  }

  /// From an opening token to its matching closer; returns the closer's index or the end token's index.
  size_t MatchingClose(size_t open) const {
    int depth = 0;
    for (size_t pos = open; tokens_[pos].kind != TokenKind::kEnd; ++pos) {
      if (IsOpen(tokens_[pos].kind)) ++depth;
      if (IsClose(tokens_[pos].kind) && --depth == 0) return pos;
    }
    return tokens_.size() - 1;
  }

  /// Skips `with (...)` when present.
  void SkipWithClause() {
    if (IsWord("with") && tokens_[index_ + 1].kind == TokenKind::kLeftParen) {
      index_ = MatchingClose(index_ + 1);
      if (Peek().kind != TokenKind::kEnd) ++index_;
    }
  }

  /// Reads a balanced group starting at the current token of kind `open`; returns false when unbalanced.
  bool ReadGroup(TokenKind open, uint32_t& begin, uint32_t& end) {
    if (Peek().kind != open) return false;
    const size_t close = MatchingClose(index_);
    if (tokens_[close].kind == TokenKind::kEnd) return false;
    begin = Peek().span.offset;
    end = tokens_[close].End();
    index_ = close + 1;
    return true;
  }

  void ReadFunction() {
    if (IsWord("ifnotexists")) ++index_;
    SkipWithClause();
    ControlDefinition definition;
    definition.kind = ControlDefinition::Kind::kFunction;
    definition.line = line_;
    definition.name = ReadName();
    if (definition.name.empty()) return Problem("Expected a function name");
    uint32_t begin = 0;
    uint32_t end = 0;
    if (!ReadGroup(TokenKind::kLeftParen, begin, end)) {
      return Problem("Expected a parameter list '(...)' after function " + definition.name);
    }
    definition.parameters = std::string(text_.substr(begin, end - begin));
    const uint32_t body_line = Peek().span.line;
    if (!ReadGroup(TokenKind::kLeftBrace, begin, end)) {
      return Problem("Expected a body '{ ... }' for function " + definition.name);
    }
    definition.body = std::string(text_.substr(begin + 1, end - begin - 2));
    definition.body_line = body_line;
    out_.definitions.push_back(std::move(definition));
  }

  void ReadTables(bool several) {
    do {
      ControlDefinition definition;
      definition.kind = ControlDefinition::Kind::kTable;
      definition.line = line_;
      definition.name = ReadName();
      if (definition.name.empty()) return Problem("Expected a table name");
      uint32_t begin = 0;
      uint32_t end = 0;
      if (!ReadGroup(TokenKind::kLeftParen, begin, end)) {
        return Problem("Expected a column list '(name:type, ...)' after table " + definition.name);
      }
      definition.schema = std::string(text_.substr(begin, end - begin));
      out_.definitions.push_back(std::move(definition));
    } while (several && Peek().kind == TokenKind::kComma && ++index_);
    SkipWithClause();
  }

  void Problem(std::string message) { out_.problems.push_back({line_, std::move(message)}); }

  std::string_view text_;
  const std::vector<Token>& tokens_;
  ControlCommandSet& out_;
  size_t index_ = 0;
  uint32_t line_ = 1;
};

}  // namespace

ControlCommandSet ParseControlCommands(std::string_view text) {
  ControlCommandSet out;
  DiagnosticBag diagnostics;
  const std::vector<Token> tokens = Lex(text, diagnostics);
  for (const Diagnostic& diagnostic : diagnostics.items()) {
    out.problems.push_back({diagnostic.span.line, diagnostic.message});
  }
  size_t index = 0;
  CommandReader reader(text, tokens, out);
  while (tokens[index].kind != TokenKind::kEnd) {
    const Token& token = tokens[index];
    if (token.kind == TokenKind::kDot && AtLineStart(text, token.span.offset)) {
      reader.Read(index);
      // Whatever follows a command on its own lines (e.g. a trailing `with (...)`) belongs to it.
      while (tokens[index].kind != TokenKind::kEnd &&
             !(tokens[index].kind == TokenKind::kDot && AtLineStart(text, tokens[index].span.offset))) {
        ++index;
      }
      continue;
    }
    out.problems.push_back({token.span.line, "Expected a control command starting with '.' such as .create function"});
    while (tokens[index].kind != TokenKind::kEnd &&
           !(tokens[index].kind == TokenKind::kDot && AtLineStart(text, tokens[index].span.offset))) {
      ++index;
    }
  }
  return out;
}

}  // namespace kql::syntax
