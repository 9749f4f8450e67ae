// Unit tests for ExpressionExecutor: the seed rule's predicates, three-valued logic, selections, constant folding.
#include <gtest/gtest.h>

#include "execution/expression_executor.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

BoundExprPtr Col(size_t index, KqlType type) { return BoundExpr::MakeColumn(index, "c" + std::to_string(index), type); }
BoundExprPtr Str(std::string text) { return BoundExpr::MakeConstant(Value::String(std::move(text))); }
BoundExprPtr Long(int64_t value) { return BoundExpr::MakeConstant(Value::Long(value)); }
BoundExprPtr Call(std::string name, KqlType type, BoundExprPtr a, BoundExprPtr b = nullptr, BoundExprPtr c = nullptr) {
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(a));
  if (b) args.push_back(std::move(b));
  if (c) args.push_back(std::move(c));
  return BoundExpr::MakeCall(std::move(name), type, std::move(args));
}

DataChunk StringChunk(const std::vector<std::string>& values) {
  DataChunk chunk;
  chunk.columns.emplace_back(KqlType::kString);
  for (const auto& value : values) chunk.columns[0].AppendString(value);
  chunk.size = values.size();
  return chunk;
}

std::vector<uint32_t> SelectRows(const BoundExpr& expr, const DataChunk& chunk) {
  ExecutionContext context;
  ExpressionExecutor executor(expr, context);
  std::vector<uint32_t> selection;
  executor.Select(chunk, selection);
  return selection;
}

std::vector<Value> EvaluateRows(const BoundExpr& expr, const DataChunk& chunk) {
  ExecutionContext context;
  ExpressionExecutor executor(expr, context);
  ColumnVector result = executor.Evaluate(chunk);
  std::vector<Value> values;
  chunk.ForEachActive([&](size_t row) { values.push_back(result.GetValue(row)); });
  return values;
}

TEST(ExpressionExecutorTest, HasMatchesWholeTermsCaseInsensitively) {
  DataChunk chunk = StringChunk({"hello world", "helloworld", "hello-world", "HELLO", "", "alpha_beta"});
  auto has = Call("has", KqlType::kBool, Col(0, KqlType::kString), Str("hello"));
  EXPECT_EQ(SelectRows(*has, chunk), (std::vector<uint32_t>{0, 2, 3}));
  auto not_has = Call("!has", KqlType::kBool, Col(0, KqlType::kString), Str("hello"));
  EXPECT_EQ(SelectRows(*not_has, chunk), (std::vector<uint32_t>{1, 4, 5}));
  auto alpha = Call("has", KqlType::kBool, Col(0, KqlType::kString), Str("alpha"));
  EXPECT_EQ(SelectRows(*alpha, chunk), (std::vector<uint32_t>{5}));
}

TEST(ExpressionExecutorTest, HasWithPunctuatedNeedleChecksOuterBoundaries) {
  DataChunk chunk = StringChunk({"api.tacticalrmm.io", "https://TacticalRMM.IO/x", "xtacticalrmm.io", "tacticalrmm.iox",
                                 "tacticalrmm.io", "tacticalrmm-io", "a very long prefix to use the vector loop tacticalrmm.io"});
  auto has = Call("has", KqlType::kBool, Col(0, KqlType::kString), Str("tacticalrmm.io"));
  EXPECT_EQ(SelectRows(*has, chunk), (std::vector<uint32_t>{0, 1, 4, 6}));
  auto has_cs = Call("has_cs", KqlType::kBool, Col(0, KqlType::kString), Str("tacticalrmm.io"));
  EXPECT_EQ(SelectRows(*has_cs, chunk), (std::vector<uint32_t>{0, 4, 6}));
}

TEST(ExpressionExecutorTest, HasEmptyNeedleMatchesEverything) {
  DataChunk chunk = StringChunk({"a", "", "b c"});
  auto has = Call("has", KqlType::kBool, Col(0, KqlType::kString), Str(""));
  EXPECT_EQ(SelectRows(*has, chunk), (std::vector<uint32_t>{0, 1, 2}));
}

