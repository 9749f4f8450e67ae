// LogicalOperator: the logical plan — what to compute, free of execution details, so that execution and a
// later SQL back end can both consume it. The binder builds it; the optimizer rewrites it; execution runs it.
// Each operator evaluates its expressions against its first child's output schema (column_index refers to it).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "plan/bound_expression.h"
#include "types/schema.h"
#include "plan/layer.h"

namespace kql::plan {

/// The kinds of logical operators.
enum class LogicalKind {
  kScan,       ///< LogicalScan: read a named table.
  kValues,     ///< LogicalValues: inline rows (datatable, print's single empty row).
  kRange,      ///< LogicalRange: the `range` operator.
  kFilter,     ///< LogicalFilter: where.
  kProject,    ///< LogicalProject: project, extend, project-away/rename/keep/reorder (all as expression lists).
  kAggregate,  ///< LogicalAggregate: summarize, count.
  kSort,       ///< LogicalSort: sort/order by.
  kTop,        ///< LogicalTop: top N by.
  kLimit,      ///< LogicalLimit: take/limit.
  kDistinct,   ///< LogicalDistinct: distinct over all input columns.
  kJoin,       ///< LogicalJoin: join, lookup.
  kUnion,      ///< LogicalUnion: union of children, columns aligned by name.
  kMvExpand,   ///< LogicalMvExpand: mv-expand.
  kParse,      ///< LogicalParse (plan/logical_parse.h): parse, parse-where.
  kWindow,     ///< LogicalWindow (plan/logical_window.h): row_number, row_cumsum, prev, next over serialized rows.
  kMakeSeries, ///< LogicalMakeSeries (plan/logical_make_series.h): make-series arrays over an aggregate.
  kParseKv,    ///< LogicalParseKv (plan/logical_parse_kv.h): parse-kv.
  kSequenceScan,  ///< LogicalSequenceScan (plan/logical_sequence_scan.h): scan.
  kApply,         ///< LogicalApply (plan/logical_apply.h): partition, mv-apply.
  kPatternMining, ///< LogicalPatternMining (plan/logical_pattern_mining.h): evaluate basket / autocluster.
  kGraph,         ///< LogicalGraph (plan/logical_graph.h): make-graph and the graph operators.
};

/// Base of all logical operators.
struct LogicalOperator {
  explicit LogicalOperator(LogicalKind kind) : kind(kind) {}
  virtual ~LogicalOperator() = default;

  LogicalKind kind;
  Schema schema;                                           ///< Output columns.
  std::vector<std::unique_ptr<LogicalOperator>> children;  ///< Inputs (most have one).

  /// Deep copy.
  virtual std::unique_ptr<LogicalOperator> Clone() const = 0;
  /// One-line description for plan printing, e.g. `Filter CommandLine has "powershell"`.
  virtual std::string Describe() const = 0;

  /// Downcasts; asserts the kind matches.
  template <typename T>
  T& As() {
    return static_cast<T&>(*this);
  }
  template <typename T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }
};

using LogicalOperatorPtr = std::unique_ptr<LogicalOperator>;

