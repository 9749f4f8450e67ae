// Unit tests of the binder: result names and types (checked against Kusto's binder with kqlcheck --result),
// operator schemas, let/function inlining, and diagnostics with their codes and positions.
#include <gtest/gtest.h>

#include "binder/binder.h"
#include "syntax/parser.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

constexpr int64_t kNow = 1700000000LL * kTicksPerSecond;

Catalog TestCatalog() {
  Catalog catalog;
  catalog.AddTable("T", {{"Timestamp", KqlType::kDateTime}, {"DeviceId", KqlType::kString},
                         {"DeviceName", KqlType::kString}, {"x", KqlType::kLong}, {"i", KqlType::kInt},
                         {"r", KqlType::kReal}, {"s", KqlType::kString}, {"d", KqlType::kDynamic}});
  catalog.AddTable("U", {{"DeviceId", KqlType::kString}, {"x", KqlType::kLong}, {"y", KqlType::kString}});
  return catalog;
}

struct Bound {
  BindResult result;
  std::string schema;  // "a:long, b:string"
  std::string errors;  // "KQL2001@1:5 message; ..."
};

Bound BindText(const std::string& text) {
  static const Catalog catalog = TestCatalog();
  ParseResult parsed = Parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  Bound bound{Bind(parsed, catalog, BindOptions{kNow}), "", ""};
  if (bound.result.plan) {
    for (const ColumnDef& column : bound.result.plan->schema) {
      if (!bound.schema.empty()) bound.schema += ", ";
      bound.schema += column.name + ":" + std::string(TypeName(column.type));
    }
  }
  for (const Diagnostic& diagnostic : bound.result.diagnostics.items()) {
    if (!bound.errors.empty()) bound.errors += "; ";
    bound.errors += diagnostic.code + "@" + std::to_string(diagnostic.span.line) + ":" +
                    std::to_string(diagnostic.span.col) + " " + diagnostic.message;
  }
  return bound;
}

std::string SchemaOf(const std::string& text) {
  Bound bound = BindText(text);
  EXPECT_EQ(bound.errors, "") << text;
  return bound.schema;
}

TEST(BinderTest, SeedRuleBinds) {
  Bound bound = BindText(
      "let Time_start = now(-5d); let Time_end = now(); DeviceNetworkEvents | where Timestamp between "
      "(Time_start..Time_end) | where RemoteUrl has 'tacticalrmm.io' and InitiatingProcessVersionInfoCompanyName "
      "has_any ('AmidaWare','Tactical Techs') | summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), "
      "Report=make_set(ReportId), Count=count() by DeviceId, DeviceName, RemoteUrl");
  EXPECT_EQ(bound.errors, "");
  EXPECT_EQ(bound.schema,
            "DeviceId:string, DeviceName:string, RemoteUrl:string, FirstSeen:datetime, LastSeen:datetime, "
            "Report:dynamic, Count:long");
  // now(-5d) and now() fold to constants of the session clock.
  const LogicalOperator* node = bound.result.plan.get();
  while (node->kind != LogicalKind::kFilter) node = node->children[0].get();
  node = node->children[0].get();
  ASSERT_EQ(node->kind, LogicalKind::kFilter);
  const BoundExpr& between = *node->As<LogicalFilter>().predicate;
  EXPECT_EQ(between.function, "between");
  ASSERT_EQ(between.args[1]->kind, BoundExprKind::kConstant);
  EXPECT_EQ(between.args[1]->constant.int_value, kNow - 5 * kTicksPerDay);
  EXPECT_EQ(between.args[2]->constant.int_value, kNow);
}

TEST(BinderTest, AggregateResultNames) {
  EXPECT_EQ(SchemaOf("T | summarize count(), dcount(s), min(x), sum(i), avg(x), make_set(s), make_list(s), "
                     "take_any(s), countif(x>1), make_set_if(s, x>1), stdev(x), make_bag(d)"),
            "count_:long, dcount_s:long, min_x:long, sum_i:long, avg_x:real, set_s:dynamic, list_s:dynamic, "
            "s:string, countif_:long, set_s1:dynamic, stdev_x:real, bag_d:dynamic");
  EXPECT_EQ(SchemaOf("T | summarize makeset(s), makelist(s), any(s), any(s, x)"),
            "set_s:dynamic, list_s:dynamic, any_s:string, any_s1:string, any_x:long");
  EXPECT_EQ(SchemaOf("T | summarize min(strlen(s)), count() by bin(Timestamp, 1h), tolower(s), floor(x, 2)"),
            "Timestamp:datetime, Column1:string, x:long, min_strlen_s:long, count_:long");
  EXPECT_EQ(SchemaOf("T | summarize percentile(x, 50)"), "percentile_x_50:long");
  EXPECT_EQ(SchemaOf("T | count"), "Count:long");
}

