// Unit tests for arithmetic, math and conversion kernels, evaluated through ExpressionExecutor.
#include <gtest/gtest.h>

#include <cmath>

#include "execution/expression_executor.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

BoundExprPtr Const(Value value) { return BoundExpr::MakeConstant(std::move(value)); }

BoundExprPtr Call(std::string name, KqlType type, std::vector<Value> args) {
  std::vector<BoundExprPtr> exprs;
  for (auto& arg : args) exprs.push_back(Const(std::move(arg)));
  return BoundExpr::MakeCall(std::move(name), type, std::move(exprs));
}

Value Eval(std::string name, KqlType type, std::vector<Value> args) {
  ExecutionContext context;
  return ExpressionExecutor::EvaluateConstant(*Call(std::move(name), type, std::move(args)), context);
}

TEST(ExpressionFunctionsTest, IntegerDivisionAndModulo) {
  EXPECT_EQ(Eval("/", KqlType::kLong, {Value::Long(-7), Value::Long(2)}), Value::Long(-3));
  EXPECT_EQ(Eval("/", KqlType::kLong, {Value::Long(7), Value::Long(-2)}), Value::Long(-3));
  EXPECT_EQ(Eval("%", KqlType::kLong, {Value::Long(-7), Value::Long(3)}), Value::Long(2));
  EXPECT_EQ(Eval("%", KqlType::kLong, {Value::Long(7), Value::Long(-3)}), Value::Long(1));
  EXPECT_EQ(Eval("%", KqlType::kLong, {Value::Long(-7), Value::Long(-3)}), Value::Long(2));
  EXPECT_EQ(Eval("%", KqlType::kReal, {Value::Real(-7.5), Value::Long(2)}), Value::Real(0.5));
  EXPECT_EQ(Eval("/", KqlType::kLong, {Value::Long(1), Value::Long(0)}), Value::Null(KqlType::kLong));
  EXPECT_EQ(Eval("/", KqlType::kReal, {Value::Real(1), Value::Real(0)}), Value::Real(HUGE_VAL));
  EXPECT_EQ(Eval("+", KqlType::kLong, {Value::Long(1), Value::Null(KqlType::kLong)}), Value::Null(KqlType::kLong));
}

TEST(ExpressionFunctionsTest, DateTimeAndTimeSpanArithmetic) {
  const int64_t day = kTicksPerDay;
  EXPECT_EQ(Eval("-", KqlType::kTimeSpan, {Value::DateTime(2 * day), Value::DateTime(day)}), Value::TimeSpan(day));
  EXPECT_EQ(Eval("+", KqlType::kDateTime, {Value::DateTime(day), Value::TimeSpan(day)}), Value::DateTime(2 * day));
  EXPECT_EQ(Eval("/", KqlType::kReal, {Value::TimeSpan(day), Value::TimeSpan(kTicksPerHour)}), Value::Real(24));
  EXPECT_EQ(Eval("*", KqlType::kTimeSpan, {Value::TimeSpan(day), Value::Real(2.5)}), Value::TimeSpan(day * 5 / 2));
  EXPECT_EQ(Eval("%", KqlType::kTimeSpan, {Value::TimeSpan(day), Value::TimeSpan(5 * kTicksPerHour)}),
            Value::TimeSpan(4 * kTicksPerHour));
  EXPECT_EQ(Eval("neg", KqlType::kTimeSpan, {Value::TimeSpan(day)}), Value::TimeSpan(-day));
}

TEST(ExpressionFunctionsTest, BinRoundsDown) {
  EXPECT_EQ(Eval("bin", KqlType::kLong, {Value::Long(-7), Value::Long(5)}), Value::Long(-10));
  EXPECT_EQ(Eval("bin", KqlType::kReal, {Value::Real(4.7), Value::Real(0.5)}), Value::Real(4.5));
  int64_t t = *ParseDateTime("1969-12-31T23:30:00Z");
  EXPECT_EQ(Eval("bin", KqlType::kDateTime, {Value::DateTime(t), Value::TimeSpan(kTicksPerHour)}),
            Value::DateTime(*ParseDateTime("1969-12-31T23:00:00Z")));
  // 7-day bins start on Mondays (2024-05-06 is a Monday).
  EXPECT_EQ(Eval("bin", KqlType::kDateTime, {Value::DateTime(*ParseDateTime("2024-05-09")), Value::TimeSpan(7 * kTicksPerDay)}),
            Value::DateTime(*ParseDateTime("2024-05-06")));
}

