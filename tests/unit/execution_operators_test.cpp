// Unit tests of the physical operators: plans are built by hand over MemoryTableSource data split into many small
// chunks, and every query runs with 1 and 4 threads, which must give identical results.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "execution/execution_context.h"
#include "plan/logical_operator.h"
#include "types/dynamic.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

using Row = std::vector<Value>;

std::shared_ptr<Table> MakeTable(const Schema& schema, const std::vector<Row>& rows, size_t rows_per_chunk) {
  auto table = std::make_shared<Table>();
  table->schema = schema;
  for (size_t start = 0; start < rows.size(); start += rows_per_chunk) {
    DataChunk chunk;
    for (const auto& column : schema) chunk.columns.emplace_back(column.type);
    size_t end = std::min(rows.size(), start + rows_per_chunk);
    for (size_t r = start; r < end; ++r) {
      for (size_t c = 0; c < schema.size(); ++c) chunk.columns[c].AppendValue(rows[r][c]);
    }
    chunk.size = end - start;
    table->chunks.push_back(std::move(chunk));
  }
  return table;
}

std::unique_ptr<LogicalScan> Scan(const std::string& name, const Schema& schema) {
  auto scan = std::make_unique<LogicalScan>();
  scan->table_name = name;
  scan->schema = schema;
  scan->table_schema = schema;
  return scan;
}

BoundExprPtr Col(const Schema& schema, const std::string& name) {
  size_t index = *FindColumn(schema, name);
  return BoundExpr::MakeColumn(index, name, schema[index].type);
}

BoundExprPtr Const(Value value) { return BoundExpr::MakeConstant(std::move(value)); }

BoundExprPtr Call(const std::string& function, KqlType type, BoundExprPtr a, BoundExprPtr b) {
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  return BoundExpr::MakeCall(function, type, std::move(args));
}

template <typename T>
std::unique_ptr<T> Over(std::unique_ptr<T> op, LogicalOperatorPtr child) {
  op->children.push_back(std::move(child));
  return op;
}

BoundAggregate Agg(const std::string& function, std::vector<BoundExprPtr> args, Schema outputs) {
  BoundAggregate aggregate;
  aggregate.function = function;
  aggregate.args = std::move(args);
  aggregate.outputs = std::move(outputs);
  return aggregate;
}

std::vector<BoundExprPtr> Args(BoundExprPtr a) {
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(a));
  return args;
}

std::vector<BoundExprPtr> Args(BoundExprPtr a, BoundExprPtr b) {
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  return args;
}

/// Builds an aggregate whose schema is keys then every aggregate's outputs.
std::unique_ptr<LogicalAggregate> Aggregate(LogicalOperatorPtr child, std::vector<BoundExprPtr> keys,
                                            std::vector<BoundAggregate> aggregates) {
  auto op = std::make_unique<LogicalAggregate>();
  for (const auto& key : keys) op->schema.push_back({key->column_name, key->type});
  for (const auto& aggregate : aggregates) {
    for (const auto& output : aggregate.outputs) op->schema.push_back(output);
  }
  op->keys = std::move(keys);
  op->aggregates = std::move(aggregates);
  op->children.push_back(std::move(child));
  return op;
}

std::vector<std::string> Render(const Table& table) {
  std::vector<std::string> lines;
  for (const auto& row : table.Rows()) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) line += (c ? "|" : "") + FormatGolden(row[c]);
    lines.push_back(line);
  }
  return lines;
}

class ExecutionTest : public ::testing::Test {
 protected:
  void AddTable(const std::string& name, const Schema& schema, const std::vector<Row>& rows, size_t per_chunk = 3) {
    tables_[name] = MakeTable(schema, rows, per_chunk);
  }