TEST(BinderTest, ExpressionsOverAggregates) {
  // Kusto: summarize tostring(makeset(s)) names the column set_s (oracle: DeviceId, set_s, n, dcount_x).
  EXPECT_EQ(SchemaOf("T | summarize tostring(makeset(s)), n = count() * 2, dcount(x) by DeviceId | where set_s has 'a'"),
            "DeviceId:string, set_s:string, n:long, dcount_x:long");
}

TEST(BinderTest, UnknownTableDoesNotCascade) {
  EXPECT_EQ(BindText("NoSuchTable | where a > 1 | project b, c | project-away d").result.diagnostics.items().size(), 1u);
}

TEST(BinderTest, ArgMaxExpandsColumns) {
  EXPECT_EQ(SchemaOf("T | summarize arg_max(Timestamp, *) by DeviceId"),
            "DeviceId:string, Timestamp:datetime, DeviceName:string, x:long, i:int, r:real, s:string, d:dynamic");
  EXPECT_EQ(SchemaOf("T | summarize arg_max(x, s, i) by DeviceId"), "DeviceId:string, x:long, s:string, i:int");
  EXPECT_EQ(SchemaOf("T | summarize arg_max(strlen(s), i)"), "strlen_s:long, i:int");
}

TEST(BinderTest, ProjectAndExtendNames) {
  EXPECT_EQ(SchemaOf("T | project x, x+1, strlen(s), y=i, d.a, d['b']"),
            "x:long, Column1:long, strlen_s:long, y:int, d_a:dynamic, d_b:dynamic");
  EXPECT_EQ(SchemaOf("T | extend x = 'a', z=1, x+1"),
            "Timestamp:datetime, DeviceId:string, DeviceName:string, x:string, i:int, r:real, s:string, d:dynamic, "
            "z:long, Column1:long");
  EXPECT_EQ(SchemaOf("T | project Column1 = 1, 2"), "Column1:long, Column11:long");
  EXPECT_EQ(SchemaOf("T | project tostring(d), tolong(s), todouble(s), abs(i), floor(Timestamp, 1d)"),
            "d:string, s:long, s1:real, i:long, Timestamp:datetime");
  EXPECT_EQ(SchemaOf("print 1, a=2, 'x'"), "print_0:long, a:long, print_2:string");
}

TEST(BinderTest, ExpressionTypes) {
  EXPECT_EQ(SchemaOf("T | project a = x / 2, b = x * 1.5, c = now() - Timestamp, e = Timestamp + 1h, f = 1h * 2, "
                     "h = i + i, k = d.a == 'x', l = iff(x > 1, 1, 2.0), m = case(x > 1, 'a', 'b'), n = coalesce(i, x)"),
            "a:long, b:real, c:timespan, e:datetime, f:timespan, h:long, k:bool, l:real, m:string, n:long");
  EXPECT_EQ(SchemaOf("T | project hourofday(Timestamp), dayofweek(Timestamp), datetime_diff('day', now(), Timestamp)"),
            "Column1:int, Column2:timespan, Column3:long");
  EXPECT_EQ(SchemaOf("T | project g = guid(0A1B2C3D-0000-0000-0000-00000000000F), dt = datetime(2024-01-02)"),
            "g:guid, dt:datetime");
}

