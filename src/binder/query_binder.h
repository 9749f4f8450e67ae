// QueryBinder: the binder's working state for one query — let scopes, the catalog, diagnostics and depth guards.
// Internal to the binder library; the public entry point is Bind() in binder.h.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "binder/binder.h"
#include "binder/function_registry.h"
#include "catalog/catalog.h"
#include "plan/logical_operator.h"
#include "syntax/parser.h"
#include "binder/layer.h"

namespace kql::binder {

/// What a let name (or function parameter) stands for.
struct LetBinding {
  enum class Kind { kScalar, kTabular, kFunction, kError };
  Kind kind = Kind::kError;
  BoundExprPtr scalar;                          ///< kScalar: cloned at each use.
  LogicalOperatorPtr plan;                      ///< kTabular: cloned at each use.
  const FunctionDeclExpr* function = nullptr;  ///< kFunction: inlined at each call.
};

/// Assigns unique result column names: `x`, then `x1`, `x2`...; and Column1, Column2... for unnamed items.
class ColumnNamer {
 public:
  /// Marks a name as taken.
  void Reserve(const std::string& name) { taken_.push_back(name); }
  /// Returns `name` or the first free `name<N>`, and marks it taken.
  std::string Unique(const std::string& name);
  /// Returns the next free generated name Column<N>, and marks it taken.
  std::string NextGenerated();
  /// True when the name is taken.
  bool IsTaken(const std::string& name) const;

 private:
  std::vector<std::string> taken_;
  int generated_ = 0;
};

/// Binds one query. Methods report diagnostics and return error placeholders instead of throwing.
class QueryBinder {
 public:
  /// A stored function parsed for this query (bind_stored_function.cpp).
  struct ParsedStoredFunction;

  QueryBinder(const Catalog& catalog, const BindOptions& options, DiagnosticBag& diagnostics)
      : catalog_(catalog), options_(options), diagnostics_(diagnostics) {}

  /// Binds the statements and the final tabular expression.
  LogicalOperatorPtr BindQuery(const Query& query);

  // --- Statements and lets (binder.cpp) ---
  void BindStatements(const std::vector<Statement>& statements);
  void BindLet(const Statement& statement);
  /// Binds a value that may be scalar or tabular (let values, function bodies).
  LetBinding BindValue(const Expr& expr, const Schema& input);
  /// Finds the innermost binding of a name; nullptr when none.
  const LetBinding* FindLet(std::string_view name) const;
  /// Finds a stored function of the catalog as a function binding (parsed on first use); nullptr when none.
  const LetBinding* FindStoredFunction(std::string_view name) const;
  /// Replaces the diagnostics reported inside a stored function's body since `first` (their spans point into its
  /// text, not the query's) by one KQL2040 error at the call naming the function, its file and line.
  void ReportStoredFunctionErrors(const ParsedStoredFunction& function, const CallExpr& call, size_t first);
  /// True when every parameter of the function has a default, so that it can be called without parentheses.
  static bool CallableWithoutArguments(const FunctionDeclExpr& function);
  /// Inlines a call by bare name (`f` for `f()`) of a function whose parameters all have defaults.
  LetBinding InlineWithoutArguments(const FunctionDeclExpr& function, const std::string& name, SourceSpan span,
                                    const Schema& input);
  /// Inlines a user function call; returns a scalar or tabular binding.
  LetBinding InlineFunction(const FunctionDeclExpr& function, const CallExpr& call, const Schema& input);
  /// Reports a diagnostic at a span.
  void Error(std::string_view code, SourceSpan span, std::string message);