TEST(ExpressionFunctionsTest, RoundHalfAwayFromZero) {
  EXPECT_EQ(Eval("round", KqlType::kReal, {Value::Real(2.5)}), Value::Real(3));
  EXPECT_EQ(Eval("round", KqlType::kReal, {Value::Real(-2.5)}), Value::Real(-3));
  EXPECT_EQ(Eval("round", KqlType::kReal, {Value::Real(1.2345), Value::Long(2)}), Value::Real(1.23));
}

TEST(ExpressionFunctionsTest, ToStringFormats) {
  EXPECT_EQ(Eval("tostring", KqlType::kString, {Value::Bool(true)}), Value::String("True"));
  EXPECT_EQ(Eval("tostring", KqlType::kString, {Value::Real(1.5)}), Value::String("1.5"));
  EXPECT_EQ(Eval("tostring", KqlType::kString, {Value::Real(1500)}), Value::String("1500.0"));
  EXPECT_EQ(Eval("tostring", KqlType::kString, {Value::Real(0.1 + 0.2)}), Value::String("0.30000000000000004"));
  EXPECT_EQ(Eval("tostring", KqlType::kString, {Value::Null(KqlType::kLong)}), Value::String(""));
  EXPECT_EQ(Eval("tostring", KqlType::kString, {Value::DateTime(*ParseDateTime("2020-01-01"))}),
            Value::String("2020-01-01T00:00:00.0000000Z"));
  EXPECT_EQ(Eval("tostring", KqlType::kString, {Value::TimeSpan(kTicksPerDay + 2 * kTicksPerHour)}),
            Value::String("1.02:00:00"));
}

TEST(ExpressionFunctionsTest, ToNumberParsing) {
  EXPECT_EQ(Eval("toint", KqlType::kInt, {Value::String(" 5 ")}), Value::Int(5));
  EXPECT_EQ(Eval("toint", KqlType::kInt, {Value::String("5.7")}), Value::Null(KqlType::kInt));
  EXPECT_EQ(Eval("toint", KqlType::kInt, {Value::String("0x1F")}), Value::Int(31));
  EXPECT_EQ(Eval("tolong", KqlType::kLong, {Value::String("abc")}), Value::Null(KqlType::kLong));
  EXPECT_EQ(Eval("toint", KqlType::kInt, {Value::Real(3.99)}), Value::Int(3));
  EXPECT_EQ(Eval("toint", KqlType::kInt, {Value::TimeSpan(kTicksPerHour)}), Value::Int(1640261632));
  EXPECT_EQ(Eval("todouble", KqlType::kReal, {Value::String("1e3")}), Value::Real(1000));
  EXPECT_EQ(Eval("todouble", KqlType::kReal, {Value::String("0x1F")}), Value::Null(KqlType::kReal));
  EXPECT_EQ(Eval("tobool", KqlType::kBool, {Value::String("TRUE")}), Value::Bool(true));
  EXPECT_EQ(Eval("tobool", KqlType::kBool, {Value::Long(0)}), Value::Bool(false));
}

TEST(ExpressionFunctionsTest, ToDateTimeAndTimeSpan) {
  EXPECT_EQ(Eval("todatetime", KqlType::kDateTime, {Value::String("2020-02-30")}), Value::Null(KqlType::kDateTime));
  EXPECT_EQ(Eval("todatetime", KqlType::kDateTime, {Value::String("2020-01-01")}),
            Value::DateTime(*ParseDateTime("2020-01-01")));
  EXPECT_EQ(Eval("totimespan", KqlType::kTimeSpan, {Value::String("90s")}), Value::TimeSpan(90 * kTicksPerSecond));
  EXPECT_EQ(Eval("totimespan", KqlType::kTimeSpan, {Value::String("1.5")}), Value::Null(KqlType::kTimeSpan));
}

