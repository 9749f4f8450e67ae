// Hostile inputs found by hand and by the fuzzers (see the "Hardening" section of docs/TESTING.md): each must end
// in a diagnostic or an error message, never a crash, a hang or unbounded memory. Inputs are generated here
// because they are too large for a golden file.
#include <gtest/gtest.h>

#include <chrono>

#include <string>
#include <vector>

#include "kqlite/engine.h"
#include "rules/rule_loader.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

QueryResult RunQuery(Engine& engine, const std::string& text) {
  QueryOptions options;
  options.now_ticks = 0;
  options.threads = 1;
  return engine.Query(text, options);
}

bool HasCode(const QueryResult& result, const std::string& code) {
  for (const Diagnostic& diagnostic : result.diagnostics) {
    if (diagnostic.code == code) return true;
  }
  return false;
}

std::string Repeat(const std::string& piece, int count) {
  std::string text;
  for (int index = 0; index < count; ++index) text += piece;
  return text;
}

// Regression: 50,000 piped operators bound to a 50,000-deep plan chain whose column pruning pass overflowed the
// stack (SIGSEGV) before the physical planner's depth check ran.
TEST(HardeningTest, VeryLongPipelineIsADiagnostic) {
  Engine engine;
  const std::string text = "print x=1" + Repeat(" | extend y=1", 50000);
  QueryResult result = RunQuery(engine, text);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(HasCode(result, "KQL2018"));
  EXPECT_NE(engine.Explain(text, PlanStage::kOptimized).find("KQL2018"), std::string::npos);
}

TEST(HardeningTest, LongButReasonablePipelineRuns) {
  Engine engine;
  QueryResult result = RunQuery(engine, "print x=1" + Repeat(" | extend y=x", 500));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.table.RowCount(), 1u);
}

// Regression: a chain of 3,000 tabular lets, each extending the previous one, bound to an equally deep plan.
TEST(HardeningTest, LongChainOfTabularLetsEnds) {
  Engine engine;
  std::string text = "let t0 = print x=1;";
  for (int index = 1; index < 3000; ++index) {
    text += "let t" + std::to_string(index) + " = t" + std::to_string(index - 1) + " | extend y" +
            std::to_string(index) + " = 1;";
  }
  text += "t2999 | count";
  QueryResult result = RunQuery(engine, text);
  EXPECT_FALSE(result.ok);
}

TEST(HardeningTest, DeeplyNestedParenthesesAreADiagnostic) {
  Engine engine;
  QueryResult result = RunQuery(engine, "print x=" + Repeat("(", 10000) + "1" + Repeat(")", 10000));
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(HasCode(result, "KQL1106"));
}

TEST(HardeningTest, HugeRangeIsAnError) {
  Engine engine;
  QueryResult result = RunQuery(engine, "range x from 1 to 1e18 step 1 | count");
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("too many rows"), std::string::npos) << result.error;
}

TEST(HardeningTest, DeeplyNestedJsonRecordIsSkipped) {
  Engine engine;
  std::string record = "{\"a\":" + Repeat("[", 100000) + Repeat("]", 100000) + "}\n{\"a\":[1]}\n";
  engine.AddDataText("T", {{"a", KqlType::kDynamic}}, "jsonl", record);
  QueryResult result = RunQuery(engine, "T | count");
  ASSERT_TRUE(result.ok) << result.error;
  QueryResult parsed = RunQuery(engine, "print d=parse_json('" + Repeat("[", 100000) + Repeat("]", 100000) + "')");
  EXPECT_TRUE(parsed.ok) << parsed.error;
}

TEST(HardeningTest, YamlAliasBombLoadsWithoutExpanding) {
  std::string text = "id: 11111111-1111-1111-1111-111111111111\nname: laughs\n"
                     "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  char previous = 'a';
  for (char name = 'b'; name <= 'i'; ++name) {
    text += std::string(1, name) + ": &" + name + " [";
    for (int index = 0; index < 9; ++index) text += std::string(index ? "," : "") + "*" + previous;
    text += "]\n";
    previous = name;
  }
  text += "query: SecurityEvent | take 1\ntactics: *i\nentityMappings: *i\nrequiredDataConnectors: *i\n";
  RuleLoadResult result = LoadRuleText(text, "laughs.yaml");
  EXPECT_TRUE(result.rule.has_value());
}

