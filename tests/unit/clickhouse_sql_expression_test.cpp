// The ClickHouse translator's decisions that need no server: what it emits for KQL's term and case rules, and what
// it declines (so it stays local). The external/clickhouse_* tests run the emitted SQL on real servers.
#include <gtest/gtest.h>

#include "clickhouse/column_storage.h"
#include "clickhouse/sql_expression.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

using clickhouse::TranslateExpression;

BoundExprPtr Column(KqlType type = KqlType::kString) { return BoundExpr::MakeColumn(0, "RemoteUrl", type); }

std::optional<std::string> Translate(const std::string& function, BoundExprPtr left, BoundExprPtr right,
                                     KqlType type = KqlType::kBool) {
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  BoundExprPtr call = BoundExpr::MakeCall(function, type, std::move(args));
  return TranslateExpression(*call, {"`RemoteUrl`"});
}

std::optional<std::string> Text(const std::string& function, const std::string& needle) {
  return Translate(function, Column(), BoundExpr::MakeConstant(Value::String(needle)));
}

TEST(ClickHouseSqlExpression, HasIsATermRegexOverLowerNeverAnInlineCaseFlag) {
  auto sql = Text("has", "TacticalRMM.io");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql,
            "match(lower(`RemoteUrl`), '(?:(?:^|[\\\\x00-\\\\x2f\\\\x3a-\\\\x40\\\\x5b-\\\\x60\\\\x7b-\\\\x7f])"
            "tacticalrmm\\\\.io(?:$|[\\\\x00-\\\\x2f\\\\x3a-\\\\x40\\\\x5b-\\\\x60\\\\x7b-\\\\x7f]))')");
  EXPECT_EQ(sql->find("(?i"), std::string::npos);
}

TEST(ClickHouseSqlExpression, BoundariesOnlyWhereTheNeedleEdgeIsATermCharacter) {
  auto sql = Text("has_cs", ".io");
  ASSERT_TRUE(sql);
  EXPECT_EQ(sql->find("^|"), std::string::npos);  // '.' needs no boundary before it
  EXPECT_NE(sql->find("$|"), std::string::npos);
}

TEST(ClickHouseSqlExpression, NonAsciiNeedlesAndUnicodeFoldableLettersStayLocal) {
  EXPECT_FALSE(Text("has", "münchen"));
  EXPECT_FALSE(Text("contains", "ä"));
  EXPECT_FALSE(Text("=~", "kelvin"));       // KELVIN SIGN folds to k locally
  EXPECT_FALSE(Text("startswith", "login"));  // dotted capital I folds to i
  EXPECT_TRUE(Text("=~", "mesh"));
  EXPECT_TRUE(Text("startswith_cs", "login"));
}

TEST(ClickHouseSqlExpression, ContainsAndNegations) {
  EXPECT_EQ(*Text("contains", "RMM"), "(positionCaseInsensitive(`RemoteUrl`, 'RMM') > 0)");
  EXPECT_EQ(*Text("!contains_cs", "RMM"), "(NOT (position(`RemoteUrl`, 'RMM') > 0))");
  EXPECT_EQ(*Text("has", ""), "toUInt8(1)");
}

TEST(ClickHouseSqlExpression, MixedIntegerAndRealComparisonsStayLocal) {
  EXPECT_FALSE(Translate("<", Column(KqlType::kLong), BoundExpr::MakeConstant(Value::Real(1.5))));
  EXPECT_EQ(*Translate("<", Column(KqlType::kLong), BoundExpr::MakeConstant(Value::Long(7))),
            "(`RemoteUrl` < toInt64(7))");
}

TEST(ClickHouseSqlExpression, DatetimeBinFloorsFromTheYearOneOrigin) {
  auto sql = Translate("bin", Column(KqlType::kDateTime), BoundExpr::MakeConstant(Value::TimeSpan(7 * kTicksPerDay)),
                       KqlType::kDateTime);
  // bin(..., 7d) of a datetime: the local engine's origin is 0001-01-01 (a Monday), not the Unix epoch.
  ASSERT_TRUE(sql);
  EXPECT_NE(sql->find("-621355968000000000"), std::string::npos);
}

TEST(ClickHouseColumnStorage, WireCellsUnescapeAndKeepNulls) {
  ColumnVector text(KqlType::kString);
  ASSERT_TRUE(clickhouse::AppendWireCell("a\\tb\\\\c\\n", text));
  EXPECT_EQ(text.strings()[0], "a\tb\\c\n");
  ColumnVector ticks(KqlType::kDateTime);
  ASSERT_TRUE(clickhouse::AppendWireCell("17723664000000001", ticks));
  ASSERT_TRUE(clickhouse::AppendWireCell("\\N", ticks));
  EXPECT_EQ(ticks.ints()[0], 17723664000000001);
  EXPECT_TRUE(ticks.IsNull(1));
  EXPECT_FALSE(clickhouse::AppendWireCell("Code: 62", ticks));
}

TEST(ClickHouseSqlExpression, HasAnyIsOneRegexOfTheNeedlesAlternatives) {
  std::vector<BoundExprPtr> args;
  args.push_back(Column());
  args.push_back(BoundExpr::MakeConstant(Value::String("AnyDesk.com")));
  args.push_back(BoundExpr::MakeConstant(Value::String(".teamviewer.com")));
  BoundExprPtr call = BoundExpr::MakeCall("has_any", KqlType::kBool, std::move(args));
  auto sql = TranslateExpression(*call, {"`RemoteUrl`"});
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql,
            "match(lower(`RemoteUrl`), '(?:(?:^|[\\\\x00-\\\\x2f\\\\x3a-\\\\x40\\\\x5b-\\\\x60\\\\x7b-\\\\x7f])"
            "anydesk\\\\.com(?:$|[\\\\x00-\\\\x2f\\\\x3a-\\\\x40\\\\x5b-\\\\x60\\\\x7b-\\\\x7f])|"
            "\\\\.teamviewer\\\\.com(?:$|[\\\\x00-\\\\x2f\\\\x3a-\\\\x40\\\\x5b-\\\\x60\\\\x7b-\\\\x7f]))')");
}

}  // namespace
}  // namespace kql