  // --- Tabular expressions (bind_tabular.cpp) ---
  LogicalOperatorPtr BindPipeline(const Pipeline& pipeline, LogicalOperatorPtr implicit_input);
  LogicalOperatorPtr BindSource(const Operator& source);
  LogicalOperatorPtr BindOperator(const Operator& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindTableName(const std::string& name, SourceSpan span);
  LogicalOperatorPtr BindProject(const std::vector<NamedExpr>& items, LogicalOperatorPtr input);
  /// A project item's result name: its own, else the derived name made unique, else the next Column<N>.
  std::string ItemName(const NamedExpr& item, ColumnNamer& namer) const;
  LogicalOperatorPtr BindExtend(const ProjectOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindColumnList(const ColumnListOp& op, LogicalOperatorPtr input);
  /// KQL2023 for a column pattern that matched no column of `schema` (none over an error schema), with a
  /// "did you mean"; `prefix` names the operator ("facet: ") or is empty.
  void ReportPatternNoMatch(const ColumnPattern& pattern, const Schema& schema, const std::string& prefix);
  LogicalOperatorPtr BindRename(const ProjectOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindSummarize(const SummarizeOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindJoin(const JoinOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindUnion(const UnionOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindMvExpand(const MvExpandOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindDatatable(const DatatableOp& op);
  LogicalOperatorPtr BindPrint(const PrintOp& op);
  LogicalOperatorPtr BindRange(const RangeOp& op);
  LogicalOperatorPtr ErrorPlan();
  /// fork and facet (bind_multi_result.cpp): the first result table's plan; the others go to more_results_.
  LogicalOperatorPtr BindMultiResult(const Operator& op, LogicalOperatorPtr input);
  /// evaluate basket / autocluster (bind_pattern_mining.cpp).
  LogicalOperatorPtr BindPatternMining(const CallExpr& call, LogicalOperatorPtr input);
  /// parse / parse-where (bind_parse.cpp).
  LogicalOperatorPtr BindParse(const ParseOp& op, LogicalOperatorPtr input);
  /// evaluate plugin(...) (bind_evaluate.cpp): bag_unpack.
  LogicalOperatorPtr BindEvaluate(const EvaluateOp& op, LogicalOperatorPtr input);
  /// Binds KQL text (`op | op...`) over `input`, which the text reads as `__evaluate_input`; diagnostics go to
  /// `span` (bind_pivot.cpp).
  LogicalOperatorPtr BindRewrite(const std::string& pipeline_text, LogicalOperatorPtr input, SourceSpan span);
  /// evaluate narrow() and evaluate pivot(...) (bind_pivot.cpp).
  LogicalOperatorPtr BindNarrow(const CallExpr& call, LogicalOperatorPtr input);
  LogicalOperatorPtr BindPivot(const EvaluateOp& op, LogicalOperatorPtr input);
  /// Computes each extend/project item that calls a multi-column function (series_stats(x)...) once, as a hidden
  /// column of an extend below, and maps the call to it (released with ReleaseWindowCalls) (bind_multi_output.cpp).
  LogicalOperatorPtr BindMultiOutputCalls(const std::vector<NamedExpr>& items, LogicalOperatorPtr input,
                                          std::vector<const CallExpr*>& bound_calls);
  /// An extend/project item calling a function Kusto expands into several columns (series_stats(x)...): adds
  /// those columns to `project` and returns true; false when the item is anything else (bind_multi_output.cpp).
  /// evaluate rolling_percentile / activity_counts_metrics / active_users_count, bound as a KQL template over the
  /// input; nullptr (input untouched) for other plugins.
  LogicalOperatorPtr BindPluginTemplate(const CallExpr& call, LogicalOperatorPtr& input);
  /// project-by-names over the raw argument text of its generic node.
  LogicalOperatorPtr BindProjectByNames(const GenericOp& op, LogicalOperatorPtr input);
  /// One filter by the search predicate over each source (consumed).
  std::vector<LogicalOperatorPtr> SearchFilters(const SearchOp& op, std::vector<LogicalOperatorPtr>& sources,
                                                bool case_sensitive);
  /// array_sort_asc/desc with several arrays as an extend/project item: one <argument>_sorted column per array.
  bool BindArraySortOutputs(const NamedExpr& item, const CallExpr& call, const BoundExpr& sorted, ColumnNamer& namer,
                            LogicalProject& project);
  bool BindMultiOutputItem(const NamedExpr& item, const Schema& input, ColumnNamer& namer, LogicalProject& project,
                           bool replace_existing);
  /// A by key of summarize or make-series: bound, rejected when dynamic, named (bind_summarize.cpp).
  BoundExprPtr BindGroupKey(const NamedExpr& item, const Schema& input, ColumnNamer& namer, std::string_view op,
                            std::string& name);
  /// make-series (bind_make_series.cpp).
  LogicalOperatorPtr BindMakeSeries(const MakeSeriesOp& op, LogicalOperatorPtr input);
  /// search (bind_search.cpp): `input` is the piped table, or nullptr at the start of a pipeline.
  LogicalOperatorPtr BindSearch(const SearchOp& op, LogicalOperatorPtr input);
  /// find (bind_search.cpp): a filter per table that the predicate binds over, the columns of `project` or
  /// project-smart, `source_` and `pack_`.
  LogicalOperatorPtr BindFind(const FindOp& op);
  /// Binds every table that has data (search and find without `in`), in name order; false when the host does not
  /// know which tables have data (explain, lint).
  bool BindDataTables(SourceSpan span, std::vector<LogicalOperatorPtr>& sources, std::vector<std::string>& names);
  /// invoke f(args) (bind_invoke.cpp).
  LogicalOperatorPtr BindInvoke(const InvokeOp& op, LogicalOperatorPtr input);
  /// top-hitters (bind_top.cpp).
  LogicalOperatorPtr BindTopHitters(const TopHittersOp& op, LogicalOperatorPtr input);
  /// partition by and mv-apply (bind_apply.cpp).
  LogicalOperatorPtr BindPartition(const PartitionOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindLegacyPartition(const PartitionOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindMvApply(const MvExpandOp& op, LogicalOperatorPtr input);
  /// evaluate ipv4_lookup(T, ip, range [, return_unmatched]) (bind_apply.cpp: one lookup per input row).
  LogicalOperatorPtr BindIpv4Lookup(const CallExpr& call, LogicalOperatorPtr input);
  std::optional<size_t> BindPluginColumn(const Expr& expr, const Schema& schema, const std::string& plugin);
  /// evaluate geo_polygon_lookup / geo_line_lookup (bind_geo_lookup.cpp: one lookup per input row).
  LogicalOperatorPtr BindGeoLookup(const CallExpr& call, LogicalOperatorPtr input);
  /// evaluate schema_merge(PreserveOrder) (bind_schema_merge.cpp: runs its getschema-shaped input while binding).
  LogicalOperatorPtr BindSchemaMerge(const CallExpr& call, LogicalOperatorPtr input);
  /// top-nested (bind_apply.cpp: its per-group tops are partitions).
  LogicalOperatorPtr BindTopNested(const TopNestedOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr TopNestedOthers(const LogicalOperator& input, const std::vector<BoundExprPtr>& of_exprs,
                                     const LogicalOperator* parents, const LogicalOperator& tops,
                                     BoundAggregate aggregate, BoundExprPtr others_value, const Schema& result_columns);
  /// externaldata (bind_external_data.cpp).
  LogicalOperatorPtr BindExternalData(const ExternalDataOp& op);
  /// make-graph, graph-mark-components, graph-to-table (bind_graph.cpp), graph-match and graph-shortest-paths
  /// (bind_graph_match.cpp).
  LogicalOperatorPtr BindGraphOperator(const Operator& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindMakeGraph(const MakeGraphOp& op, LogicalOperatorPtr input);
  LogicalOperatorPtr BindGraphMatch(const GraphMatchOp& op, LogicalOperatorPtr input);
  /// scan (bind_scan.cpp).
  LogicalOperatorPtr BindSequenceScan(const ScanOp& op, LogicalOperatorPtr input);
  /// The parsed expression of parse / parse-where / parse-kv, as a string (bind_parse.cpp).
  BoundExprPtr BindParseSource(const ParseOp& op, const Schema& schema);
  /// `* op value`: the operator applied to every column as text; any column matching counts, except for negated
  /// operators (!has, !contains...), which must hold for every column (bind_search.cpp).
  BoundExprPtr BindStarPredicate(const BinaryExpr& binary, const Schema& input, bool case_sensitive);
  /// parse-kv (bind_parse_kv.cpp).
  LogicalOperatorPtr BindParseKv(const ParseOp& op, LogicalOperatorPtr input);
  /// Binds the tables of union / search: `T*` expands to the matching tables that have data, a catalog table is
  /// named by its name and anything else `<arg_prefix><N>`; with `fuzzy`, missing tables are skipped (bind_join.cpp).
  void BindTableList(const std::vector<PipelinePtr>& tables, const std::string& arg_prefix, bool fuzzy,
                     std::vector<LogicalOperatorPtr>& children, std::vector<std::string>& names);
  /// Unions bound children by column name (bind_join.cpp); with `source_column`, a first column holds each row's
  /// entry of `source_names`.
  LogicalOperatorPtr MakeUnion(std::vector<LogicalOperatorPtr> children, const std::vector<std::string>& source_names,
                               bool inner, const std::string& source_column);
  /// Wraps `input` in a LogicalWindow computing the window function calls found in `items` and maps each call to
  /// its column (bind_window.cpp); returns `input` unchanged when there are none. The calls are appended to
  /// `bound_calls`, which the caller passes to ReleaseWindowCalls once the items are bound.
  LogicalOperatorPtr BindWindowCalls(const std::vector<const Expr*>& items, LogicalOperatorPtr input,
                                     std::vector<const CallExpr*>& bound_calls);
  void ReleaseWindowCalls(const std::vector<const CallExpr*>& bound_calls);
  /// toscalar(subquery) folded to a constant (bind_toscalar.cpp).
  BoundExprPtr BindToScalar(const CallExpr& call, const Schema& input);
  std::optional<int64_t> BindConstantCount(const Expr& expr);
  std::vector<SortKey> BindSortKeys(const std::vector<SortTerm>& keys, const Schema& input);

  // --- Scalar expressions (bind_expression.cpp) ---
  BoundExprPtr BindExpr(const Expr& expr, const Schema& input);
  BoundExprPtr BindPredicate(const Expr& expr, const Schema& input);
  BoundExprPtr BindCall(const CallExpr& call, const Schema& input);
  BoundExprPtr BindLiteral(const LiteralExpr& literal);
  BoundExprPtr BindName(const NameExpr& name, const Schema& input);
  BoundExprPtr BindBinary(const BinaryExpr& binary, const Schema& input);
  /// column_ifexists('Name', default): the column when the input has it, else the default.
  BoundExprPtr BindColumnIfExists(const CallExpr& call, const Schema& input);
  BoundExprPtr BindIn(const InExpr& in, const Schema& input);
  BoundExprPtr ErrorExpr(SourceSpan span);
  /// Converts a bound constant to a target type (datatable cells, query parameters); nullopt if impossible.
  std::optional<Value> ConvertConstant(const Value& value, KqlType target);
  /// Derives Kusto's result column name for an unnamed expression; empty when it gets Column<N>.
  std::string DeriveName(const Expr& expr, int depth = 0) const;
  /// Binds an aggregate call of summarize (bind_summarize.cpp).
  std::optional<BoundAggregate> BindAggregate(const CallExpr& call, const Schema& input,
                                              const std::vector<std::string>& explicit_names, ColumnNamer& namer,
                                              const std::vector<ColumnDef>& keys);

  /// Finds aggregate calls inside a summarize item such as tostring(make_set(x)).
  void CollectAggregateCalls(const Expr& expr, std::vector<const CallExpr*>& found, int depth) const;

  const Catalog& catalog_;
  const BindOptions& options_;
  DiagnosticBag& diagnostics_;
  std::vector<std::pair<std::string, LetBinding>> scopes_;
  /// While binding the projection after a summarize: aggregate calls already computed, by output column.
  std::unordered_map<const CallExpr*, size_t> aggregate_columns_;
  int depth_ = 0;
  int apply_count_ = 0;  ///< Names the group inputs of partition / mv-apply sub-plans.
  std::optional<RenderRequest> render_;          ///< Set by `render` (BindResult::render).
  /// The fork or facet that ends the query's tabular expression (the only place either may stand), or nullptr.
  const Operator* result_operator_ = nullptr;
  std::string result_name_;               ///< BindResult::result_name.
  std::vector<NamedPlan> more_results_;   ///< BindResult::more_results.
  std::vector<ExternalTable> external_tables_;  ///< BindResult::external_tables.
  int inline_depth_ = 0;
  /// FindLet sees only scopes_ from this index on: a stored function's body sees its parameters and its own
  /// lets, never the caller's.
  size_t scope_floor_ = 0;
  /// Stored functions parsed in this query (bind_stored_function.cpp), by name, and their declarations.
  mutable std::map<std::string, std::shared_ptr<ParsedStoredFunction>, std::less<>> stored_functions_;
  mutable std::unordered_map<const FunctionDeclExpr*, const ParsedStoredFunction*> stored_declarations_;
  size_t inlined_operators_ = 0;  ///< Operators copied by tabular let references (budgeted).
  /// KQL texts of the plugins bound by template in this query (bind_plugin_templates.cpp); the ASTs must outlive
  /// binding.
  std::vector<std::unique_ptr<ParseResult>> plugin_templates_;
  /// Join condition context: the two sides' schemas while binding `on`; nullptr otherwise.
  const Schema* join_left_ = nullptr;
  const Schema* join_right_ = nullptr;
};

/// Name of the hidden column that marks a plan whose source failed to bind (see QueryBinder::ErrorPlan).
inline constexpr std::string_view kErrorColumnName = "\x01" "error";

/// True when the schema belongs to a plan whose source failed to bind.
bool IsErrorSchema(const Schema& schema);

/// True for a make-graph plan that no graph operator has turned into a table yet (bind_graph.cpp).
bool IsGraphValued(const LogicalOperator& plan);
/// True when a graph-valued plan is anywhere in `plan` (a graph used as a table, e.g. in a union).
bool ContainsGraphValue(const LogicalOperator& plan);
/// True for make-graph and the graph-* operators with a grammar.
bool IsGraphOperator(const Operator& op);

/// A hint for an unknown table or function that looks like a workspace definition: an ASIM parser name
/// (`imNetworkSession`, `_Im_Dns`...) or a custom table (`*_CL`); empty otherwise.
std::string WorkspaceNameHint(std::string_view name);

/// The conversion function to a scalar type (tolong for int and long, todouble for real...); empty for dynamic.
std::string_view ConversionFunctionName(KqlType type);

/// The .NET type name getschema shows in DataType (System.Int32, System.String, System.SByte for bool...).
std::string TypeDataTypeName(KqlType type);

/// The canonical BoundExpr function of a binary operator ("has", "==", ...).
std::string_view BinaryFunction(BinaryOp op);
/// Matches a table name against a pattern with `*` wildcards (union T*, search in (T*)).
bool WildcardMatchName(std::string_view pattern, std::string_view text);
/// The text of an operator parameter's value: identifiers and string literals; empty otherwise.
std::string ParamText(const OperatorParam& param);
/// Unwraps ParenExpr layers.
const Expr& StripParens(const Expr& expr);

}  // namespace kql::binder