TEST(ExpressionFunctionsTest, LogicalFunctions) {
  EXPECT_EQ(Eval("iff", KqlType::kString, {Value::Null(KqlType::kBool), Value::String("a"), Value::String("b")}),
            Value::String("b"));
  EXPECT_EQ(Eval("case", KqlType::kString,
                 {Value::Bool(false), Value::String("a"), Value::Bool(true), Value::String("b"), Value::String("c")}),
            Value::String("b"));
  EXPECT_EQ(Eval("case", KqlType::kString, {Value::Bool(false), Value::String("a"), Value::String("c")}),
            Value::String("c"));
  EXPECT_EQ(Eval("coalesce", KqlType::kString, {Value::String(""), Value::String("fallback")}), Value::String("fallback"));
  EXPECT_EQ(Eval("coalesce", KqlType::kLong, {Value::Null(KqlType::kLong), Value::Long(-1)}), Value::Long(-1));
  EXPECT_EQ(Eval("isnull", KqlType::kBool, {Value::String("")}), Value::Bool(false));
  EXPECT_EQ(Eval("isempty", KqlType::kBool, {Value::String("")}), Value::Bool(true));
  EXPECT_EQ(Eval("isempty", KqlType::kBool, {Value::Null(KqlType::kLong)}), Value::Bool(true));
  EXPECT_EQ(Eval("isnotempty", KqlType::kBool, {Value::String("")}), Value::Bool(false));
  EXPECT_EQ(Eval("max_of", KqlType::kLong, {Value::Long(1), Value::Null(KqlType::kLong), Value::Long(3)}),
            Value::Long(3));
}

}  // namespace
}  // namespace kql

