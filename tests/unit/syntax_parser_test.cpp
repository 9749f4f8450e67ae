// Unit tests for the KQL parser: statements, every tabular operator, precedence, literals, spans, error recovery
// and robustness (deep nesting, random input). Behaviour after parsing is covered by golden tests.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <random>
#include <string>

#include "syntax/ast_printer.h"
#include "syntax/parser.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

ParseResult ParseOk(std::string_view text) {
  ParseResult result = Parse(text);
  EXPECT_TRUE(result.ok()) << text << "\n"
                           << (result.ok() ? "" : RenderDiagnostic(result.diagnostics.items()[0], text));
  return result;
}

// Renders an expression as an S-expression that shows the tree shape.
std::string Sexp(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kBinary: {
      const auto& binary = expr.As<BinaryExpr>();
      return "(" + std::string(BinaryOpText(binary.op)) + " " + Sexp(*binary.left) + " " + Sexp(*binary.right) + ")";
    }
    case ExprKind::kUnary: {
      const auto& unary = expr.As<UnaryExpr>();
      return std::string("(") + (unary.op == UnaryOp::kNegate ? "neg " : "pos ") + Sexp(*unary.operand) + ")";
    }
    case ExprKind::kIn: {
      const auto& in = expr.As<InExpr>();
      std::string out = "(" + std::string(InOpText(in.op)) + " " + Sexp(*in.left);
      for (const auto& item : in.items) out += " " + Sexp(*item);
      return out + ")";
    }
    case ExprKind::kBetween: {
      const auto& between = expr.As<BetweenExpr>();
      return std::string(between.negated ? "(!between " : "(between ") + Sexp(*between.operand) + " " +
             Sexp(*between.low) + " " + Sexp(*between.high) + ")";
    }
    case ExprKind::kParen: return "[" + Sexp(*expr.As<ParenExpr>().inner) + "]";
    case ExprKind::kCall: {
      const auto& call = expr.As<CallExpr>();
      std::string out = call.name + "(";
      for (size_t i = 0; i < call.args.size(); ++i) {
        if (i > 0) out += ",";
        if (!call.arg_names[i].empty()) out += call.arg_names[i] + "=";
        out += Sexp(*call.args[i]);
      }
      return out + ")";
    }
    case ExprKind::kMember: return Sexp(*expr.As<MemberExpr>().target) + "." + expr.As<MemberExpr>().member;
    case ExprKind::kIndex:
      return Sexp(*expr.As<IndexExpr>().target) + "[" + Sexp(*expr.As<IndexExpr>().index) + "]";
    default: return PrintExpr(expr);
  }
}

std::string ExprSexp(std::string_view text) {
  ExpressionParseResult result = ParseExpression(text);
  EXPECT_TRUE(result.ok()) << text;
  return Sexp(*result.expr);
}

// The parts of a parsed literal, copied out of the tree so that the tree can be dropped.
struct LiteralInfo {
  LiteralKind literal_kind = LiteralKind::kNull;
  std::string raw;
  std::string text;
  bool is_null = false;
  std::optional<int64_t> int_value;
  std::optional<double> real_value;
};

LiteralInfo Lit(std::string_view text) {
  ExpressionParseResult result = ParseExpression(text);
  EXPECT_TRUE(result.ok()) << text;
  LiteralInfo info;
  if (result.expr->kind != ExprKind::kLiteral) {
    ADD_FAILURE() << "not a literal: " << text;
    return info;
  }
  const auto& literal = result.expr->As<LiteralExpr>();
  info.literal_kind = literal.literal_kind;
  info.raw = literal.raw;
  info.text = literal.text;
  info.is_null = literal.is_null;
  info.int_value = literal.int_value;
  info.real_value = literal.real_value;
  return info;
}

const Operator& Stage(const Query& query, size_t index) { return *query.body->operators.at(index); }

// ---- Precedence -------------------------------------------------------------------------------------------------

