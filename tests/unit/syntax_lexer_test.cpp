// Unit tests for the KQL lexer: token kinds, literal decoding, comments, positions and lexical diagnostics.
#include <gtest/gtest.h>

#include "syntax/lexer.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

std::vector<Token> LexOk(std::string_view text) {
  DiagnosticBag diagnostics;
  std::vector<Token> tokens = Lex(text, diagnostics);
  EXPECT_FALSE(diagnostics.HasErrors()) << text;
  return tokens;
}

std::vector<TokenKind> Kinds(std::string_view text) {
  std::vector<TokenKind> kinds;
  for (const Token& token : LexOk(text)) kinds.push_back(token.kind);
  return kinds;
}

TEST(SyntaxLexerTest, PunctuationAndOperators) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("( ) [ ] { } , ; | . .. : = == != <> < <= > >= =~ !~ ! ~ + - * / % =>"),
            (std::vector<K>{K::kLeftParen, K::kRightParen, K::kLeftBracket, K::kRightBracket, K::kLeftBrace,
                            K::kRightBrace, K::kComma, K::kSemicolon, K::kPipe, K::kDot, K::kDotDot, K::kColon,
                            K::kAssign, K::kEqual, K::kNotEqual, K::kLessGreater, K::kLess, K::kLessEqual,
                            K::kGreater, K::kGreaterEqual, K::kEqualTilde, K::kBangTilde, K::kBang, K::kTilde,
                            K::kPlus, K::kMinus, K::kStar, K::kSlash, K::kPercent, K::kArrow, K::kEnd}));
}

TEST(SyntaxLexerTest, Numbers) {
  std::vector<Token> tokens = LexOk("123 0x1F 1.5 1e3 2.5e-2 1..5");
  EXPECT_EQ(tokens[0].kind, TokenKind::kLong);
  EXPECT_EQ(tokens[1].kind, TokenKind::kLong);
  EXPECT_EQ(tokens[1].text, "0x1F");
  EXPECT_EQ(tokens[2].kind, TokenKind::kReal);
  EXPECT_EQ(tokens[3].kind, TokenKind::kReal);
  EXPECT_EQ(tokens[4].kind, TokenKind::kReal);
  // `1..5` is a range inside between(), not a real.
  EXPECT_EQ(tokens[5].kind, TokenKind::kLong);
  EXPECT_EQ(tokens[6].kind, TokenKind::kDotDot);
  EXPECT_EQ(tokens[7].kind, TokenKind::kLong);
}

TEST(SyntaxLexerTest, TimespanUnits) {
  for (std::string_view text : {"1d", "2h", "30m", "10s", "100ms", "5microsecond", "1tick", "1.5h", "3days",
                                "7min", "2hours", "10seconds", "4milliseconds", "3ticks"}) {
    std::vector<Token> tokens = LexOk(text);
    ASSERT_EQ(tokens.size(), 2u) << text;
    EXPECT_EQ(tokens[0].kind, TokenKind::kTimeSpan) << text;
  }
  EXPECT_EQ(LexOk("100ms")[0].value, "ms");
}

TEST(SyntaxLexerTest, DigitsFollowedByLettersAreAnIdentifier) {
  std::vector<Token> tokens = LexOk("5Minutebin");
  EXPECT_EQ(tokens[0].kind, TokenKind::kIdentifier);
}

TEST(SyntaxLexerTest, StringEscapes) {
  std::vector<Token> tokens = LexOk(R"('a\'b' "c\"d" 'x\ny\tz\\' "\u00e9")");
  EXPECT_EQ(tokens[0].value, "a'b");
  EXPECT_EQ(tokens[1].value, "c\"d");
  EXPECT_EQ(tokens[2].value, "x\ny\tz\\");
  EXPECT_EQ(tokens[3].value, "\xC3\xA9");
}