namespace kql {
namespace {

Value EvalS(std::string name, std::vector<Value> args) { return Eval(std::move(name), KqlType::kString, std::move(args)); }

TEST(ExpressionStringFunctionsTest, StrcatAndLength) {
  EXPECT_EQ(EvalS("strcat", {Value::String("a"), Value::Long(1), Value::Bool(true), Value::Null(KqlType::kLong)}),
            Value::String("a1True"));
  EXPECT_EQ(EvalS("strcat_delim", {Value::String("|"), Value::String("a"), Value::String("b")}), Value::String("a|b"));
  EXPECT_EQ(Eval("strlen", KqlType::kLong, {Value::String("café")}), Value::Long(4));
  EXPECT_EQ(EvalS("toupper", {Value::String("привет abc")}), Value::String("ПРИВЕТ ABC"));
  EXPECT_EQ(EvalS("tolower", {Value::String("CAFÉ")}), Value::String("café"));
}

TEST(ExpressionStringFunctionsTest, SubstringIndexOfReplace) {
  EXPECT_EQ(EvalS("substring", {Value::String("ABCDEF"), Value::Long(2), Value::Long(3)}), Value::String("CDE"));
  EXPECT_EQ(EvalS("substring", {Value::String("ABCDEF"), Value::Long(4)}), Value::String("EF"));
  EXPECT_EQ(EvalS("substring", {Value::String("ABC"), Value::Long(10)}), Value::String(""));
  // A negative start counts from the end (Microsoft's engine: substring("hello", -2, 2) is "lo").
  EXPECT_EQ(EvalS("substring", {Value::String("ABC"), Value::Long(-1), Value::Long(2)}), Value::String("C"));
  EXPECT_EQ(EvalS("substring", {Value::String("ABC"), Value::Long(-5), Value::Long(2)}), Value::String(""));
  EXPECT_EQ(Eval("indexof", KqlType::kLong, {Value::String("abcdefg"), Value::String("cde")}), Value::Long(2));
  EXPECT_EQ(Eval("indexof", KqlType::kLong, {Value::String("abc"), Value::String("z")}), Value::Long(-1));
  EXPECT_EQ(EvalS("replace_string", {Value::String("a.b.c"), Value::String("."), Value::String("--")}),
            Value::String("a--b--c"));
  EXPECT_EQ(EvalS("reverse", {Value::String("abé")}), Value::String("éba"));
  EXPECT_EQ(Eval("countof", KqlType::kLong, {Value::String("aaa"), Value::String("a")}), Value::Long(3));
}

TEST(ExpressionStringFunctionsTest, SplitReturnsDynamicArray) {
  Value parts = Eval("split", KqlType::kDynamic, {Value::String("a,b,,c"), Value::String(",")});
  EXPECT_EQ(ToJson(*parts.dynamic_value), R"(["a","b","","c"])");
  Value one = Eval("split", KqlType::kDynamic, {Value::String("a,b"), Value::String(","), Value::Long(1)});
  EXPECT_EQ(ToJson(*one.dynamic_value), R"(["b"])");
}

TEST(ExpressionStringFunctionsTest, RegexFunctions) {
  EXPECT_EQ(Eval("matches regex", KqlType::kBool, {Value::String("abc123"), Value::String("[0-9]+$")}), Value::Bool(true));
  EXPECT_EQ(EvalS("extract", {Value::String("x=([0-9]+)"), Value::Long(1), Value::String("a x=42 b")}),
            Value::String("42"));
  EXPECT_EQ(EvalS("extract", {Value::String("x=([0-9]+)"), Value::Long(1), Value::String("none")}), Value::String(""));
  EXPECT_EQ(EvalS("replace_regex", {Value::String("a1b22"), Value::String("([0-9]+)"), Value::String("<\\1>")}),
            Value::String("a<1>b<22>"));
  EXPECT_EQ(EvalS("trim", {Value::String("-+"), Value::String("--ab-c--")}), Value::String("ab-c"));
  // trim removes one match per end; a repeated pattern trims whole runs.
  EXPECT_EQ(EvalS("trim_start", {Value::String(" "), Value::String("  x ")}), Value::String(" x "));
  EXPECT_EQ(EvalS("trim_start", {Value::String(" +"), Value::String("  x ")}), Value::String("x "));
  EXPECT_EQ(Eval("countof", KqlType::kLong, {Value::String("aaa"), Value::String("a+"), Value::String("regex")}),
            Value::Long(1));
  ExecutionContext context;
  auto bad = Call("matches regex", KqlType::kBool, {Value::String("x"), Value::String("(")});
  EXPECT_THROW(ExpressionExecutor::EvaluateConstant(*bad, context), QueryError);
}

}  // namespace
}  // namespace kql

namespace kql {
namespace {

Value Json(const char* text) { return Value::FromDynamic(ParseJson(text)); }

TEST(ExpressionDynamicFunctionsTest, IndexAndLength) {
  Value bag = Json(R"({"a":null,"b":[null,1,2],"c":{"d":"x"}})");
  EXPECT_TRUE(Eval("[]", KqlType::kDynamic, {bag, Value::String("a")}).is_null);
  EXPECT_TRUE(Eval("[]", KqlType::kDynamic, {bag, Value::String("missing")}).is_null);
  Value b = Eval("[]", KqlType::kDynamic, {bag, Value::String("b")});
  EXPECT_EQ(ToJson(*Eval("[]", KqlType::kDynamic, {b, Value::Long(1)}).dynamic_value), "1");
  EXPECT_EQ(ToJson(*Eval("[]", KqlType::kDynamic, {b, Value::Long(-1)}).dynamic_value), "2");
  EXPECT_TRUE(Eval("[]", KqlType::kDynamic, {b, Value::Long(0)}).is_null);
  EXPECT_EQ(Eval("array_length", KqlType::kLong, {b}), Value::Long(3));
  EXPECT_EQ(Eval("array_length", KqlType::kLong, {bag}), Value::Null(KqlType::kLong));
  EXPECT_EQ(ToJson(*Eval("pack_array", KqlType::kDynamic, {Value::Long(1), Value::String("a")}).dynamic_value),
            R"([1,"a"])");
  EXPECT_EQ(ToJson(*Eval("bag_keys", KqlType::kDynamic, {bag}).dynamic_value), R"(["a","b","c"])");
}

}  // namespace
}  // namespace kql