  /// Runs with 1 and 4 threads (and two chunk sizes), checks they agree, and returns the rendered rows.
  std::vector<std::string> Run(const LogicalOperator& plan) {
    std::vector<std::string> first;
    bool have_first = false;
    for (int threads : {1, 4}) {
      for (size_t chunk_size : {size_t{2}, size_t{2048}}) {
        ExecutionContext context;
        context.threads = threads;
        context.chunk_size = chunk_size;
        for (const auto& [name, table] : tables_) context.sources[name] = std::make_shared<MemoryTableSource>(name, table);
        Table result = ExecutePlan(plan, context);
        EXPECT_EQ(result.schema.size(), plan.schema.size());
        auto rendered = Render(result);
        if (!have_first) {
          first = rendered;
          have_first = true;
        } else {
          EXPECT_EQ(rendered, first) << "threads=" << threads << " chunk_size=" << chunk_size;
        }
      }
    }
    return first;
  }

  std::map<std::string, std::shared_ptr<Table>> tables_;
};

Schema EventSchema() {
  return {{"Computer", KqlType::kString},
          {"Account", KqlType::kString},
          {"Process", KqlType::kString},
          {"Time", KqlType::kDateTime},
          {"Cmd", KqlType::kString},
          {"Id", KqlType::kLong}};
}

std::vector<Row> EventRows(size_t count) {
  std::vector<Row> rows;
  const char* cmds[] = {"run tacticalrmm.io agent", "notepad", "tacticalrmm update", "cmd /c tacticalrmmx"};
  for (size_t i = 0; i < count; ++i) {
    rows.push_back({Value::String("host" + std::to_string(i % 7)), Value::String("user" + std::to_string(i % 3)),
                    Value::String(i % 2 ? "a.exe" : "b.exe"), Value::DateTime(static_cast<int64_t>((i * 37) % 1000)),
                    Value::String(cmds[i % 4] + std::string(i % 5 == 0 ? " x" : "")), Value::Long(static_cast<int64_t>(i))});
  }
  return rows;
}