TEST(BinderTest, JoinLookupAndUnionSchemas) {
  EXPECT_EQ(SchemaOf("T | join (U) on DeviceId"),
            "Timestamp:datetime, DeviceId:string, DeviceName:string, x:long, i:int, r:real, s:string, d:dynamic, "
            "DeviceId1:string, x1:long, y:string");
  EXPECT_EQ(SchemaOf("T | join kind=rightsemi (U) on $left.DeviceName == $right.y"), "DeviceId:string, x:long, y:string");
  EXPECT_EQ(SchemaOf("T | lookup (U) on DeviceId"),
            "Timestamp:datetime, DeviceId:string, DeviceName:string, x:long, i:int, r:real, s:string, d:dynamic, "
            "x1:long, y:string");
  EXPECT_EQ(SchemaOf("T | join (U | project DeviceId, x1=x, x) on DeviceId | project DeviceId1, x1, x2"),
            "DeviceId1:string, x1:long, x2:long");
  EXPECT_EQ(SchemaOf("union withsource=Src T, U | project-keep Src, y"), "Src:string, y:string");
  EXPECT_EQ(SchemaOf("U | union (print y = 'a')"), "DeviceId:string, x:long, y:string");
  Bound join = BindText("T | join kind=leftouter (U) on $left.DeviceName == $right.y");
  const LogicalJoin& plan = join.result.plan->As<LogicalJoin>();
  EXPECT_EQ(plan.join_kind, JoinKind::kLeftOuter);
  EXPECT_EQ(plan.left_keys, std::vector<size_t>{2});
  EXPECT_EQ(plan.right_keys, std::vector<size_t>{2});
}

TEST(BinderTest, ColumnListOperators) {
  EXPECT_EQ(SchemaOf("T | project-away Dev*, x, d, r"), "Timestamp:datetime, i:int, s:string");
  EXPECT_EQ(SchemaOf("T | project-keep Dev*"), "DeviceId:string, DeviceName:string");
  EXPECT_EQ(SchemaOf("U | project-rename Foo=x"), "DeviceId:string, Foo:long, y:string");
  EXPECT_EQ(SchemaOf("U | project-reorder y, x"), "y:string, x:long, DeviceId:string");
  EXPECT_EQ(SchemaOf("T | distinct s, x"), "s:string, x:long");
  EXPECT_EQ(SchemaOf("U | distinct *"), "DeviceId:string, x:long, y:string");
  EXPECT_EQ(SchemaOf("U | getschema"), "ColumnName:string, ColumnOrdinal:long, DataType:string, ColumnType:string");
}

TEST(BinderTest, SourcesAndMvExpand) {
  EXPECT_EQ(SchemaOf("range x from 1 to 10 step 1"), "x:long");
  EXPECT_EQ(SchemaOf("range t from datetime(2020-01-01) to datetime(2020-01-02) step 1h"), "t:datetime");
  EXPECT_EQ(SchemaOf("datatable(a:long, b:string)[1, 'x', 2, 'y'] | where a > 1"), "a:long, b:string");
  EXPECT_EQ(SchemaOf("U | mv-expand with_itemindex=idx e = pack_array(x) to typeof(long)"),
            "DeviceId:string, x:long, y:string, e:long, idx:long");
  Bound values = BindText("datatable(a:real, b:dynamic)[1, dynamic([1]), 2.5, dynamic(null)]");
  EXPECT_EQ(values.errors, "");
  const LogicalValues& rows = values.result.plan->As<LogicalValues>();
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_EQ(rows.rows[0][0], Value::Real(1));
}

TEST(BinderTest, LetsAndUserFunctions) {
  EXPECT_EQ(SchemaOf("let t = T | where x > 1; let n = 3; t | take n | project x"), "x:long");
  EXPECT_EQ(SchemaOf("let f = (a:string, b:long = 5) { strlen(a) + b }; T | project v = f(s)"), "v:long");
  EXPECT_EQ(SchemaOf("let g = (limit:long) { U | take limit }; g(2) | project y"), "y:string");
  EXPECT_EQ(SchemaOf("let m = materialize(U); m | summarize count()"), "count_:long");
  EXPECT_EQ(SchemaOf("let h = (t:(x:long)) { t | project x }; h(U)"), "x:long");
  EXPECT_EQ(SchemaOf("declare query_parameters(p:long = 5); set notruncation; U | where x > p | count"), "Count:long");
  EXPECT_EQ(SchemaOf("let ids = U | project DeviceId; T | where DeviceId in (ids) | project s"), "s:string");
}