TEST(SyntaxParserTest, Precedence) {
  EXPECT_EQ(ExprSexp("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(ExprSexp("a and b or c"), "(or (and a b) c)");
  EXPECT_EQ(ExprSexp("a == 1 and b != 2"), "(and (== a 1) (!= b 2))");
  EXPECT_EQ(ExprSexp("a + b * c == d"), "(== (+ a (* b c)) d)");
  EXPECT_EQ(ExprSexp("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(ExprSexp("-a * b"), "(* (neg a) b)");
  EXPECT_EQ(ExprSexp("a % 2 / 3"), "(/ (% a 2) 3)");
  EXPECT_EQ(ExprSexp("not(a) or b has 'x'"), "(or not(a) (has b \"x\"))");
  EXPECT_EQ(ExprSexp("(a or b) and c"), "(and [(or a b)] c)");
  EXPECT_EQ(ExprSexp("x + 1 > y and z"), "(and (> (+ x 1) y) z)");
  // Three comparison levels, loosest first: equality/in/between, relational, string operators.
  EXPECT_EQ(ExprSexp("a has 'x' == true"), "(== (has a \"x\") true)");
  EXPECT_EQ(ExprSexp("1 < 2 =~ true"), "(< 1 (=~ 2 true))");
  EXPECT_EQ(ExprSexp("1 < 2 == true"), "(== (< 1 2) true)");
  EXPECT_EQ(ExprSexp("1 < 2 in (true)"), "(in (< 1 2) true)");
  EXPECT_EQ(ExprSexp("-(-1)"), "(neg [(neg 1)])");
}

TEST(SyntaxParserTest, ComparisonsDoNotChain) {
  for (const char* text : {"print 1 < 2 < 3", "print a == b == c", "print x in (1) == true",
                           "print 'a' has 'a' has 'b'", "print x between (1 .. 2) < 3", "print - - 1",
                           "print .5", "print strcat('a',)"}) {
    EXPECT_FALSE(Parse(text).ok()) << text;
  }
}

TEST(SyntaxParserTest, StringOperators) {
  const char* const kOperators[] = {
      "==",         "!=",          "<",           "<=",           ">",           ">=",         "=~",
      "!~",         "has",         "!has",        "has_cs",       "!has_cs",     "hasprefix",  "!hasprefix",
      "hasprefix_cs", "!hasprefix_cs", "hassuffix", "!hassuffix",   "hassuffix_cs", "!hassuffix_cs", "contains",
      "!contains",  "contains_cs", "!contains_cs", "startswith",   "!startswith", "startswith_cs", "!startswith_cs",
      "endswith",   "!endswith",   "endswith_cs", "!endswith_cs", "matches regex"};
  for (const char* op : kOperators) {
    EXPECT_EQ(ExprSexp(std::string("a ") + op + " 'x'"), std::string("(") + op + " a \"x\")") << op;
  }
  EXPECT_EQ(ExprSexp("a <> 1"), "(!= a 1)");
}

TEST(SyntaxParserTest, InAndBetween) {
  EXPECT_EQ(ExprSexp("a in (1, 2)"), "(in a 1 2)");
  EXPECT_EQ(ExprSexp("a !in ('x')"), "(!in a \"x\")");
  EXPECT_EQ(ExprSexp("a in~ ('x', 'y')"), "(in~ a \"x\" \"y\")");
  EXPECT_EQ(ExprSexp("a !in~ ('x')"), "(!in~ a \"x\")");
  EXPECT_EQ(ExprSexp("a has_any ('x', 'y')"), "(has_any a \"x\" \"y\")");
  EXPECT_EQ(ExprSexp("a has_all (L)"), "(has_all a L)");
  EXPECT_EQ(ExprSexp("a between (1 .. 5)"), "(between a 1 5)");
  EXPECT_EQ(ExprSexp("a !between (now() - 1d .. now())"), "(!between a (- now() 1d) now())");
  EXPECT_EQ(ExprSexp("a between(1..5) and b"), "(and (between a 1 5) b)");
  ExpressionParseResult sub = ParseExpression("a in (T | where b > 1 | project a)");
  ASSERT_TRUE(sub.ok());
  const auto& in = sub.expr->As<InExpr>();
  ASSERT_EQ(in.items.size(), 1u);
  ASSERT_EQ(in.items[0]->kind, ExprKind::kTabular);
  EXPECT_EQ(in.items[0]->As<TabularExpr>().pipeline->operators.size(), 2u);
}

TEST(SyntaxParserTest, PostfixAndCalls) {
  EXPECT_EQ(ExprSexp("a.b.c"), "a.b.c");
  EXPECT_EQ(ExprSexp("a['b'][0]"), "a[\"b\"][0]");
  EXPECT_EQ(ExprSexp("a.[0]"), "a[0]");
  EXPECT_EQ(ExprSexp("$left.a == $right.b"), "(== $left.a $right.b)");
  EXPECT_EQ(ExprSexp("dcount(x, 2)"), "dcount(x,2)");
  EXPECT_EQ(ExprSexp("count()"), "count()");
  EXPECT_EQ(ExprSexp("bag_unpack(x, columnsConflict='keep_source')"), "bag_unpack(x,columnsConflict=\"keep_source\")");
  EXPECT_EQ(ExprSexp("toscalar(T | count)"), "toscalar(T\n| count)");
  EXPECT_EQ(ExprSexp("parse_json(x).a[0].b"), "parse_json(x).a[0].b");
}

// ---- Literals ---------------------------------------------------------------------------------------------------

TEST(SyntaxParserTest, NumericLiterals) {
  EXPECT_EQ(*Lit("123").int_value, 123);
  EXPECT_EQ(*Lit("0x1F").int_value, 31);
  EXPECT_EQ(Lit("1.5").literal_kind, LiteralKind::kReal);
  EXPECT_DOUBLE_EQ(*Lit("1e3").real_value, 1000.0);
  EXPECT_TRUE(std::isnan(*Lit("real(nan)").real_value));
  EXPECT_EQ(*Lit("real(+inf)").real_value, INFINITY);
  EXPECT_EQ(*Lit("real(-inf)").real_value, -INFINITY);
  EXPECT_TRUE(Lit("real(null)").is_null);
  EXPECT_EQ(Lit("int(5)").literal_kind, LiteralKind::kInt);
  EXPECT_EQ(*Lit("long(-5)").int_value, -5);
  EXPECT_TRUE(Lit("long(null)").is_null);
  EXPECT_EQ(Lit("decimal(1.5)").literal_kind, LiteralKind::kDecimal);
  EXPECT_EQ(Lit("decimal(1.5)").text, "1.5");
  EXPECT_EQ(*Lit("bool(true)").int_value, 1);
  EXPECT_TRUE(Lit("bool(null)").is_null);
  EXPECT_EQ(*Lit("false").int_value, 0);
  EXPECT_FALSE(ParseExpression("long(abc)").ok());
  EXPECT_EQ(ParseExpression("long(abc)").diagnostics.items()[0].code, "KQL1108");
}

TEST(SyntaxParserTest, TimespanLiterals) {
  const int64_t kSecond = 10'000'000;
  EXPECT_EQ(*Lit("1d").int_value, 86400 * kSecond);
  EXPECT_EQ(*Lit("2h").int_value, 7200 * kSecond);
  EXPECT_EQ(*Lit("30m").int_value, 1800 * kSecond);
  EXPECT_EQ(*Lit("10s").int_value, 10 * kSecond);
  EXPECT_EQ(*Lit("100ms").int_value, kSecond / 10);
  EXPECT_EQ(*Lit("5microsecond").int_value, 50);
  EXPECT_EQ(*Lit("1tick").int_value, 1);
  EXPECT_EQ(*Lit("1.5h").int_value, 5400 * kSecond);
  EXPECT_EQ(*Lit("timespan(2d)").int_value, 2 * 86400 * kSecond);
  const LiteralInfo time = Lit("time(1.00:00:00)");
  EXPECT_EQ(time.literal_kind, LiteralKind::kTimeSpan);
  EXPECT_EQ(time.text, "1.00:00:00");
}

TEST(SyntaxParserTest, OtherLiterals) {
  const LiteralInfo date = Lit("datetime(2024-01-01 10:00:00.123)");
  EXPECT_EQ(date.literal_kind, LiteralKind::kDateTime);
  EXPECT_EQ(date.text, "2024-01-01 10:00:00.123");
  EXPECT_EQ(date.raw, "datetime(2024-01-01 10:00:00.123)");
  EXPECT_TRUE(Lit("datetime(null)").is_null);
  const LiteralInfo dyn = Lit("dynamic({\"a\": [1, 2]})");
  EXPECT_EQ(dyn.literal_kind, LiteralKind::kDynamic);
  EXPECT_EQ(dyn.text, "{\"a\": [1, 2]}");
  EXPECT_EQ(Lit("dynamic([1,2])").text, "[1,2]");
  EXPECT_TRUE(Lit("dynamic(null)").is_null);
  EXPECT_EQ(Lit("guid(74be27de-1e4e-49d9-b579-fe0b331d3642)").literal_kind, LiteralKind::kGuid);
  const LiteralInfo concat = Lit("'a' \"b\" @'c\\'");
  EXPECT_EQ(concat.literal_kind, LiteralKind::kString);
  EXPECT_EQ(concat.text, "abc\\");
  EXPECT_EQ(Lit("h'secret'").text, "secret");
  EXPECT_EQ(Lit("```multi\nline```").text, "multi\nline");
}

// ---- Statements -------------------------------------------------------------------------------------------------

TEST(SyntaxParserTest, LetStatements) {
  ParseResult result = ParseOk(
      "let a = 5;\n"
      "let t = T | where x > a;\n"
      "let f = (s:string, n:long = 5, tab:(x:long)) { tab | where x > n };\n"
      "let g = (x:long) { x + 1 };\n"
      "let m = materialize(T | take 10);\n"
      "let v = view () { print 1 };\n"
      "let ['odd name'] = 1;\n"
      "t");
  const Query& query = result.query;
  ASSERT_EQ(query.statements.size(), 7u);
  EXPECT_EQ(query.statements[0].value->kind, ExprKind::kLiteral);
  EXPECT_EQ(query.statements[1].value->kind, ExprKind::kTabular);
  const auto& f = query.statements[2].value->As<FunctionDeclExpr>();
  ASSERT_EQ(f.params.size(), 3u);
  EXPECT_EQ(f.params[1].decl.type, "long");
  EXPECT_NE(f.params[1].default_value, nullptr);
  EXPECT_TRUE(f.params[2].decl.is_tabular);
  ASSERT_EQ(f.params[2].decl.columns.size(), 1u);
  EXPECT_EQ(f.body->result->kind, ExprKind::kTabular);
  EXPECT_EQ(query.statements[3].value->As<FunctionDeclExpr>().body->result->kind, ExprKind::kBinary);
  EXPECT_EQ(query.statements[4].value->kind, ExprKind::kCall);
  EXPECT_TRUE(query.statements[5].value->As<FunctionDeclExpr>().is_view);
  EXPECT_EQ(query.statements[6].name, "odd name");
  ASSERT_NE(query.body, nullptr);
  EXPECT_EQ(query.body->source->As<TableRefOp>().table, "t");
}

TEST(SyntaxParserTest, OtherStatements) {
  ParseResult result = ParseOk(
      "set querytrace;\nset truncationmaxsize = 1000;\n"
      "declare query_parameters(name:string = 'x', n:long);\n"
      "alias database db = cluster('c').database('d');\n"
      "restrict access to (T1, T2);\n"
      "T;");
  ASSERT_EQ(result.query.statements.size(), 5u);
  EXPECT_EQ(result.query.statements[0].kind, StatementKind::kSet);
  EXPECT_EQ(result.query.statements[1].value->kind, ExprKind::kLiteral);
  EXPECT_EQ(result.query.statements[2].parameters.size(), 2u);
  EXPECT_EQ(result.query.statements[3].kind, StatementKind::kAlias);
  EXPECT_EQ(result.query.statements[4].names.size(), 2u);
  EXPECT_NE(result.query.body, nullptr);
}

// ---- Sources ----------------------------------------------------------------------------------------------------

TEST(SyntaxParserTest, Sources) {
  EXPECT_EQ(ParseOk("['My Table']").query.body->source->As<TableRefOp>().table, "My Table");
  ParseResult parsed_qualified = ParseOk("cluster('c').database('d').T");
  const auto& qualified = parsed_qualified.query.body->source->As<TableRefOp>();
  EXPECT_EQ(qualified.cluster, "c");
  EXPECT_EQ(qualified.database, "d");
  EXPECT_EQ(qualified.table, "T");
  EXPECT_EQ(ParseOk("database(\"x\").T").query.body->source->As<TableRefOp>().database, "x");
  EXPECT_EQ(ParseOk("table('T') | take 1").query.body->source->kind, OperatorKind::kCallSource);
  EXPECT_EQ(ParseOk("f(1, 'a')").query.body->source->kind, OperatorKind::kCallSource);
  EXPECT_EQ(ParseOk("(T | take 1) | count").query.body->source->kind, OperatorKind::kSubquery);
  ParseResult parsed_table = ParseOk("datatable(a:long, b:string)[1, 'x', -2, 'y']");
  const auto& table = parsed_table.query.body->source->As<DatatableOp>();
  EXPECT_EQ(table.columns.size(), 2u);
  EXPECT_EQ(table.values.size(), 4u);
  EXPECT_EQ(ParseOk("print x = 1, 'y'").query.body->source->As<PrintOp>().columns.size(), 2u);
  ParseResult parsed_range = ParseOk("range x from 1 to 10 step 2");
  const auto& range = parsed_range.query.body->source->As<RangeOp>();
  EXPECT_EQ(range.column, "x");
  EXPECT_EQ(ParseOk("union T1, (T2 | where a), Sec*").query.body->source->As<UnionOp>().tables.size(), 3u);
  EXPECT_EQ(ParseOk("find in (T1, T2) where x has 'a' project a, b").query.body->source->kind, OperatorKind::kFind);
  EXPECT_EQ(ParseOk("search kind=case_sensitive in (T) \"x\"").query.body->source->kind, OperatorKind::kSearch);
  EXPECT_EQ(ParseOk("search \"err\" and Level:\"x\"").query.body->source->kind, OperatorKind::kSearch);
  ParseResult parsed_external = ParseOk("externaldata (a:string, b:long) [ @\"https://x/y.csv\" ] with (format=\"csv\", ignoreFirstRecord=true)");
  const auto& external = parsed_external.query.body->source->As<ExternalDataOp>();
  EXPECT_EQ(external.properties.size(), 2u);
  EXPECT_EQ(ParseOk("evaluate python(typeof(*), 'code')").query.body->source->kind, OperatorKind::kEvaluate);
}

// ---- Operators --------------------------------------------------------------------------------------------------

TEST(SyntaxParserTest, ProjectFamily) {
  ParseResult result = ParseOk(
      "T | project a, b = c + 1, ['x y'] = 2 | project-away Foo*, b | project-keep a* | project-rename n = a "
      "| project-reorder b asc, a | extend (p, q) = f(a) | serialize r = row_number()");
  const Query& query = result.query;
  const auto& project = Stage(query, 0).As<ProjectOp>();
  ASSERT_EQ(project.columns.size(), 3u);
  EXPECT_TRUE(project.columns[0].names.empty());
  EXPECT_EQ(project.columns[1].names[0], "b");
  EXPECT_EQ(project.columns[2].names[0], "x y");
  const auto& away = Stage(query, 1).As<ColumnListOp>();
  EXPECT_EQ(away.kind, OperatorKind::kProjectAway);
  EXPECT_TRUE(away.columns[0].has_wildcard);
  EXPECT_EQ(away.columns[0].pattern, "Foo*");
  EXPECT_EQ(Stage(query, 2).kind, OperatorKind::kProjectKeep);
  EXPECT_EQ(Stage(query, 3).As<ProjectOp>().columns[0].names[0], "n");
  EXPECT_EQ(Stage(query, 4).As<ColumnListOp>().columns[0].direction, SortDirection::kAscending);
  EXPECT_EQ(Stage(query, 5).As<ProjectOp>().columns[0].names.size(), 2u);
  EXPECT_EQ(Stage(query, 6).kind, OperatorKind::kSerialize);
}

TEST(SyntaxParserTest, Summarize) {
  ParseResult result = ParseOk(
      "T | summarize hint.shufflekey=Computer hint.strategy=shuffle X = count(), dcount(a), "
      "arg_max(TimeGenerated, *) by Computer, bin(TimeGenerated, 1h), B = tostring(b)");
  const auto& summarize = Stage(result.query, 0).As<SummarizeOp>();
  ASSERT_EQ(summarize.params.size(), 2u);
  EXPECT_EQ(summarize.params[0].name, "hint.shufflekey");
  ASSERT_EQ(summarize.aggregates.size(), 3u);
  EXPECT_EQ(summarize.aggregates[0].names[0], "X");
  ASSERT_EQ(summarize.by.size(), 3u);
  EXPECT_EQ(summarize.by[2].names[0], "B");
  EXPECT_TRUE(ParseOk("T | summarize by a").query.body->operators[0]->As<SummarizeOp>().aggregates.empty());
}

TEST(SyntaxParserTest, SortTopTakeDistinct) {
  ParseResult result = ParseOk(
      "T | sort by a asc nulls last, b desc | order by c | top 5 by x desc nulls first | take 10 | limit 3 "
      "| distinct a, b | distinct * | sample 5 | sample-distinct 3 of a | count | getschema");
  const Query& query = result.query;
  const auto& sort = Stage(query, 0).As<SortOp>();
  ASSERT_EQ(sort.keys.size(), 2u);
  EXPECT_EQ(sort.keys[0].direction, SortDirection::kAscending);
  EXPECT_EQ(sort.keys[0].nulls, NullsOrder::kLast);
  EXPECT_EQ(sort.keys[1].direction, SortDirection::kDescending);
  EXPECT_EQ(Stage(query, 1).name, "order");
  const auto& top = Stage(query, 2).As<TopOp>();
  EXPECT_EQ(top.keys[0].nulls, NullsOrder::kFirst);
  EXPECT_EQ(Stage(query, 3).kind, OperatorKind::kTake);
  EXPECT_EQ(Stage(query, 4).kind, OperatorKind::kTake);
  EXPECT_EQ(Stage(query, 6).As<DistinctOp>().columns[0].expr->kind, ExprKind::kStar);
  EXPECT_EQ(Stage(query, 7).kind, OperatorKind::kSample);
  EXPECT_EQ(Stage(query, 8).kind, OperatorKind::kSampleDistinct);
  EXPECT_EQ(Stage(query, 9).kind, OperatorKind::kCount);
  EXPECT_EQ(Stage(query, 10).kind, OperatorKind::kGetSchema);
}

TEST(SyntaxParserTest, JoinAndLookup) {
  ParseResult result = ParseOk(
      "T | join kind=leftouter hint.strategy=broadcast (U | where b > 1) on a, $left.c == $right.d "
      "| join U on a | lookup kind=inner (V) on k");
  const auto& join = Stage(result.query, 0).As<JoinOp>();
  ASSERT_EQ(join.params.size(), 2u);
  EXPECT_EQ(join.params[0].name, "kind");
  EXPECT_EQ(join.params[0].value->As<NameExpr>().name, "leftouter");
  EXPECT_EQ(join.right->source->As<TableRefOp>().table, "U");
  EXPECT_EQ(join.right->operators.size(), 1u);
  ASSERT_EQ(join.conditions.size(), 2u);
  EXPECT_EQ(join.conditions[0]->kind, ExprKind::kName);
  EXPECT_EQ(join.conditions[1]->kind, ExprKind::kBinary);
  EXPECT_EQ(Stage(result.query, 1).As<JoinOp>().right->source->As<TableRefOp>().table, "U");
  EXPECT_EQ(Stage(result.query, 2).kind, OperatorKind::kLookup);
}

TEST(SyntaxParserTest, UnionAfterPipe) {
  ParseResult result = ParseOk("T | union kind=outer withsource=Src isfuzzy=true U, (V | take 1), W*");
  const auto& union_op = Stage(result.query, 0).As<UnionOp>();
  EXPECT_EQ(union_op.params.size(), 3u);
  ASSERT_EQ(union_op.tables.size(), 3u);
  EXPECT_TRUE(union_op.tables[2]->source->As<TableRefOp>().has_wildcard);
}

TEST(SyntaxParserTest, MvExpandAndMvApply) {
  ParseResult result = ParseOk(
      "T | mv-expand bagexpansion=array with_itemindex=i x to typeof(long), y limit 10 "
      "| mv-apply z = arr to typeof(string) on (where z has 'a' | summarize count())");
  const auto& expand = Stage(result.query, 0).As<MvExpandOp>();
  EXPECT_EQ(expand.params.size(), 2u);
  ASSERT_EQ(expand.items.size(), 2u);
  EXPECT_EQ(expand.items[0].to_type, "long");
  EXPECT_NE(expand.limit, nullptr);
  const auto& apply = Stage(result.query, 1).As<MvExpandOp>();
  EXPECT_EQ(apply.kind, OperatorKind::kMvApply);
  ASSERT_NE(apply.subquery, nullptr);
  EXPECT_EQ(apply.subquery->source, nullptr);
  EXPECT_EQ(apply.subquery->operators.size(), 2u);
}

TEST(SyntaxParserTest, ParseOperators) {
  ParseResult result = ParseOk(
      "T | parse kind=regex flags=Ui Msg with * \"user=\" User:string \" id=\" Id:long * "
      "| parse-where Msg with \"a\" A \"b\" * "
      "| parse-kv Text as (k1:string, k2:long) with (pair_delimiter=',', kv_delimiter='=')");
  const auto& parse = Stage(result.query, 0).As<ParseOp>();
  EXPECT_EQ(parse.params.size(), 2u);
  ASSERT_EQ(parse.pattern.size(), 6u);
  EXPECT_EQ(parse.pattern[0].kind, ParsePatternItem::Kind::kStar);
  EXPECT_EQ(parse.pattern[2].column.name, "User");
  EXPECT_EQ(parse.pattern[4].column.type, "long");
  EXPECT_EQ(Stage(result.query, 1).kind, OperatorKind::kParseWhere);
  const auto& kv = Stage(result.query, 2).As<ParseOp>();
  EXPECT_EQ(kv.columns.size(), 2u);
  EXPECT_EQ(kv.properties.size(), 2u);
}

TEST(SyntaxParserTest, MakeSeriesRenderEvaluate) {
  ParseResult result = ParseOk(
      "T | make-series n = count() default = 0, avg(x) on Timestamp from ago(1d) to now() step 1h by Computer "
      "| make-series c = count() on Timestamp in range(ago(7d), now(), 1d) "
      "| evaluate bag_unpack(Props) | render timechart with (title='x', ycolumns=a, b)");
  const auto& series = Stage(result.query, 0).As<MakeSeriesOp>();
  EXPECT_EQ(series.aggregates.size(), 2u);
  EXPECT_NE(series.aggregates[0].default_value, nullptr);
  EXPECT_NE(series.from, nullptr);
  EXPECT_EQ(series.by.size(), 1u);
  EXPECT_TRUE(Stage(result.query, 1).As<MakeSeriesOp>().in_range);
  EXPECT_EQ(Stage(result.query, 2).As<EvaluateOp>().call->name, "bag_unpack");
  EXPECT_EQ(ParseOk("T | evaluate bag_unpack(d) : (a:long, b:string)")
                .query.body->operators[0]->As<EvaluateOp>().output_schema.size(),
            2u);
  const auto& render = Stage(result.query, 3).As<RenderOp>();
  EXPECT_EQ(render.chart, "timechart");
  EXPECT_EQ(render.properties.size(), 3u);
}

TEST(SyntaxParserTest, ExoticOperators) {
  ParseResult result = ParseOk(
      "T | top-nested 3 of a with others = 'other' by sum(b) desc, top-nested 2 of c by max(d) "
      "| top-hitters 5 of a by b | fork (where x | take 1) named=(count) | facet by a, b with (take 2) "
      "| partition hint.strategy=native by k (top 1 by v) | as hint.materialized=true X | consume "
      "| invoke f(1) | reduce by Msg with threshold=0.5 "
      "| scan with_match_id=m declare (s:long = 0) with (step a: x > 1 => s = x; step b optional: x < 0;) "
      "| graph-match (a)-[e]->(b) project a");
  const Query& query = result.query;
  EXPECT_EQ(Stage(query, 0).As<TopNestedOp>().levels.size(), 2u);
  EXPECT_EQ(Stage(query, 1).kind, OperatorKind::kTopHitters);
  const auto& fork = Stage(query, 2).As<ForkOp>();
  EXPECT_EQ(fork.branches.size(), 2u);
  EXPECT_EQ(fork.branch_names[1], "named");
  EXPECT_NE(Stage(query, 3).As<FacetOp>().with, nullptr);
  EXPECT_EQ(Stage(query, 4).As<PartitionOp>().subquery->operators.size(), 1u);
  EXPECT_EQ(Stage(query, 5).As<AsOp>().alias, "X");
  EXPECT_EQ(Stage(query, 6).kind, OperatorKind::kConsume);
  EXPECT_EQ(Stage(query, 7).kind, OperatorKind::kInvoke);
  EXPECT_EQ(Stage(query, 8).kind, OperatorKind::kReduce);
  const auto& scan = Stage(query, 9).As<ScanOp>();
  EXPECT_EQ(scan.steps.size(), 2u);
  EXPECT_TRUE(scan.steps[1].optional);
  const auto& match = Stage(query, 10).As<GraphMatchOp>();
  ASSERT_EQ(match.sequences.size(), 1u);
  ASSERT_EQ(match.sequences[0].size(), 3u);
  EXPECT_TRUE(match.sequences[0][1].is_edge);
  EXPECT_EQ(match.sequences[0][1].name, "e");
  EXPECT_EQ(match.project.size(), 1u);
}

TEST(SyntaxParserTest, GraphOperators) {
  ParseResult result = ParseOk(
      "E | make-graph src --> dst with (N | where x > 1) on id, M on key partitioned-by t (graph-to-table nodes) "
      "| graph-match cycles=none (a)<-[e*1..3]-(b)--(c)-->(), (c)-[f]-(a) where a.x == 1 project a.x, n = f.y "
      "| graph-to-table edges with_source_id=S as E2");
  const auto& make = Stage(result.query, 0).As<MakeGraphOp>();
  EXPECT_EQ(make.source, "src");
  EXPECT_EQ(make.target, "dst");
  ASSERT_EQ(make.nodes.size(), 2u);
  EXPECT_EQ(make.nodes[0].table->operators.size(), 1u);
  EXPECT_EQ(make.nodes[1].id_column, "key");
  EXPECT_EQ(make.partition_column, "t");
  EXPECT_EQ(make.partition_body->operators[0]->kind, OperatorKind::kGraphToTable);
  const auto& match = Stage(result.query, 1).As<GraphMatchOp>();
  ASSERT_EQ(match.sequences.size(), 2u);
  ASSERT_EQ(match.sequences[0].size(), 7u);
  EXPECT_EQ(match.sequences[0][1].direction, GraphEdgeDirection::kLeft);
  EXPECT_TRUE(match.sequences[0][1].variable_length);
  EXPECT_EQ(match.sequences[0][3].direction, GraphEdgeDirection::kAny);
  EXPECT_EQ(match.sequences[0][5].direction, GraphEdgeDirection::kRight);
  EXPECT_TRUE(match.sequences[0][6].name.empty());
  EXPECT_EQ(match.params[0].name, "cycles");
  EXPECT_NE(match.where, nullptr);
  const auto& to_table = Stage(result.query, 2).As<GraphToTableOp>();
  EXPECT_TRUE(to_table.parts[0].edges);
  EXPECT_EQ(to_table.parts[0].alias, "E2");
  EXPECT_FALSE(Parse("E | make-graph a -> b").ok());
  EXPECT_FALSE(Parse("E | make-graph a --> b | graph-match (a)-[e*1]->(b) project a.x").ok());
}

TEST(SyntaxParserTest, KeywordsAsColumnNames) {
  ParseResult result = ParseOk("T | project type, kind, count, ['where'] | where type == 'x' | extend count = 1");
  const auto& project = Stage(result.query, 0).As<ProjectOp>();
  EXPECT_EQ(project.columns[0].expr->As<NameExpr>().name, "type");
  EXPECT_EQ(project.columns[2].expr->As<NameExpr>().name, "count");
}

TEST(SyntaxParserTest, CommentsEverywhere) {
  ParseOk("// header\nT // after table\n| where a > 1 // pred\n  and b < 2 // more\n| project a, // first\n b "
          "// second\n| summarize count() by bin(t, // inside call\n 1h)\n// trailing");
}

// ---- Spans and diagnostics --------------------------------------------------------------------------------------

TEST(SyntaxParserTest, SpansHaveLineAndColumn) {
  ParseResult result = ParseOk("T\n| where Computer has 'x'");
  const auto& where = Stage(result.query, 0).As<WhereOp>();
  EXPECT_EQ(where.span.line, 2u);
  EXPECT_EQ(where.span.col, 3u);
  EXPECT_EQ(where.predicate->span.offset, 10u);
  EXPECT_EQ(where.predicate->span.length, 16u);
  EXPECT_EQ(where.predicate->span.col, 9u);
  EXPECT_EQ(where.predicate->As<BinaryExpr>().right->span.col, 22u);
}

TEST(SyntaxParserTest, ExpectedTokenMessage) {
  ParseResult result = Parse("T | where f(a foo");
  ASSERT_FALSE(result.ok());
  const Diagnostic& first = result.diagnostics.items()[0];
  EXPECT_EQ(first.code, "KQL1101");
  EXPECT_EQ(first.message, "Expected ')' but found 'foo'");
  EXPECT_EQ(first.span.col, 15u);
}

TEST(SyntaxParserTest, UnknownOperatorIsNamed) {
  ParseResult result = Parse("T | frobnicate x | take 1");
  ASSERT_EQ(result.diagnostics.items().size(), 1u);
  EXPECT_EQ(result.diagnostics.items()[0].code, "KQL1103");
  EXPECT_EQ(result.diagnostics.items()[0].message, "Unknown operator 'frobnicate'");
  EXPECT_EQ(result.query.body->operators.size(), 1u);
}

TEST(SyntaxParserTest, RecoversAndReportsEveryError) {
  ParseResult result = Parse(
      "let a = ;\n"
      "T\n"
      "| where (x > \n"
      "| project a,\n"
      "| summarize count() by\n"
      "| take 5");
  // One error per broken statement or operator, each where the parser noticed it.
  ASSERT_EQ(result.diagnostics.items().size(), 4u);
  EXPECT_EQ(result.diagnostics.items()[0].span.line, 1u);
  EXPECT_EQ(result.diagnostics.items()[0].message, "Expected an expression but found ';'");
  EXPECT_EQ(result.diagnostics.items()[1].span.line, 4u);
  EXPECT_EQ(result.diagnostics.items()[2].span.line, 5u);
  EXPECT_EQ(result.diagnostics.items()[3].span.line, 6u);
  EXPECT_EQ(result.query.body->operators.size(), 4u);
  ASSERT_NE(result.query.body, nullptr);
  EXPECT_EQ(result.query.body->operators.back()->kind, OperatorKind::kTake);
}

TEST(SyntaxParserTest, MissingOperatorAfterPipeAndScalarQuery) {
  EXPECT_EQ(Parse("T |").diagnostics.items()[0].code, "KQL1111");
  EXPECT_EQ(Parse("1 + 2").diagnostics.items()[0].code, "KQL1105");
  EXPECT_EQ(Parse("T | take 1 2").diagnostics.items()[0].code, "KQL1107");
  EXPECT_EQ(Parse("T | where x in 1").diagnostics.items()[0].code, "KQL1101");
  EXPECT_EQ(Parse("T | project ['a'").diagnostics.items()[0].code, "KQL1102");
  EXPECT_EQ(Parse("T | as").diagnostics.items()[0].code, "KQL1110");
}

TEST(SyntaxParserTest, DeepNestingIsADiagnostic) {
  std::string deep(100000, '(');
  deep += "1";
  ParseResult parens = Parse("print " + deep);
  ASSERT_FALSE(parens.ok());
  EXPECT_EQ(parens.diagnostics.items()[0].code, "KQL1106");
  std::string negations(100000, '-');
  EXPECT_FALSE(Parse("print " + negations + "1").ok());
  std::string subqueries;
  for (int i = 0; i < 5000; ++i) subqueries += "T | join (";
  EXPECT_FALSE(Parse(subqueries).ok());
  // Long flat chains are fine up to a bound, and beyond it they are a diagnostic rather than a crash.
  std::string chain = "print 1";
  for (int i = 0; i < 2000; ++i) chain += " + 1";
  EXPECT_TRUE(Parse(chain).ok());
  std::string long_chain = "print 1";
  for (int i = 0; i < 100000; ++i) long_chain += " or 1";
  EXPECT_FALSE(Parse(long_chain).ok());
}

// ---- Round trip and robustness ----------------------------------------------------------------------------------

const char* const kSampleQueries[] = {
    "let timeframe = ago(3h);\nSigninLogs\n| where TimeGenerated > timeframe and ResultType != '0'\n"
    "| summarize Failures = count(), Apps = make_set(AppDisplayName) by UserPrincipalName, bin(TimeGenerated, 1h)\n"
    "| where Failures > 10 | sort by Failures desc | extend Account = tolower(UserPrincipalName)",
    "DeviceNetworkEvents | where RemoteUrl has_any (dynamic(['a.com', 'b.net'])) or RemotePort in (443, 8443)\n"
    "| join kind=inner (DeviceProcessEvents | project DeviceId, FileName) on DeviceId | take 100",
    "datatable(a:long, s:string)[1, 'x', 2, @'y\\z'] | extend d = datetime(2024-01-01), t = 1.5h, "
    "g = dynamic({\"k\": [1, 2]}) | mv-expand g | parse s with * 'x' rest | project-away s",
    "range x from 1 to 10 step 1 | where x between (2 .. 5) and not(x == 3) | summarize by x % 2",
    "union withsource=T isfuzzy=true (A | where x !has 'b'), B*, C | top 5 by x asc nulls first",
    "let f = (t:(x:long), n:long = 2) { t | where x > n }; f((datatable(x:long)[1,2,3]), 1) | count",
};

TEST(SyntaxParserTest, PrintedAstReparsesToTheSameTree) {
  for (const char* query : kSampleQueries) {
    ParseResult first = ParseOk(query);
    const std::string printed = PrintAst(first.query);
    ParseResult second = Parse(printed);
    ASSERT_TRUE(second.ok()) << printed << "\n" << RenderDiagnostic(second.diagnostics.items()[0], printed);
    EXPECT_EQ(PrintAst(second.query), printed) << query;
  }
}

TEST(SyntaxParserTest, RandomInputNeverCrashes) {
  std::mt19937 random(12345);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1000);
  const std::string alphabet = "abT|()[]{},;:.=<>!~+-*/%'\"@`$_ \n\t0123456789xdhms";
  const std::string_view fragments[] = {"where ", "project ", "| ", "(", ")", "let ", "=", ";", "'", "\"",
                                        "datetime(", "dynamic(", "join ", "on ", "by ", "summarize ", "in ",
                                        "between ", "..", "@'", "```", "//", "\\", "h'", "typeof(", "[", "]"};
  int iterations = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string input;
    const int mode = iterations % 3;
    if (mode == 0) {
      const size_t length = random() % 64;
      for (size_t i = 0; i < length; ++i) input += static_cast<char>(random() % 256);
    } else if (mode == 1) {
      const size_t length = random() % 48;
      for (size_t i = 0; i < length; ++i) input += alphabet[random() % alphabet.size()];
    } else {
      input = kSampleQueries[random() % std::size(kSampleQueries)];
      const int mutations = 1 + static_cast<int>(random() % 4);
      for (int m = 0; m < mutations && !input.empty(); ++m) {
        const size_t at = random() % input.size();
        switch (random() % 3) {
          case 0: input.erase(at, 1 + random() % 5); break;
          case 1: input.insert(at, fragments[random() % std::size(fragments)]); break;
          default: input[at] = alphabet[random() % alphabet.size()]; break;
        }
      }
    }
    ParseResult result = Parse(input);
    // Printing a partial tree must not crash either.
    (void)PrintAst(result.query);
    for (const Diagnostic& diagnostic : result.diagnostics.items()) {
      ASSERT_LE(diagnostic.span.offset + diagnostic.span.length, input.size() + 1) << input;
      ASSERT_GE(diagnostic.span.line, 1u);
    }
    ++iterations;
  }
  EXPECT_GT(iterations, 100);
}

}  // namespace
}  // namespace kql