TEST(ExpressionExecutorTest, HasFoldsNonAsciiLetters) {
  DataChunk chunk = StringChunk({"Привет мир", "ПРИВЕТ", "МИР", "CAFÉ au lait"});
  auto has = Call("has", KqlType::kBool, Col(0, KqlType::kString), Str("мир"));
  EXPECT_EQ(SelectRows(*has, chunk), (std::vector<uint32_t>{0, 2}));
  auto cafe = Call("has", KqlType::kBool, Col(0, KqlType::kString), Str("café"));
  EXPECT_EQ(SelectRows(*cafe, chunk), (std::vector<uint32_t>{3}));
}

TEST(ExpressionExecutorTest, PrefixSuffixAndContains) {
  DataChunk chunk = StringChunk({"end.", "end ", "end", "ending", "the end", "Hello World"});
  auto suffix = Call("hassuffix", KqlType::kBool, Col(0, KqlType::kString), Str("end"));
  EXPECT_EQ(SelectRows(*suffix, chunk), (std::vector<uint32_t>{0, 1, 2, 4}));
  auto prefix = Call("hasprefix", KqlType::kBool, Col(0, KqlType::kString), Str("wor"));
  EXPECT_EQ(SelectRows(*prefix, chunk), (std::vector<uint32_t>{5}));
  auto contains = Call("contains", KqlType::kBool, Col(0, KqlType::kString), Str("NDI"));
  EXPECT_EQ(SelectRows(*contains, chunk), (std::vector<uint32_t>{3}));
  auto ends = Call("endswith", KqlType::kBool, Col(0, KqlType::kString), Str("END"));
  EXPECT_EQ(SelectRows(*ends, chunk), (std::vector<uint32_t>{2, 4}));
  auto starts_cs = Call("startswith_cs", KqlType::kBool, Col(0, KqlType::kString), Str("Hello"));
  EXPECT_EQ(SelectRows(*starts_cs, chunk), (std::vector<uint32_t>{5}));
}

TEST(ExpressionExecutorTest, HasAnyWithConstantListAndDynamicArray) {
  DataChunk chunk = StringChunk({"AmidaWare Inc.", "Tactical Techs", "Microsoft", "amidawareX", ""});
  std::vector<BoundExprPtr> args;
  args.push_back(Col(0, KqlType::kString));
  args.push_back(Str("AmidaWare"));
  args.push_back(Str("Tactical Techs"));
  auto has_any = BoundExpr::MakeCall("has_any", KqlType::kBool, std::move(args));
  EXPECT_EQ(SelectRows(*has_any, chunk), (std::vector<uint32_t>{0, 1}));

  std::vector<BoundExprPtr> dynamic_args;
  dynamic_args.push_back(Col(0, KqlType::kString));
  dynamic_args.push_back(BoundExpr::MakeConstant(Value::FromDynamic(ParseJson(R"(["microsoft","techs"])"))));
  auto has_any_dynamic = BoundExpr::MakeCall("has_any", KqlType::kBool, std::move(dynamic_args));
  EXPECT_EQ(SelectRows(*has_any_dynamic, chunk), (std::vector<uint32_t>{1, 2}));

  std::vector<BoundExprPtr> all_args;
  all_args.push_back(Col(0, KqlType::kString));
  all_args.push_back(Str("tactical"));
  all_args.push_back(Str("TECHS"));
  auto has_all = BoundExpr::MakeCall("has_all", KqlType::kBool, std::move(all_args));
  EXPECT_EQ(SelectRows(*has_all, chunk), (std::vector<uint32_t>{1}));
}