/// Reads a table by name. `schema` is the produced columns (after pruning), each found in `table_schema`.
struct LogicalScan : LogicalOperator {
  LogicalScan() : LogicalOperator(LogicalKind::kScan) {}
  std::string table_name;
  Schema table_schema;  ///< All columns the table has (the catalog's or the source's schema).
  /// Conjunction of disjunctions of literal strings a matching row's raw bytes must contain (case-insensitive);
  /// filled by the optimizer, used by readers to skip records without parsing.
  std::vector<std::vector<std::string>> prefilter;
  /// Parallel to `prefilter`: per conjunct, the string columns (of `schema`) whose values its literals were derived
  /// from, so a literal can only be in one of their values; empty when it may lie anywhere in the record.
  std::vector<std::vector<std::string>> prefilter_columns;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Inline rows; `rows[i][j]` has type schema[j].type. `print` is a Project over one row with no columns.
struct LogicalValues : LogicalOperator {
  LogicalValues() : LogicalOperator(LogicalKind::kValues) {}
  std::vector<std::vector<Value>> rows;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// `range name from start to stop step step`; the bounds are constant expressions of the column's type.
struct LogicalRange : LogicalOperator {
  LogicalRange() : LogicalOperator(LogicalKind::kRange) {}
  BoundExprPtr start;
  BoundExprPtr stop;
  BoundExprPtr step;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Keeps rows where `predicate` is true (null counts as false).
struct LogicalFilter : LogicalOperator {
  LogicalFilter() : LogicalOperator(LogicalKind::kFilter) {}
  BoundExprPtr predicate;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Computes one output column per expression (schema[i] is exprs[i]'s name and type).
struct LogicalProject : LogicalOperator {
  LogicalProject() : LogicalOperator(LogicalKind::kProject) {}
  std::vector<BoundExprPtr> exprs;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Groups by `keys` and computes `aggregates`; output is the keys, then each aggregate's outputs.
/// With no keys it yields exactly one row, even over empty input.
struct LogicalAggregate : LogicalOperator {
  LogicalAggregate() : LogicalOperator(LogicalKind::kAggregate) {}
  std::vector<BoundExprPtr> keys;
  std::vector<BoundAggregate> aggregates;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// One sort key.
struct SortKey {
  BoundExprPtr expr;
  bool ascending = false;   ///< KQL's default order is descending.
  bool nulls_first = false;  ///< KQL default: nulls first when ascending, last when descending.
  SortKey Clone() const;
};

/// Sorts all rows by the keys (stable).
struct LogicalSort : LogicalOperator {
  LogicalSort() : LogicalOperator(LogicalKind::kSort) {}
  std::vector<SortKey> keys;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// The first `limit` rows by the keys.
struct LogicalTop : LogicalOperator {
  LogicalTop() : LogicalOperator(LogicalKind::kTop) {}
  std::vector<SortKey> keys;
  int64_t limit = 0;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Any `limit` rows (the first ones in input order when the input is ordered).
struct LogicalLimit : LogicalOperator {
  LogicalLimit() : LogicalOperator(LogicalKind::kLimit) {}
  int64_t limit = 0;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Distinct rows over all input columns.
struct LogicalDistinct : LogicalOperator {
  LogicalDistinct() : LogicalOperator(LogicalKind::kDistinct) {}
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Join flavours; KQL's default is kInnerUnique.
enum class JoinKind { kInnerUnique, kInner, kLeftOuter, kRightOuter, kFullOuter, kLeftAnti, kRightAnti, kLeftSemi, kRightSemi };

/// Equi-join of children[0] (left) and children[1] (right) on key columns.
/// Output: for semi/anti kinds the kept side's columns; otherwise left columns then right columns, where a right
/// column whose name clashes gets a numeric suffix (DeviceId -> DeviceId1), as Kusto does.
/// For lookup (is_lookup), right key columns are dropped from the output.
struct LogicalJoin : LogicalOperator {
  LogicalJoin() : LogicalOperator(LogicalKind::kJoin) {}
  JoinKind join_kind = JoinKind::kInnerUnique;
  std::vector<size_t> left_keys;   ///< Indices into the left schema.
  std::vector<size_t> right_keys;  ///< Indices into the right schema.
  /// For each output column: {0 = left, 1 = right} and the index in that side's schema.
  std::vector<std::pair<int, size_t>> output_map;
  bool is_lookup = false;
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Concatenates children. `schema` is the union of their columns by name; `child_maps[c][i]` is the index of
/// output column i in child c's schema, or -1 when the child lacks it (null-filled).
/// With `source_column`, an extra last column names each row's source (withsource=).
struct LogicalUnion : LogicalOperator {
  LogicalUnion() : LogicalOperator(LogicalKind::kUnion) {}
  std::vector<std::vector<int64_t>> child_maps;
  std::string source_column;             ///< Empty unless withsource= was given.
  std::vector<std::string> source_names;  ///< Per child, the value of source_column.
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Expands dynamic arrays/bags in `columns` into one row per element.
struct LogicalMvExpand : LogicalOperator {
  LogicalMvExpand() : LogicalOperator(LogicalKind::kMvExpand) {}
  std::vector<size_t> columns;        ///< Input columns to expand (dynamic); expanded in lockstep.
  std::vector<KqlType> target_types;  ///< The type each expanded column converts to (to typeof(...)).
  std::string item_index_column;      ///< with_itemindex= column name, or empty.
  int64_t row_limit = -1;             ///< limit N, or -1.
  bool bag_as_array = false;          ///< kind=array / bagexpansion=array: a bag expands to [key, value] pairs.
  LogicalOperatorPtr Clone() const override;
  std::string Describe() const override;
};

/// Renders an indented plan tree, two spaces per level.
std::string PrintPlan(const LogicalOperator& root);

/// The KQL name of a join kind ("innerunique", "leftouter", ...).
std::string JoinKindName(JoinKind kind);

}  // namespace kql::plan
