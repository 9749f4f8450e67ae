// The candidate conditions of rule texts (engine/candidate_query.h), with a stand-in back end that runs every filter
// except extract(): which scans of a table are covered, and the condition their filters give. The ClickHouse side
// (one query for the OR of them, the same alerts as locally) is external/clickhouse_hunt.
#include <gtest/gtest.h>

#include "engine/candidate_query.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

bool Calls(const BoundExpr& expr, const std::string& function) {
  if (expr.kind == BoundExprKind::kCall && expr.function == function) return true;
  for (const auto& arg : expr.args) {
    if (arg && Calls(*arg, function)) return true;
  }
  return false;
}

class NoExtractBackend : public PlanBackend {
 public:
  LogicalOperatorPtr Offload(LogicalOperatorPtr plan, std::map<std::string, std::shared_ptr<const TableSource>>&,
                             std::string*) const override {
    return plan;
  }
  bool TranslatesFilter(const std::string&, const BoundExpr& predicate, const Schema&) const override {
    return !Calls(predicate, "extract");
  }
};

class CandidateConditions : public ::testing::Test {
 protected:
  CandidateConditions() {
    auto table = std::make_shared<Table>();
    table->schema = {{"Timestamp", KqlType::kDateTime}, {"DeviceId", KqlType::kString},
                     {"DeviceName", KqlType::kString},  {"RemoteUrl", KqlType::kString},
                     {"RemotePort", KqlType::kInt},     {"InitiatingProcessFileName", KqlType::kString}};
    engine_.AddTable("DeviceNetworkEvents", table);
  }

  std::optional<std::map<std::string, CandidateCondition>> Plan(const std::string& text) {
    return PlanCandidateConditions(engine_, text, 0, {"DeviceNetworkEvents"}, backend_);
  }

  Engine engine_;
  NoExtractBackend backend_;
};

TEST_F(CandidateConditions, EveryFilterOfTheChainOnTheScanGivesItsRunnableConjuncts) {
  auto conditions = Plan(
      "let DeviceNetworkEvents = DeviceNetworkEvents | where Timestamp > datetime(2026-01-01);\n"
      "DeviceNetworkEvents\n"
      "| where RemoteUrl has_any ('anydesk.com', 'teamviewer.com') and extract('^([a-z]+)', 1, RemoteUrl) == 'x'\n"
      "| where RemotePort == 443\n"
      "| summarize count() by DeviceName");
  ASSERT_TRUE(conditions);
  ASSERT_EQ(conditions->size(), 1u);
  const CandidateCondition& condition = conditions->at("DeviceNetworkEvents");
  ASSERT_TRUE(condition.predicate);
  std::string text = condition.predicate->ToString();
  EXPECT_NE(text.find("anydesk.com"), std::string::npos) << text;
  EXPECT_NE(text.find("443"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-01-01"), std::string::npos) << text;
  EXPECT_FALSE(Calls(*condition.predicate, "extract")) << text;
  EXPECT_TRUE(FindColumn(condition.columns, "DeviceName"));
  EXPECT_TRUE(FindColumn(condition.columns, "RemoteUrl"));
  // Column references point at the table's full schema (RemotePort is its 5th column).
  std::vector<const BoundExpr*> pending{condition.predicate.get()};
  bool port_seen = false;
  while (!pending.empty()) {
    const BoundExpr* expr = pending.back();
    pending.pop_back();
    if (expr->kind == BoundExprKind::kColumnRef && expr->column_name == "RemotePort") {
      EXPECT_EQ(expr->column_index, 4u);
      port_seen = true;
    }
    for (const auto& arg : expr->args) pending.push_back(arg.get());
  }
  EXPECT_TRUE(port_seen);
}

TEST_F(CandidateConditions, TwoFilteredScansOfTheTableAreOrdTogether) {
  auto conditions = Plan(
      "let rmm = DeviceNetworkEvents | where InitiatingProcessFileName =~ 'tacticalrmm.exe' | distinct DeviceId;\n"
      "DeviceNetworkEvents | where RemotePort == 443 | join kind=inner rmm on DeviceId");
  ASSERT_TRUE(conditions);
  const CandidateCondition& condition = conditions->at("DeviceNetworkEvents");
  ASSERT_TRUE(condition.predicate);
  EXPECT_EQ(condition.predicate->function, "or");
  EXPECT_EQ(condition.predicate->args.size(), 2u);
}

TEST_F(CandidateConditions, AScanWithoutARunnableFilterNeedsEveryRow) {
  for (const char* text : {
           "DeviceNetworkEvents | summarize count() by DeviceName",
           "DeviceNetworkEvents | where extract('^([a-z]+)', 1, RemoteUrl) == 'api' | count",
           "DeviceNetworkEvents | where RemotePort == 53 | join kind=inner (DeviceNetworkEvents | distinct DeviceId) "
           "on DeviceId",
       }) {
    auto conditions = Plan(text);
    ASSERT_TRUE(conditions) << text;
    ASSERT_EQ(conditions->count("DeviceNetworkEvents"), 1u) << text;
    EXPECT_FALSE(conditions->at("DeviceNetworkEvents").predicate) << text;
  }
}

TEST_F(CandidateConditions, QueriesThatDoNotPlanHaveNone) {
  EXPECT_FALSE(Plan("DeviceNetworkEvents | where"));
  // toscalar runs its sub-plan while binding (over the query's sources): such a query is not planned.
  EXPECT_FALSE(Plan("let n = toscalar(DeviceNetworkEvents | count);\n"
                    "DeviceNetworkEvents | where RemotePort == 443 | extend n"));
  EXPECT_FALSE(Plan("NoSuchTable | take 1"));
  auto none = Plan("print x = 1");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace kql