TEST(ExpressionExecutorTest, DatetimeBetweenInclusive) {
  DataChunk chunk;
  chunk.columns.emplace_back(KqlType::kDateTime);
  int64_t day = kTicksPerDay;
  for (int64_t ticks : {0 * day, 1 * day, 2 * day, 3 * day}) chunk.columns[0].AppendInt(ticks);
  chunk.columns[0].AppendNull();
  chunk.size = 5;
  auto between = Call("between", KqlType::kBool, Col(0, KqlType::kDateTime),
                      BoundExpr::MakeConstant(Value::DateTime(day)), BoundExpr::MakeConstant(Value::DateTime(2 * day)));
  EXPECT_EQ(SelectRows(*between, chunk), (std::vector<uint32_t>{1, 2}));
  auto not_between = Call("!between", KqlType::kBool, Col(0, KqlType::kDateTime),
                          BoundExpr::MakeConstant(Value::DateTime(day)), BoundExpr::MakeConstant(Value::DateTime(2 * day)));
  // A null value is neither between nor !between (both are null), so `where` drops it either way.
  EXPECT_EQ(SelectRows(*not_between, chunk), (std::vector<uint32_t>{0, 3}));
  // A timespan upper bound is relative to the lower bound.
  auto span = Call("between", KqlType::kBool, Col(0, KqlType::kDateTime), BoundExpr::MakeConstant(Value::DateTime(day)),
                   BoundExpr::MakeConstant(Value::TimeSpan(2 * day)));
  EXPECT_EQ(SelectRows(*span, chunk), (std::vector<uint32_t>{1, 2, 3}));
}

TEST(ExpressionExecutorTest, BetweenMixedIntAndReal) {
  DataChunk chunk;
  chunk.columns.emplace_back(KqlType::kInt);
  for (int64_t value : {1, 2, 3}) chunk.columns[0].AppendInt(value);
  chunk.size = 3;
  auto between = Call("between", KqlType::kBool, Col(0, KqlType::kInt), BoundExpr::MakeConstant(Value::Real(1.5)),
                      BoundExpr::MakeConstant(Value::Real(2.5)));
  EXPECT_EQ(SelectRows(*between, chunk), (std::vector<uint32_t>{1}));
}

DataChunk LongChunkWithNull() {
  DataChunk chunk;
  chunk.columns.emplace_back(KqlType::kLong);
  chunk.columns[0].AppendInt(1);
  chunk.columns[0].AppendInt(2);
  chunk.columns[0].AppendNull();
  chunk.size = 3;
  return chunk;
}

TEST(ExpressionExecutorTest, ComparisonsWithNullAreFalseAndNotEqualIsTheirNegation) {
  DataChunk chunk = LongChunkWithNull();
  auto eq = Call("==", KqlType::kBool, Col(0, KqlType::kLong), Long(1));
  EXPECT_EQ(EvaluateRows(*eq, chunk), (std::vector<Value>{Value::Bool(true), Value::Bool(false), Value::Bool(false)}));
  auto ne = Call("!=", KqlType::kBool, Col(0, KqlType::kLong), Long(1));
  EXPECT_EQ(SelectRows(*ne, chunk), (std::vector<uint32_t>{1, 2}));
  auto self = Call("==", KqlType::kBool, Col(0, KqlType::kLong), Col(0, KqlType::kLong));
  EXPECT_EQ(SelectRows(*self, chunk), (std::vector<uint32_t>{0, 1}));
  auto negated_eq = Call("not", KqlType::kBool, Call("==", KqlType::kBool, Col(0, KqlType::kLong), Long(1)));
  EXPECT_EQ(SelectRows(*negated_eq, chunk), (std::vector<uint32_t>{1, 2}));
  auto lt = Call("<", KqlType::kBool, Col(0, KqlType::kLong), BoundExpr::MakeConstant(Value::Real(1.5)));
  EXPECT_EQ(SelectRows(*lt, chunk), (std::vector<uint32_t>{0}));
  auto ge = Call(">=", KqlType::kBool, Long(2), Col(0, KqlType::kLong));
  EXPECT_EQ(SelectRows(*ge, chunk), (std::vector<uint32_t>{0, 1}));
}