TEST(BinderTest, UnknownNamesSuggestAlternatives) {
  EXPECT_EQ(BindText("T | where DeviceNme == 'a'").errors,
            "KQL2001@1:11 Unknown column, table or function: DeviceNme; did you mean 'DeviceName'?");
  EXPECT_EQ(BindText("DeviceNetworkEvent | take 1").errors,
            "KQL2002@1:1 Unknown table: DeviceNetworkEvent; did you mean 'DeviceNetworkEvents'?");
  EXPECT_EQ(BindText("T\n| project strln(s)").errors,
            "KQL2003@2:11 Unknown function: strln; did you mean 'strlen'?");
  EXPECT_EQ(BindText("T | where devicename == 'a'").errors,
            "KQL2001@1:11 Unknown column, table or function: devicename; did you mean 'DeviceName'?");
}

TEST(BinderTest, TypeAndArityDiagnostics) {
  EXPECT_EQ(BindText("T | project strlen(s, s)").errors.substr(0, 12), "KQL2004@1:13");
  EXPECT_EQ(BindText("T | project startofday(s)").errors.substr(0, 12), "KQL2005@1:24");
  EXPECT_EQ(BindText("T | where x + 1").errors.substr(0, 7), "KQL2016");
  EXPECT_EQ(BindText("T | where Timestamp > 1").errors.substr(0, 7), "KQL2015");
  EXPECT_EQ(BindText("T | extend c = count()").errors.substr(0, 12), "KQL2006@1:16");
  EXPECT_EQ(BindText("T | summarize strlen(s)").errors.substr(0, 7), "KQL2007");
  EXPECT_EQ(BindText("T | project geo_info_from_ip_address(d)").errors,
            "KQL2009@1:13 Function is not supported: geo_info_from_ip_address");
  // The error type stops cascades: one unknown column gives one diagnostic.
  EXPECT_EQ(BindText("T | where strlen(nope) + 1 > 2 and nope2").result.diagnostics.items().size(), 2u);
  EXPECT_EQ(BindText("T | project $left.x").errors.substr(0, 7), "KQL2013");
  EXPECT_EQ(BindText("T | join (U) on x > 1").errors.substr(0, 7), "KQL2014");
  EXPECT_EQ(BindText("datatable(a:long)[datetime(2020-01-01)]").errors.substr(0, 7), "KQL2005");
  EXPECT_EQ(BindText("T | mv-expand s").errors.substr(0, 7), "KQL2022");
}

TEST(BinderTest, UnsupportedOperatorsAndRender) {
  // A graph must be turned into a table; unsupported graph options are named.
  Bound bound = BindText("U | make-graph DeviceId --> y with_node_id=id");
  EXPECT_EQ(bound.errors.substr(0, 7), "KQL2008");
  EXPECT_NE(bound.errors.find("ends with a graph"), std::string::npos);
  Bound option = BindText("U | make-graph DeviceId --> y | graph-match hops=2 (a)-->(b) project a.id");
  EXPECT_EQ(option.errors.substr(0, 7), "KQL2008");
  EXPECT_NE(option.errors.find("option is not supported: hops=2"), std::string::npos);
  // render leaves the table alone and keeps the chart request (visualization and properties) for the result.
  Bound render = BindText("U | render timechart with (title=\"Logons\", ycolumns=x, y, kind=stacked)");
  EXPECT_TRUE(render.result.diagnostics.items().empty());
  ASSERT_TRUE(render.result.render.has_value());
  EXPECT_EQ(render.result.render->visualization, "timechart");
  ASSERT_EQ(render.result.render->properties.size(), 3u);
  EXPECT_EQ(render.result.render->properties[0], (std::pair<std::string, std::string>{"title", "Logons"}));
  EXPECT_EQ(render.result.render->properties[1], (std::pair<std::string, std::string>{"ycolumns", "x, y"}));
  EXPECT_EQ(render.result.render->properties[2], (std::pair<std::string, std::string>{"kind", "stacked"}));
  EXPECT_EQ(BindText("declare query_parameters(p:long); U | where x > p").errors.substr(0, 7), "KQL2012");
}

TEST(BinderTest, DeepNestingIsADiagnostic) {
  std::string text = "print x = ";
  for (int index = 0; index < 150; ++index) text += "1 + (";
  text += "1";
  for (int index = 0; index < 150; ++index) text += ")";
  ParseResult parsed = Parse(text);
  Catalog catalog(false);
  BindResult result = Bind(parsed, catalog, BindOptions{kNow});
  EXPECT_TRUE(result.plan != nullptr);
}

}  // namespace
}  // namespace kql