TEST(SyntaxLexerTest, VerbatimObfuscatedAndMultiLineStrings) {
  std::vector<Token> tokens = LexOk("@'C:\\temp' @\"say \"\"hi\"\"\" h'secret' H\"x\" h@'a\\b' ```line1\nline2```");
  EXPECT_EQ(tokens[0].value, "C:\\temp");
  EXPECT_EQ(tokens[1].value, "say \"hi\"");
  EXPECT_EQ(tokens[2].value, "secret");
  EXPECT_EQ(tokens[3].value, "x");
  EXPECT_EQ(tokens[4].value, "a\\b");
  EXPECT_EQ(tokens[5].value, "line1\nline2");
  for (int i = 0; i < 6; ++i) EXPECT_EQ(tokens[i].kind, TokenKind::kString);
}

TEST(SyntaxLexerTest, TypedLiteralsKeepRawBody) {
  std::vector<Token> tokens =
      LexOk("datetime(2024-01-01T10:00:00Z) dynamic({\"a\": [1, 2], \"b)\": \"}\"}) guid(74be27de-1e4e-49d9-b579-fe0b331d3642) time(1.00:00:00)");
  EXPECT_EQ(tokens[0].kind, TokenKind::kTypedLiteral);
  EXPECT_EQ(tokens[0].keyword, "datetime");
  EXPECT_EQ(tokens[0].value, "2024-01-01T10:00:00Z");
  EXPECT_EQ(tokens[1].value, "{\"a\": [1, 2], \"b)\": \"}\"}");
  EXPECT_EQ(tokens[2].keyword, "guid");
  EXPECT_EQ(tokens[3].value, "1.00:00:00");
}

TEST(SyntaxLexerTest, DatetimeWithoutParenthesisIsAnIdentifier) {
  std::vector<Token> tokens = LexOk("x:datetime");
  EXPECT_EQ(tokens[2].kind, TokenKind::kIdentifier);
  EXPECT_EQ(tokens[2].text, "datetime");
}

TEST(SyntaxLexerTest, CommentsAndPositions) {
  std::vector<Token> tokens = LexOk("T // comment | where\n  | take 1 // end");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[1].kind, TokenKind::kPipe);
  EXPECT_EQ(tokens[1].span.line, 2u);
  EXPECT_EQ(tokens[1].span.col, 3u);
  EXPECT_EQ(tokens[2].text, "take");
  EXPECT_EQ(tokens[2].span.offset, 25u);
  EXPECT_EQ(tokens[2].span.col, 5u);
}

TEST(SyntaxLexerTest, IdentifiersWithDollar) {
  std::vector<Token> tokens = LexOk("$left.a");
  EXPECT_EQ(tokens[0].kind, TokenKind::kIdentifier);
  EXPECT_EQ(tokens[0].text, "$left");
}

TEST(SyntaxLexerTest, UnterminatedStringIsReported) {
  DiagnosticBag diagnostics;
  Lex("print 'abc\n| take 1", diagnostics);
  ASSERT_EQ(diagnostics.items().size(), 1u);
  EXPECT_EQ(diagnostics.items()[0].code, "KQL1001");
  EXPECT_EQ(diagnostics.items()[0].span.line, 1u);
  EXPECT_EQ(diagnostics.items()[0].span.col, 7u);
}

TEST(SyntaxLexerTest, InvalidCharacterAndEscape) {
  DiagnosticBag diagnostics;
  std::vector<Token> tokens = Lex("a # b 'x\\q'", diagnostics);
  ASSERT_EQ(diagnostics.items().size(), 2u);
  EXPECT_EQ(diagnostics.items()[0].code, "KQL1002");
  EXPECT_EQ(diagnostics.items()[0].message, "Invalid character: '#'");
  EXPECT_EQ(diagnostics.items()[1].code, "KQL1005");
  EXPECT_EQ(tokens[1].kind, TokenKind::kError);
}

TEST(SyntaxLexerTest, UnterminatedTypedLiteral) {
  DiagnosticBag diagnostics;
  Lex("print datetime(2024-01-01", diagnostics);
  ASSERT_EQ(diagnostics.items().size(), 1u);
  EXPECT_EQ(diagnostics.items()[0].code, "KQL1004");
}

}  // namespace
}  // namespace kql