TEST(ExpressionExecutorTest, StringComparisonIsOrdinalAndCaseSensitive) {
  DataChunk chunk = StringChunk({"abc", "ABC", "abd", ""});
  auto eq = Call("==", KqlType::kBool, Col(0, KqlType::kString), Str("abc"));
  EXPECT_EQ(SelectRows(*eq, chunk), (std::vector<uint32_t>{0}));
  auto eq_ci = Call("=~", KqlType::kBool, Col(0, KqlType::kString), Str("abc"));
  EXPECT_EQ(SelectRows(*eq_ci, chunk), (std::vector<uint32_t>{0, 1}));
  auto ne_ci = Call("!~", KqlType::kBool, Col(0, KqlType::kString), Str("abc"));
  EXPECT_EQ(SelectRows(*ne_ci, chunk), (std::vector<uint32_t>{2, 3}));
  auto lt = Call("<", KqlType::kBool, Col(0, KqlType::kString), Str("abc"));
  EXPECT_EQ(SelectRows(*lt, chunk), (std::vector<uint32_t>{1, 3}));
}

TEST(ExpressionExecutorTest, ThreeValuedAndOr) {
  DataChunk chunk;
  chunk.columns.emplace_back(KqlType::kBool);
  chunk.columns[0].AppendInt(1);
  chunk.columns[0].AppendInt(0);
  chunk.columns[0].AppendNull();
  chunk.size = 3;
  auto and_true = Call("and", KqlType::kBool, Col(0, KqlType::kBool), BoundExpr::MakeConstant(Value::Bool(true)));
  EXPECT_EQ(EvaluateRows(*and_true, chunk),
            (std::vector<Value>{Value::Bool(true), Value::Bool(false), Value::Null(KqlType::kBool)}));
  auto or_false = Call("or", KqlType::kBool, Col(0, KqlType::kBool), BoundExpr::MakeConstant(Value::Bool(false)));
  EXPECT_EQ(EvaluateRows(*or_false, chunk),
            (std::vector<Value>{Value::Bool(true), Value::Bool(false), Value::Null(KqlType::kBool)}));
  auto and_false = Call("and", KqlType::kBool, Col(0, KqlType::kBool), BoundExpr::MakeConstant(Value::Bool(false)));
  EXPECT_EQ(EvaluateRows(*and_false, chunk),
            (std::vector<Value>{Value::Bool(false), Value::Bool(false), Value::Bool(false)}));
  auto not_null = Call("not", KqlType::kBool, Col(0, KqlType::kBool));
  EXPECT_EQ(EvaluateRows(*not_null, chunk),
            (std::vector<Value>{Value::Bool(false), Value::Bool(true), Value::Null(KqlType::kBool)}));
}

// The seed rule's conjunction over a chunk whose selection skips rows that hold garbage.
TEST(ExpressionExecutorTest, SeedRulePredicateOverSelectionWithGarbageRows) {
  DataChunk chunk;
  chunk.columns.emplace_back(KqlType::kDateTime);
  chunk.columns.emplace_back(KqlType::kString);
  chunk.columns.emplace_back(KqlType::kString);
  struct Row {
    int64_t ticks;
    const char* url;
    const char* company;
  };
  const int64_t day = kTicksPerDay;
  const Row rows[] = {
      {10 * day, "agents.tacticalrmm.io", "AmidaWare LLC"},    // 0: match
      {10 * day, "agents.tacticalrmm.io", "AmidaWare LLC"},    // 1: garbage (inactive)
      {10 * day, "agents.tacticalrmm.io", "Microsoft"},        // 2: wrong company
      {1 * day, "tacticalrmm.io", "Tactical Techs"},           // 3: outside time window
      {11 * day, "https://TACTICALRMM.IO/api", "tactical techs"},  // 4: match
      {11 * day, "mytacticalrmm.io", "AmidaWare"},             // 5: not a term
  };
  for (const Row& row : rows) {
    chunk.columns[0].AppendInt(row.ticks);
    chunk.columns[1].AppendString(row.url);
    chunk.columns[2].AppendString(row.company);
  }
  chunk.size = 6;
  chunk.selection = std::vector<uint32_t>{0, 2, 3, 4, 5};
  auto time = Call("between", KqlType::kBool, Col(0, KqlType::kDateTime),
                   BoundExpr::MakeConstant(Value::DateTime(5 * day)), BoundExpr::MakeConstant(Value::DateTime(12 * day)));
  std::vector<BoundExprPtr> set_args;
  set_args.push_back(Col(2, KqlType::kString));
  set_args.push_back(Str("AmidaWare"));
  set_args.push_back(Str("Tactical Techs"));
  auto has_any = BoundExpr::MakeCall("has_any", KqlType::kBool, std::move(set_args));
  auto has = Call("has", KqlType::kBool, Col(1, KqlType::kString), Str("tacticalrmm.io"));
  auto predicate = Call("and", KqlType::kBool, std::move(time),
                        Call("and", KqlType::kBool, std::move(has), std::move(has_any)));
  EXPECT_EQ(SelectRows(*predicate, chunk), (std::vector<uint32_t>{0, 4}));
  std::vector<Value> values = EvaluateRows(*predicate, chunk);
  EXPECT_EQ(values, (std::vector<Value>{Value::Bool(true), Value::Bool(false), Value::Bool(false), Value::Bool(true),
                                        Value::Bool(false)}));
}

