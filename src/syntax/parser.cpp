// Parse() and ParseExpression(): the entry points of the recursive-descent parser (syntax/grammar_parser.h),
// and the small lookups the grammar files share.
#include "syntax/parser.h"

#include "syntax/grammar_parser.h"
#include "syntax/layer.h"

namespace kql::syntax {

int64_t TicksPerUnit(std::string_view unit, double* fraction_of_tick) {
  *fraction_of_tick = 0;
  if (unit == "d" || unit == "day" || unit == "days") return 24 * 3600 * kTicksPerSecond;
  if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") return 3600 * kTicksPerSecond;
  if (unit == "m" || unit == "min" || unit == "minute" || unit == "minutes") return 60 * kTicksPerSecond;
  if (unit == "s" || unit == "sec" || unit == "second" || unit == "seconds") return kTicksPerSecond;
  if (unit == "ms" || unit.substr(0, 5) == "milli") return kTicksPerMillisecond;
  if (unit.substr(0, 5) == "micro") return kTicksPerMicrosecond;
  if (unit == "tick" || unit == "ticks") return 1;
  if (unit.substr(0, 4) == "nano") {
    *fraction_of_tick = 0.01;
    return 0;
  }
  if (unit == "hs") return 1;
  return 0;
}

bool IsGenericOperator(std::string_view name) {
  // make-graph, graph-match, graph-shortest-paths, graph-mark-components and graph-to-table have a grammar
  // (parse_graph_operators.cpp); other graph-* operators (graph-merge...) are kept by name.
  return name.substr(0, 6) == "graph-" || name == "assert-schema" ||
         name == "execute-and-cache" || name == "macro-expand" || name == "project-by-names";
}

ParseResult Parse(std::string_view text) {
  ParseResult result;
  GrammarParser parser(text, result.diagnostics);
  result.query = parser.ParseQuery();
  return result;
}

ExpressionParseResult ParseExpression(std::string_view text) {
  ExpressionParseResult result;
  GrammarParser parser(text, result.diagnostics);
  result.expr = parser.ParseStandaloneExpression();
  return result;
}

}  // namespace kql::syntax