// Every string operator over every scalar type, on both sides: the kernels read string payloads, so a long
// operand used to be read as strings (SIGSEGV on `print 1 has "1"`). Each must bind and run, or be a diagnostic.
// Catastrophic backtracking patterns over 200,000 characters: RE2 answers in linear time.
TEST(HardeningTest, CatastrophicRegexesRunInLinearTime) {
  Engine engine;
  auto start = std::chrono::steady_clock::now();
  QueryResult result = RunQuery(engine,
                                "print s = strrep('a', 200000) | project m = s matches regex '(a+)+$', "
                                "n = s matches regex '(a|aa)+b', e = extract('(a*)*b', 0, s)");
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.table.Rows().size(), 1u);
  EXPECT_EQ(FormatGolden(result.table.Rows()[0][0]), "true");
  EXPECT_EQ(FormatGolden(result.table.Rows()[0][1]), "false");
  EXPECT_EQ(FormatGolden(result.table.Rows()[0][2]), "(empty)");  // No match: an empty string, as in Kusto.
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
}

TEST(HardeningTest, StringOperatorsOverEveryScalarTypeDoNotCrash) {
  const std::vector<std::string> operators = {
      "has", "!has", "has_cs", "!has_cs", "hasprefix", "!hasprefix", "hasprefix_cs", "!hasprefix_cs",
      "hassuffix", "!hassuffix", "hassuffix_cs", "!hassuffix_cs", "contains", "!contains", "contains_cs",
      "!contains_cs", "startswith", "!startswith", "startswith_cs", "!startswith_cs", "endswith", "!endswith",
      "endswith_cs", "!endswith_cs", "=~", "!~", "matches regex", "==", "!=", "<", ">="};
  const std::vector<std::string> set_operators = {"in", "!in", "in~", "!in~", "has_any", "has_all"};
  const std::vector<std::string> literals = {
      "1", "int(2)", "long(null)", "2.5", "real(nan)", "true", "bool(null)", "datetime(2024-05-01 10:00)",
      "1h", "guid(7a5b2c9d-0e1f-4a3b-8c7d-6e5f4a3b2c1d)", "dynamic([1, \"a\"])", "dynamic({\"k\": 1})",
      "dynamic(null)", "\"44\"", "\"\"", "decimal(1.5)", "string(null)"};
  Engine engine;
  for (const std::string& left : literals) {
    for (const std::string& right : literals) {
      for (const std::string& op : operators) {
        const std::string text = "print r = " + left + " " + op + " " + right;
        QueryResult result = RunQuery(engine, text);
        EXPECT_EQ(result.error.rfind("internal error", 0), std::string::npos) << text << ": " << result.error;
      }
      for (const std::string& op : set_operators) {
        const std::string text = "print r = " + left + " " + op + " (" + right + ", " + left + ")";
        QueryResult result = RunQuery(engine, text);
        EXPECT_EQ(result.error.rfind("internal error", 0), std::string::npos) << text << ": " << result.error;
      }
    }
  }
  // Over columns too (the kernels have separate constant and column paths).
  QueryResult result = RunQuery(engine,
                                "datatable(n:long, r:real, b:bool, t:datetime, s:timespan, d:dynamic)"
                                "[443, 1.5, true, datetime(2024-05-01), 1h, dynamic([44])]"
                                " | where n contains \"44\" and r has \"5\" and b =~ \"TRUE\" and t startswith \"2024\""
                                " and s endswith \"00\" and d has_any (\"44\") and n !~ r | count");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.table.chunks.at(0).columns.at(0).ints()[0], 1);
}

}  // namespace
}  // namespace kql