// The seed rule's shape: Scan -> Filter -> Filter -> Aggregate(min, max, make_set, count by 3 string keys).
TEST_F(ExecutionTest, SeedRuleShapeMatchesNaiveEvaluation) {
  Schema schema = EventSchema();
  auto rows = EventRows(500);
  AddTable("Events", schema, rows, 7);

  auto filter1 = std::make_unique<LogicalFilter>();
  filter1->schema = schema;
  filter1->predicate = Call("has", KqlType::kBool, Col(schema, "Cmd"), Const(Value::String("tacticalrmm")));
  filter1->children.push_back(Scan("Events", schema));
  auto filter2 = std::make_unique<LogicalFilter>();
  filter2->schema = schema;
  filter2->predicate = Call(">", KqlType::kBool, Col(schema, "Time"), Const(Value::DateTime(100)));
  filter2->children.push_back(std::move(filter1));

  std::vector<BoundExprPtr> keys;
  keys.push_back(Col(schema, "Computer"));
  keys.push_back(Col(schema, "Account"));
  keys.push_back(Col(schema, "Process"));
  std::vector<BoundAggregate> aggregates;
  aggregates.push_back(Agg("min", Args(Col(schema, "Time")), {{"FirstSeen", KqlType::kDateTime}}));
  aggregates.push_back(Agg("max", Args(Col(schema, "Time")), {{"LastSeen", KqlType::kDateTime}}));
  aggregates.push_back(Agg("make_set", Args(Col(schema, "Cmd")), {{"Cmds", KqlType::kDynamic}}));
  aggregates.push_back(Agg("count", {}, {{"count_", KqlType::kLong}}));
  auto plan = Aggregate(std::move(filter2), std::move(keys), std::move(aggregates));

  // Naive reference: first-seen group order, set elements in row order.
  struct Group {
    int64_t min = 0, max = 0, count = 0;
    std::vector<std::string> set;
  };
  std::vector<std::string> order;
  std::map<std::string, Group> groups;
  for (const auto& row : rows) {
    const std::string& cmd = row[4].string_value;
    bool has = cmd.find("tacticalrmm ") != std::string::npos || cmd.find("tacticalrmm.") != std::string::npos ||
               (cmd.size() >= 11 && cmd.compare(cmd.size() - 11, 11, "tacticalrmm") == 0);
    if (!has || row[3].int_value <= 100) continue;
    std::string key = row[0].string_value + "|" + row[1].string_value + "|" + row[2].string_value;
    auto [it, inserted] = groups.try_emplace(key);
    Group& group = it->second;
    if (inserted) {
      order.push_back(key);
      group.min = group.max = row[3].int_value;
    }
    group.min = std::min(group.min, row[3].int_value);
    group.max = std::max(group.max, row[3].int_value);
    ++group.count;
    if (std::find(group.set.begin(), group.set.end(), cmd) == group.set.end()) group.set.push_back(cmd);
  }
  std::vector<std::string> expected;
  for (const auto& key : order) {
    const Group& group = groups[key];
    std::vector<Dynamic> items;
    for (const auto& cmd : group.set) items.push_back(DynamicValue::MakeString(cmd));
    expected.push_back(key + "|" + FormatGolden(Value::DateTime(group.min)) + "|" +
                       FormatGolden(Value::DateTime(group.max)) + "|" +
                       FormatGolden(Value::FromDynamic(DynamicValue::MakeArray(items))) + "|" +
                       std::to_string(group.count));
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(Run(*plan), expected);
}

TEST_F(ExecutionTest, UngroupedAggregateOverEmptyInputYieldsDefaults) {
  Schema schema = {{"x", KqlType::kLong}};
  AddTable("T", schema, {{Value::Long(1)}, {Value::Long(2)}});
  auto filter = std::make_unique<LogicalFilter>();
  filter->schema = schema;
  filter->predicate = Call(">", KqlType::kBool, Col(schema, "x"), Const(Value::Long(100)));
  filter->children.push_back(Scan("T", schema));
  std::vector<BoundAggregate> aggregates;
  aggregates.push_back(Agg("count", {}, {{"c", KqlType::kLong}}));
  aggregates.push_back(Agg("sum", Args(Col(schema, "x")), {{"s", KqlType::kLong}}));
  aggregates.push_back(Agg("avg", Args(Col(schema, "x")), {{"a", KqlType::kReal}}));
  aggregates.push_back(Agg("min", Args(Col(schema, "x")), {{"mn", KqlType::kLong}}));
  aggregates.push_back(Agg("make_set", Args(Col(schema, "x")), {{"ms", KqlType::kDynamic}}));
  aggregates.push_back(Agg("make_list", Args(Col(schema, "x")), {{"ml", KqlType::kDynamic}}));
  aggregates.push_back(Agg("dcount", Args(Col(schema, "x")), {{"dc", KqlType::kLong}}));
  auto plan = Aggregate(std::move(filter), {}, std::move(aggregates));
  EXPECT_EQ(Run(*plan), std::vector<std::string>({"0|0|NaN|null|[]|[]|0"}));

  // Grouped over empty input: no rows.
  auto filter2 = std::make_unique<LogicalFilter>();
  filter2->schema = schema;
  filter2->predicate = Call(">", KqlType::kBool, Col(schema, "x"), Const(Value::Long(100)));
  filter2->children.push_back(Scan("T", schema));
  std::vector<BoundExprPtr> keys;
  keys.push_back(Col(schema, "x"));
  std::vector<BoundAggregate> counts;
  counts.push_back(Agg("count", {}, {{"c", KqlType::kLong}}));
  EXPECT_TRUE(Run(*Aggregate(std::move(filter2), std::move(keys), std::move(counts))).empty());
}

TEST_F(ExecutionTest, AggregatesWithNullKeysAndValues) {
  Schema schema = {{"k", KqlType::kLong}, {"v", KqlType::kLong}, {"r", KqlType::kReal}, {"s", KqlType::kString}};
  std::vector<Row> rows = {
      {Value::Long(1), Value::Long(10), Value::Real(1.5), Value::String("b")},
      {Value::Null(KqlType::kLong), Value::Long(5), Value::Real(2.0), Value::String("a")},
      {Value::Long(1), Value::Null(KqlType::kLong), Value::Null(KqlType::kReal), Value::String("c")},
      {Value::Long(2), Value::Long(7), Value::Real(4.0), Value::String("z")},
      {Value::Long(1), Value::Long(10), Value::Real(3.5), Value::String("a")},
      {Value::Null(KqlType::kLong), Value::Long(6), Value::Real(0.5), Value::String("q")},
      {Value::Long(2), Value::Long(8), Value::Real(5.0), Value::String("y")},
  };
  AddTable("T", schema, rows, 2);
  std::vector<BoundExprPtr> keys;
  keys.push_back(Col(schema, "k"));
  std::vector<BoundAggregate> aggregates;
  aggregates.push_back(Agg("count", {}, {{"c", KqlType::kLong}}));
  aggregates.push_back(Agg("sum", Args(Col(schema, "v")), {{"sv", KqlType::kLong}}));
  aggregates.push_back(Agg("sum", Args(Col(schema, "r")), {{"sr", KqlType::kReal}}));
  aggregates.push_back(Agg("avg", Args(Col(schema, "v")), {{"av", KqlType::kReal}}));
  aggregates.push_back(Agg("max", Args(Col(schema, "s")), {{"mx", KqlType::kString}}));
  aggregates.push_back(Agg("min", Args(Col(schema, "s")), {{"mn", KqlType::kString}}));
  aggregates.push_back(Agg("make_list", Args(Col(schema, "v")), {{"ml", KqlType::kDynamic}}));
  aggregates.push_back(Agg("make_set", Args(Col(schema, "v")), {{"ms", KqlType::kDynamic}}));
  aggregates.push_back(Agg("dcount", Args(Col(schema, "v")), {{"dc", KqlType::kLong}}));
  aggregates.push_back(
      Agg("arg_max", Args(Col(schema, "v"), Col(schema, "s")), {{"v1", KqlType::kLong}, {"s1", KqlType::kString}}));
  aggregates.push_back(
      Agg("arg_min", Args(Col(schema, "r"), Col(schema, "s")), {{"r1", KqlType::kReal}, {"s2", KqlType::kString}}));
  aggregates.push_back(Agg("take_any", Args(Col(schema, "s")), {{"ta", KqlType::kString}}));
  aggregates.push_back(Agg("countif", Args(Call(">", KqlType::kBool, Col(schema, "v"), Const(Value::Long(6)))),
                           {{"ci", KqlType::kLong}}));
  aggregates.push_back(Agg("sumif",
                           Args(Col(schema, "v"), Call(">", KqlType::kBool, Col(schema, "v"), Const(Value::Long(6)))),
                           {{"si", KqlType::kLong}}));
  aggregates.push_back(Agg("variance", Args(Col(schema, "v")), {{"var", KqlType::kReal}}));
  aggregates.push_back(Agg("stdev", Args(Col(schema, "r")), {{"sd", KqlType::kReal}}));
  auto plan = Aggregate(Scan("T", schema), std::move(keys), std::move(aggregates));
  auto result = Run(*plan);
  ASSERT_EQ(result.size(), 3u);
  // Groups in first-seen order: 1, null, 2. arg_max ties keep the first row ("b").
  EXPECT_EQ(result[0], "1|3|20|5|10|c|a|[10,10]|[10]|1|10|b|1.5|b|b|2|20|0|1.4142135623730951");
  EXPECT_EQ(result[1], "null|2|11|2.5|5.5|q|a|[5,6]|[5,6]|2|6|q|0.5|q|a|0|0|0.5|1.0606601717798212");
  EXPECT_EQ(result[2], "2|2|15|9|7.5|z|y|[7,8]|[7,8]|2|8|y|4|z|z|2|15|0.5|0.7071067811865476");
}

TEST_F(ExecutionTest, MakeBagPercentileAndLimits) {
  Schema schema = {{"k", KqlType::kString}, {"d", KqlType::kDynamic}, {"v", KqlType::kLong}};
  std::vector<Row> rows;
  for (int i = 0; i < 10; ++i) {
    rows.push_back({Value::String(i % 2 ? "odd" : "even"),
                    Value::FromDynamic(ParseJson("{\"p" + std::to_string(i % 3) + "\":" + std::to_string(i) + "}")),
                    Value::Long(i)});
  }
  AddTable("T", schema, rows, 3);
  std::vector<BoundExprPtr> keys;
  keys.push_back(Col(schema, "k"));
  std::vector<BoundAggregate> aggregates;
  aggregates.push_back(Agg("make_bag", Args(Col(schema, "d")), {{"bag", KqlType::kDynamic}}));
  aggregates.push_back(Agg("make_list", Args(Col(schema, "v"), Const(Value::Long(2))), {{"l2", KqlType::kDynamic}}));
  aggregates.push_back(Agg("percentile", Args(Col(schema, "v"), Const(Value::Long(50))), {{"p50", KqlType::kLong}}));
  auto plan = Aggregate(Scan("T", schema), std::move(keys), std::move(aggregates));
  EXPECT_EQ(Run(*plan), std::vector<std::string>({R"(even|{"p0":0,"p2":2,"p1":4}|[0,2]|4)",
                                                  R"(odd|{"p1":1,"p0":3,"p2":5}|[1,3]|5)"}));
}

Schema NumberSchema() { return {{"n", KqlType::kLong}, {"s", KqlType::kString}}; }

std::vector<Row> NumberRows() {
  return {{Value::Long(3), Value::String("c")},  {Value::Null(KqlType::kLong), Value::String("n")},
          {Value::Long(1), Value::String("a")},  {Value::Long(3), Value::String("c2")},
          {Value::Long(2), Value::String("b")},  {Value::Long(1), Value::String("a")}};
}

TEST_F(ExecutionTest, SortIsStableWithNullPlacement) {
  Schema schema = NumberSchema();
  AddTable("T", schema, NumberRows(), 2);
  auto sort = std::make_unique<LogicalSort>();
  sort->schema = schema;
  sort->keys.push_back({Col(schema, "n"), true, true});
  sort->children.push_back(Scan("T", schema));
  EXPECT_EQ(Run(*sort), std::vector<std::string>({"null|n", "1|a", "1|a", "2|b", "3|c", "3|c2"}));

  auto desc = std::make_unique<LogicalSort>();
  desc->schema = schema;
  desc->keys.push_back({Col(schema, "n"), false, false});
  desc->keys.push_back({Col(schema, "s"), true, false});
  desc->children.push_back(Scan("T", schema));
  EXPECT_EQ(Run(*desc), std::vector<std::string>({"3|c", "3|c2", "2|b", "1|a", "1|a", "null|n"}));

  // A computed key (s > "b") is evaluated upstream and dropped from the output.
  auto computed = std::make_unique<LogicalSort>();
  computed->schema = schema;
  computed->keys.push_back({Call(">", KqlType::kBool, Col(schema, "s"), Const(Value::String("b"))), false, false});
  computed->children.push_back(Scan("T", schema));
  EXPECT_EQ(Run(*computed), std::vector<std::string>({"3|c", "null|n", "3|c2", "1|a", "2|b", "1|a"}));
}

TEST_F(ExecutionTest, TopLimitDistinct) {
  Schema schema = NumberSchema();
  std::vector<Row> rows;
  for (int i = 0; i < 50; ++i) rows.push_back({Value::Long(i % 10), Value::String("s" + std::to_string(i))});
  AddTable("T", schema, rows, 4);

  auto top = std::make_unique<LogicalTop>();
  top->schema = schema;
  top->limit = 3;
  top->keys.push_back({Col(schema, "n"), false, false});
  top->children.push_back(Scan("T", schema));
  EXPECT_EQ(Run(*top), std::vector<std::string>({"9|s9", "9|s19", "9|s29"}));

  auto limit = std::make_unique<LogicalLimit>();
  limit->schema = schema;
  limit->limit = 5;
  limit->children.push_back(Scan("T", schema));
  EXPECT_EQ(Run(*limit), std::vector<std::string>({"0|s0", "1|s1", "2|s2", "3|s3", "4|s4"}));

  auto project = std::make_unique<LogicalProject>();
  project->schema = {{"n", KqlType::kLong}};
  project->exprs.push_back(Col(schema, "n"));
  project->children.push_back(Scan("T", schema));
  auto distinct = std::make_unique<LogicalDistinct>();
  distinct->schema = project->schema;
  distinct->children.push_back(std::move(project));
  EXPECT_EQ(Run(*distinct), std::vector<std::string>({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
}

TEST_F(ExecutionTest, ValuesRangeAndProject) {
  auto values = std::make_unique<LogicalValues>();
  values->schema = {{"a", KqlType::kLong}, {"b", KqlType::kString}};
  values->rows = {{Value::Long(1), Value::String("x")}, {Value::Long(-1), Value::String("")}};
  auto project = std::make_unique<LogicalProject>();
  project->schema = {{"b", KqlType::kString}, {"big", KqlType::kBool}};
  project->exprs.push_back(Col(values->schema, "b"));
  project->exprs.push_back(Call(">", KqlType::kBool, Col(values->schema, "a"), Const(Value::Long(0))));
  project->children.push_back(std::move(values));
  EXPECT_EQ(Run(*project), std::vector<std::string>({"x|true", "(empty)|false"}));

  auto range = std::make_unique<LogicalRange>();
  range->schema = {{"x", KqlType::kLong}};
  range->start = Const(Value::Long(1));
  range->stop = Const(Value::Long(10));
  range->step = Const(Value::Long(4));
  EXPECT_EQ(Run(*range), std::vector<std::string>({"1", "5", "9"}));

  auto empty = std::make_unique<LogicalRange>();
  empty->schema = {{"x", KqlType::kLong}};
  empty->start = Const(Value::Long(5));
  empty->stop = Const(Value::Long(1));
  empty->step = Const(Value::Long(1));
  EXPECT_TRUE(Run(*empty).empty());

  auto times = std::make_unique<LogicalRange>();
  times->schema = {{"t", KqlType::kDateTime}};
  times->start = Const(Value::DateTime(0));
  times->stop = Const(Value::DateTime(36000000000LL * 2));
  times->step = Const(Value::TimeSpan(36000000000LL));
  EXPECT_EQ(Run(*times), std::vector<std::string>({"1970-01-01T00:00:00Z", "1970-01-01T01:00:00Z",
                                                   "1970-01-01T02:00:00Z"}));
}

std::unique_ptr<LogicalJoin> MakeJoin(JoinKind kind, const Schema& left, const Schema& right) {
  auto join = std::make_unique<LogicalJoin>();
  join->join_kind = kind;
  join->left_keys = {0};
  join->right_keys = {0};
  bool left_only = kind == JoinKind::kLeftSemi || kind == JoinKind::kLeftAnti;
  bool right_only = kind == JoinKind::kRightSemi || kind == JoinKind::kRightAnti;
  if (!right_only) {
    for (size_t c = 0; c < left.size(); ++c) {
      join->output_map.push_back({0, c});
      join->schema.push_back(left[c]);
    }
  }
  if (!left_only) {
    for (size_t c = 0; c < right.size(); ++c) {
      join->output_map.push_back({1, c});
      join->schema.push_back({right[c].name + "1", right[c].type});
    }
  }
  join->children.push_back(Scan("L", left));
  join->children.push_back(Scan("R", right));
  return join;
}

TEST_F(ExecutionTest, JoinKinds) {
  Schema left = {{"k", KqlType::kLong}, {"l", KqlType::kString}};
  Schema right = {{"k", KqlType::kLong}, {"r", KqlType::kString}};
  AddTable("L", left,
           {{Value::Long(1), Value::String("l1")},
            {Value::Long(2), Value::String("l2")},
            {Value::Long(1), Value::String("l1b")},
            {Value::Null(KqlType::kLong), Value::String("lnull")},
            {Value::Long(4), Value::String("l4")}},
           2);
  AddTable("R", right,
           {{Value::Long(1), Value::String("r1")},
            {Value::Long(3), Value::String("r3")},
            {Value::Long(1), Value::String("r1b")},
            {Value::Null(KqlType::kLong), Value::String("rnull")},
            {Value::Long(2), Value::String("r2")}},
           2);
  // Null keys match each other, as in Microsoft's engine.
  using V = std::vector<std::string>;
  EXPECT_EQ(Run(*MakeJoin(JoinKind::kInnerUnique, left, right)),
            V({"1|l1|1|r1", "1|l1|1|r1b", "2|l2|2|r2", "null|lnull|null|rnull"}));
  EXPECT_EQ(Run(*MakeJoin(JoinKind::kInner, left, right)),
            V({"1|l1|1|r1", "1|l1|1|r1b", "2|l2|2|r2", "1|l1b|1|r1", "1|l1b|1|r1b", "null|lnull|null|rnull"}));
  EXPECT_EQ(Run(*MakeJoin(JoinKind::kLeftOuter, left, right)),
            V({"1|l1|1|r1", "1|l1|1|r1b", "2|l2|2|r2", "1|l1b|1|r1", "1|l1b|1|r1b", "null|lnull|null|rnull",
               "4|l4|null|(empty)"}));
  EXPECT_EQ(Run(*MakeJoin(JoinKind::kRightOuter, left, right)),
            V({"1|l1|1|r1", "1|l1|1|r1b", "2|l2|2|r2", "1|l1b|1|r1", "1|l1b|1|r1b", "null|lnull|null|rnull",
               "null|(empty)|3|r3"}));
  EXPECT_EQ(Run(*MakeJoin(JoinKind::kFullOuter, left, right)),
            V({"1|l1|1|r1", "1|l1|1|r1b", "2|l2|2|r2", "1|l1b|1|r1", "1|l1b|1|r1b", "null|lnull|null|rnull",
               "4|l4|null|(empty)", "null|(empty)|3|r3"}));
  EXPECT_EQ(Run(*MakeJoin(JoinKind::kLeftSemi, left, right)), V({"1|l1", "2|l2", "1|l1b", "null|lnull"}));
  EXPECT_EQ(Run(*MakeJoin(JoinKind::kLeftAnti, left, right)), V({"4|l4"}));
  EXPECT_EQ(Run(*MakeJoin(JoinKind::kRightSemi, left, right)), V({"1|r1", "1|r1b", "null|rnull", "2|r2"}));
  EXPECT_EQ(Run(*MakeJoin(JoinKind::kRightAnti, left, right)), V({"3|r3"}));
}

TEST_F(ExecutionTest, UnionAlignsColumnsAndNamesSources) {
  Schema a = {{"x", KqlType::kLong}, {"y", KqlType::kString}};
  Schema b = {{"y", KqlType::kString}, {"z", KqlType::kReal}};
  AddTable("A", a, {{Value::Long(1), Value::String("a1")}, {Value::Long(2), Value::String("a2")}}, 1);
  AddTable("B", b, {{Value::String("b1"), Value::Real(0.5)}}, 1);
  auto union_op = std::make_unique<LogicalUnion>();
  union_op->schema = {{"x", KqlType::kLong}, {"y", KqlType::kString}, {"z", KqlType::kReal}, {"src", KqlType::kString}};
  union_op->child_maps = {{0, 1, -1}, {-1, 0, 1}};
  union_op->source_column = "src";
  union_op->source_names = {"A", "B"};
  union_op->children.push_back(Scan("A", a));
  union_op->children.push_back(Scan("B", b));
  EXPECT_EQ(Run(*union_op), std::vector<std::string>({"1|a1|null|A", "2|a2|null|A", "null|b1|0.5|B"}));
}

TEST_F(ExecutionTest, MvExpandArraysBagsNullsAndEmpties) {
  Schema schema = {{"id", KqlType::kLong}, {"d", KqlType::kDynamic}};
  AddTable("T", schema,
           {{Value::Long(1), Value::FromDynamic(ParseJson("[1,2,3]"))},
            {Value::Long(2), Value::FromDynamic(ParseJson("[]"))},
            {Value::Long(3), Value::Null(KqlType::kDynamic)},
            {Value::Long(4), Value::FromDynamic(ParseJson("{\"a\":1,\"b\":[2]}"))},
            {Value::Long(5), Value::FromDynamic(ParseJson("7"))}},
           2);
  auto expand = std::make_unique<LogicalMvExpand>();
  expand->schema = {{"id", KqlType::kLong}, {"d", KqlType::kDynamic}, {"i", KqlType::kLong}};
  expand->columns = {1};
  expand->target_types = {KqlType::kDynamic};
  expand->item_index_column = "i";
  expand->children.push_back(Scan("T", schema));
  EXPECT_EQ(Run(*expand), std::vector<std::string>({"1|1|0", "1|2|1", "1|3|2", "3|null|0", R"(4|{"a":1}|0)",
                                                    R"(4|{"b":[2]}|1)", "5|7|0"}));

  auto typed = std::make_unique<LogicalMvExpand>();
  typed->schema = {{"id", KqlType::kLong}, {"d", KqlType::kLong}};
  typed->columns = {1};
  typed->target_types = {KqlType::kLong};
  typed->row_limit = 2;
  typed->children.push_back(Scan("T", schema));
  EXPECT_EQ(Run(*typed), std::vector<std::string>({"1|1", "1|2", "3|null", "4|null", "4|null", "5|7"}));
}

TEST_F(ExecutionTest, ErrorsBecomeQueryErrors) {
  Schema schema = {{"x", KqlType::kLong}};
  ExecutionContext context;
  auto missing = Scan("Nope", schema);
  EXPECT_THROW(ExecutePlan(*missing, context), QueryError);

  AddTable("T", schema, {{Value::Long(1)}});
  context.threads = 4;
  context.sources["T"] = std::make_shared<MemoryTableSource>("T", tables_["T"]);
  std::vector<BoundAggregate> aggregates;
  aggregates.push_back(Agg("no_such_aggregate", Args(Col(schema, "x")), {{"y", KqlType::kLong}}));
  auto plan = Aggregate(Scan("T", schema), {}, std::move(aggregates));
  EXPECT_THROW(ExecutePlan(*plan, context), QueryError);
}

TEST_F(ExecutionTest, LargeParallelAggregateIsDeterministic) {
  Schema schema = EventSchema();
  AddTable("Events", schema, EventRows(20000), 97);
  std::vector<BoundExprPtr> keys;
  keys.push_back(Col(schema, "Computer"));
  std::vector<BoundAggregate> aggregates;
  aggregates.push_back(Agg("count", {}, {{"c", KqlType::kLong}}));
  aggregates.push_back(Agg("make_list", Args(Col(schema, "Id"), Const(Value::Long(5))), {{"l", KqlType::kDynamic}}));
  aggregates.push_back(Agg("dcount", Args(Col(schema, "Cmd")), {{"d", KqlType::kLong}}));
  auto plan = Aggregate(Scan("Events", schema), std::move(keys), std::move(aggregates));
  auto result = Run(*plan);
  ASSERT_EQ(result.size(), 7u);
  EXPECT_EQ(result[0], "host0|2858|[0,7,14,21,28]|8");
}

}  // namespace
}  // namespace kql