TEST(ExpressionExecutorTest, OrUnionKeepsRowOrder) {
  DataChunk chunk = StringChunk({"a", "b", "c", "d"});
  auto predicate = Call("or", KqlType::kBool, Call("==", KqlType::kBool, Col(0, KqlType::kString), Str("c")),
                        Call("==", KqlType::kBool, Col(0, KqlType::kString), Str("a")));
  EXPECT_EQ(SelectRows(*predicate, chunk), (std::vector<uint32_t>{0, 2}));
}

TEST(ExpressionExecutorTest, InIsCaseSensitiveAndInTildeIsNot) {
  DataChunk chunk = StringChunk({"PUT", "put", "GET"});
  std::vector<BoundExprPtr> args;
  args.push_back(Col(0, KqlType::kString));
  args.push_back(Str("PUT"));
  auto in = BoundExpr::MakeCall("in", KqlType::kBool, std::move(args));
  EXPECT_EQ(SelectRows(*in, chunk), (std::vector<uint32_t>{0}));
  auto in_ci = in->Clone();
  in_ci->function = "in~";
  EXPECT_EQ(SelectRows(*in_ci, chunk), (std::vector<uint32_t>{0, 1}));
  auto not_in = in->Clone();
  not_in->function = "!in";
  EXPECT_EQ(SelectRows(*not_in, chunk), (std::vector<uint32_t>{1, 2}));
  auto not_in_ci = in->Clone();
  not_in_ci->function = "!in~";
  EXPECT_EQ(SelectRows(*not_in_ci, chunk), (std::vector<uint32_t>{2}));
}

TEST(ExpressionExecutorTest, InWithNumbersAndNullProbe) {
  DataChunk chunk = LongChunkWithNull();
  std::vector<BoundExprPtr> args;
  args.push_back(Col(0, KqlType::kLong));
  args.push_back(BoundExpr::MakeConstant(Value::FromDynamic(ParseJson("[2, 10]"))));
  auto in = BoundExpr::MakeCall("in", KqlType::kBool, std::move(args));
  EXPECT_EQ(SelectRows(*in, chunk), (std::vector<uint32_t>{1}));
  auto not_in = in->Clone();
  not_in->function = "!in";
  EXPECT_EQ(SelectRows(*not_in, chunk), (std::vector<uint32_t>{0, 2}));
}

TEST(ExpressionExecutorTest, EvaluateConstantFoldsCalls) {
  ExecutionContext context;
  auto expr = Call("has", KqlType::kBool, Str("api.tacticalrmm.io"), Str("TacticalRMM.io"));
  EXPECT_EQ(ExpressionExecutor::EvaluateConstant(*expr, context), Value::Bool(true));
  // A constant predicate in Select keeps all or no active rows.
  DataChunk chunk = StringChunk({"x", "y"});
  EXPECT_EQ(SelectRows(*expr, chunk), (std::vector<uint32_t>{0, 1}));
}

TEST(ExpressionExecutorTest, UnknownFunctionIsAQueryError) {
  ExecutionContext context;
  auto expr = Call("no_such_function", KqlType::kBool, Str("x"));
  EXPECT_THROW(ExpressionExecutor(*expr, context), QueryError);
}

}  // namespace
}  // namespace kql
