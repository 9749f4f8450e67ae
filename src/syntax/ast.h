// Abstract syntax tree of a KQL query, as produced by the parser: statements, tabular pipelines and expressions.
// Nodes carry source spans and raw literal text; they hold no types or values (the binder adds those).
// Every node kind is a tagged struct: switch on `kind`, then `As<T>()`.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/source_span.h"
#include "syntax/layer.h"

namespace kql::syntax {

struct Expr;
struct Pipeline;
struct Statement;
struct QueryBlock;

using ExprPtr = std::unique_ptr<Expr>;
using PipelinePtr = std::unique_ptr<Pipeline>;

// ---------------------------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------------------------

/// Every expression node kind.
enum class ExprKind {
  kError,         ///< Placeholder left where the parser recovered from an error.
  kLiteral,       ///< LiteralExpr: 1, 'x', datetime(...), 1d, dynamic(...), ...
  kName,          ///< NameExpr: an identifier (column, let name, table, $left, $right).
  kStar,          ///< StarExpr: `*` used as an operand (`where * has "x"`, `typeof(*)`).
  kUnary,         ///< UnaryExpr: -x, +x.
  kBinary,        ///< BinaryExpr: arithmetic, comparison, logical and string operators.
  kIn,            ///< InExpr: in, !in, in~, !in~, has_any, has_all (list or tabular operand).
  kBetween,       ///< BetweenExpr: x between (a .. b), x !between (a .. b).
  kCall,          ///< CallExpr: f(x, y), count(), bag_unpack(x, columnsConflict='...').
  kMember,        ///< MemberExpr: a.b.
  kIndex,         ///< IndexExpr: a[0], a['b'].
  kTypeOf,        ///< TypeOfExpr: typeof(long), typeof(*), a schema `(a:long, b:string)` as an argument.
  kTabular,       ///< TabularExpr: a pipeline used where an expression is allowed (let values, in (T | ...)).
  kFunctionDecl,  ///< FunctionDeclExpr: a lambda `(a:string, b:long=5) { ... }` or `view () { ... }`.
  kParen,         ///< ParenExpr: (x). Kept so that printing and spans stay faithful.
};

/// Base of every expression node. Nodes are owned by std::unique_ptr and never shared.
struct Expr {
  explicit Expr(ExprKind node_kind) : kind(node_kind) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  /// Casts to the derived node type; the caller has checked `kind`.
  template <class T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }
  /// Casts to the derived node type; the caller has checked `kind`.
  template <class T>
  T& As() {
    return static_cast<T&>(*this);
  }
  /// Returns the derived node when `kind` matches T::kKind, otherwise nullptr.
  template <class T>
  const T* TryAs() const {
    return kind == T::kKind ? static_cast<const T*>(this) : nullptr;
  }

  ExprKind kind;    ///< The node kind; decides the derived type.
  SourceSpan span;  ///< The whole expression in the source text.
};

/// Kinds of literal.
enum class LiteralKind {
  kBool,      ///< true, false, bool(null), bool(true)
  kInt,       ///< int(5), int(null)
  kLong,      ///< 123, 0x1F, long(5), long(null)
  kReal,      ///< 1.5, 1e3, real(nan), real(+inf), real(null), double(1)
  kDecimal,   ///< decimal(1.5), decimal(null)
  kString,    ///< 'x', "x", @'x', h'x', ```x```, 'a' 'b' (adjacent parts are concatenated)
  kDateTime,  ///< datetime(2024-01-01), datetime(null), date(...)
  kTimeSpan,  ///< 1d, 2h, 30m, 10s, 100ms, 5microsecond, 1tick, time(1.00:00:00), timespan(null)
  kGuid,      ///< guid(...)
  kDynamic,   ///< dynamic({...}), dynamic([...]), dynamic(null), dynamic(5)
  kNull,      ///< A bare `null` (only inside dynamic/datatable contexts; typed nulls use their own kind).
};

/// A literal. The binder converts `text` to a value; numeric literals also carry their parsed value.
struct LiteralExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kLiteral;
  LiteralExpr() : Expr(kKind) {}
  LiteralKind literal_kind = LiteralKind::kLong;
  /// The literal exactly as written, e.g. `datetime(2024-01-01)`, `@'C:\x'`, `1.5h`.
  std::string raw;
  /// The payload: decoded string value for strings; the text between the parentheses for datetime(...),
  /// guid(...), dynamic(...) (raw JSON), decimal(...), time(...); the number text for numbers (`0x1F`, `1e3`).
  std::string text;
  /// True for typed nulls: long(null), datetime(null), dynamic(null), ...
  bool is_null = false;
  /// kLong/kInt: the value. kTimeSpan: the value in 100 ns ticks, when it could be computed from the text.
  std::optional<int64_t> int_value;
  /// kReal: the value (nan and infinities included).
  std::optional<double> real_value;
};

/// An identifier reference. Bracketed names (`['a b']`) are stored unquoted.
struct NameExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kName;
  NameExpr() : Expr(kKind) {}
  std::string name;  ///< Unquoted name, e.g. `Computer`, `$left`, `a b`.
  bool bracketed = false;  ///< True when written as ['...'] or ["..."].
};

/// A `*` operand.
struct StarExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kStar;
  StarExpr() : Expr(kKind) {}
};

/// Placeholder for an expression that failed to parse; a diagnostic was already reported.
struct ErrorExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kError;
  ErrorExpr() : Expr(kKind) {}
};

/// Unary operators.
enum class UnaryOp { kNegate, kPlus };

/// -x or +x.
struct UnaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kUnary;
  UnaryExpr() : Expr(kKind) {}
  UnaryOp op = UnaryOp::kNegate;
  ExprPtr operand;
};

/// Binary operators, from lowest to highest precedence group.
enum class BinaryOp {
  // Logical.
  kOr,
  kAnd,
  // Comparison.
  kEqual,         ///< ==
  kNotEqual,      ///< != (also <>)
  kLess,          ///< <
  kLessEqual,     ///< <=
  kGreater,       ///< >
  kGreaterEqual,  ///< >=
  kEqualCi,       ///< =~
  kNotEqualCi,    ///< !~
  // String operators (case-insensitive unless _cs).
  kHas,
  kNotHas,
  kHasCs,
  kNotHasCs,
  kHasPrefix,
  kNotHasPrefix,
  kHasPrefixCs,
  kNotHasPrefixCs,
  kHasSuffix,
  kNotHasSuffix,
  kHasSuffixCs,
  kNotHasSuffixCs,
  kContains,
  kNotContains,
  kContainsCs,
  kNotContainsCs,
  kStartsWith,
  kNotStartsWith,
  kStartsWithCs,
  kNotStartsWithCs,
  kEndsWith,
  kNotEndsWith,
  kEndsWithCs,
  kNotEndsWithCs,
  kMatchesRegex,  ///< matches regex
  // Arithmetic.
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
};

/// left op right.
struct BinaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinary;
  BinaryExpr() : Expr(kKind) {}
  BinaryOp op = BinaryOp::kAnd;
  ExprPtr left;
  ExprPtr right;
  SourceSpan op_span;  ///< The operator token(s).
};

/// Set-membership style operators whose right side is a list or a tabular subquery.
enum class InOp { kIn, kNotIn, kInCi, kNotInCi, kHasAny, kHasAll, kHasAnyCs, kHasAllCs };

/// `x in (a, b)`, `x !in~ (T | project y)`, `x has_any ("a", "b")`. A single item of kind kTabular (or a bare
/// name that the binder resolves to a table) is a subquery; otherwise each item is a scalar.
struct InExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kIn;
  InExpr() : Expr(kKind) {}
  InOp op = InOp::kIn;
  ExprPtr left;
  std::vector<ExprPtr> items;
  SourceSpan op_span;
};

/// x between (low .. high), or with `!between`.
struct BetweenExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kBetween;
  BetweenExpr() : Expr(kKind) {}
  bool negated = false;
  ExprPtr operand;
  ExprPtr low;
  ExprPtr high;
};

/// A function call. Named arguments (`columnsConflict='keep_source'`, `with_itemindex=...`) keep their name in
/// `arg_names` (same size as `args`; empty string for positional arguments).
struct CallExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kCall;
  CallExpr() : Expr(kKind) {}
  std::string name;       ///< Function name as written, e.g. `count`, `bag_unpack`, `materialize`.
  SourceSpan name_span;
  ExprPtr target;  ///< Optional qualifier in q.f(x), e.g. `cluster("c")` in cluster("c").database("d").
  std::vector<ExprPtr> args;
  std::vector<std::string> arg_names;
};

/// target.member (including `$left.a`, `T.Col`, `database("x").T`).
struct MemberExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kMember;
  MemberExpr() : Expr(kKind) {}
  ExprPtr target;
  std::string member;
  SourceSpan member_span;
};

/// target[index]; `a['b']` has a string literal index.
struct IndexExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kIndex;
  IndexExpr() : Expr(kKind) {}
  ExprPtr target;
  ExprPtr index;
};

/// A column of a schema: `name:type`. For tabular lambda parameters `T:(x:long)` the type is the schema text
/// and `columns` holds its columns.
struct ColumnDecl {
  std::string name;
  std::string type;  ///< Type name as written (`string`, `long`, `dynamic`, ...), or "*" / a schema text.
  SourceSpan span;
  std::vector<ColumnDecl> columns;  ///< Set only for tabular parameter schemas.
  bool is_tabular = false;          ///< True for `T:(...)` parameters.
};

/// typeof(long), typeof(*), typeof(a:string, b:long); used by mv-expand `to typeof(...)` and plugin arguments.
struct TypeOfExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kTypeOf;
  TypeOfExpr() : Expr(kKind) {}
  std::string type_name;            ///< For a single scalar type: `long`; `*` for typeof(*).
  std::vector<ColumnDecl> columns;  ///< For a schema: each column.
};

/// A tabular pipeline in expression position.
struct TabularExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kTabular;
  TabularExpr() : Expr(kKind) {}
  PipelinePtr pipeline;
};

/// A parameter of a lambda/function declaration or of `declare query_parameters`.
struct FunctionParam {
  ColumnDecl decl;        ///< Name and type (tabular parameters have is_tabular set).
  ExprPtr default_value;  ///< Optional `= value`.
};

/// `(params) { body }` bound by let, or `view (params) { body }`.
struct FunctionDeclExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kFunctionDecl;
  FunctionDeclExpr() : Expr(kKind) {}
  bool is_view = false;
  std::vector<FunctionParam> params;
  std::unique_ptr<QueryBlock> body;
};

/// (inner)
struct ParenExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kParen;
  ParenExpr() : Expr(kKind) {}
  ExprPtr inner;
};

/// An expression with optional result column name(s): `x`, `Name = x`, `(a, b) = f(x)`.
struct NamedExpr {
  std::vector<std::string> names;  ///< Empty when unnamed; several for tuple assignment.
  SourceSpan name_span;            ///< Span of the name part when present.
  ExprPtr expr;
  SourceSpan span;  ///< The whole item.
};

/// `name = value` operator parameters: `kind=inner`, `hint.strategy=shuffle`, `withsource=T`, `isfuzzy=true`.
/// Identifier values (`inner`) are NameExpr; literal values are LiteralExpr.
struct OperatorParam {
  std::string name;  ///< As written, e.g. `kind`, `hint.shufflekey`.
  ExprPtr value;
  SourceSpan span;
};

// ---------------------------------------------------------------------------------------------------------------
// Tabular operators and pipelines
// ---------------------------------------------------------------------------------------------------------------

/// Every tabular node kind. Source kinds start a pipeline; the rest follow a `|`.
enum class OperatorKind {
  // Sources.
  kTableRef,      ///< TableRefOp: T, ['T x'], database("d").T, cluster("c").database("d").T, T* (in union).
  kCallSource,    ///< CallSourceOp: f(x), table('T'), materialize(q), view bodies, toscalar is scalar.
  kSubquery,      ///< SubqueryOp: ( pipeline ).
  kDatatable,     ///< DatatableOp: datatable(a:long)[1, 2].
  kPrint,         ///< PrintOp: print x = 1, y.
  kRange,         ///< RangeOp: range x from a to b step c.
  kExternalData,  ///< ExternalDataOp: externaldata(a:string) [ "uri" ] with (format="csv").
  kFind,          ///< FindOp: find in (T) where ... project ...
  kSearch,        ///< SearchOp: search kind=... in (T) "x" (also after a pipe).
  // Operators (after `|`; union and evaluate may also start a pipeline).
  kWhere,           ///< WhereOp (where, filter).
  kProject,         ///< ProjectOp.
  kExtend,          ///< ProjectOp (kind kExtend).
  kProjectAway,     ///< ColumnListOp.
  kProjectKeep,     ///< ColumnListOp.
  kProjectReorder,  ///< ColumnListOp (items may carry asc/desc...).
  kProjectRename,   ///< ProjectOp (each item: names = {new name}, expr = NameExpr old name).
  kSummarize,       ///< SummarizeOp.
  kSort,            ///< SortOp (sort by, order by).
  kTop,             ///< TopOp.
  kTopNested,       ///< TopNestedOp.
  kTopHitters,      ///< TopHittersOp.
  kTake,            ///< TakeOp (take, limit).
  kSample,          ///< TakeOp (kind kSample).
  kSampleDistinct,  ///< SampleDistinctOp.
  kDistinct,        ///< DistinctOp.
  kCount,           ///< SimpleOp.
  kAs,              ///< AsOp.
  kConsume,         ///< SimpleOp.
  kGetSchema,       ///< SimpleOp.
  kSerialize,       ///< ProjectOp (optional extend-like list).
  kInvoke,          ///< InvokeOp.
  kJoin,            ///< JoinOp.
  kLookup,          ///< JoinOp (kind kLookup).
  kUnion,           ///< UnionOp.
  kMvExpand,        ///< MvExpandOp.
  kMvApply,         ///< MvExpandOp (kind kMvApply, with a subquery).
  kParse,           ///< ParseOp.
  kParseWhere,      ///< ParseOp.
  kParseKv,         ///< ParseOp (columns + with-properties).
  kEvaluate,        ///< EvaluateOp.
  kMakeSeries,      ///< MakeSeriesOp.
  kRender,          ///< RenderOp.
  kFork,            ///< ForkOp.
  kFacet,           ///< FacetOp.
  kPartition,       ///< PartitionOp.
  kScan,            ///< ScanOp.
  kReduce,          ///< ReduceOp.
  kMakeGraph,       ///< MakeGraphOp (syntax/parse_graph_operators.cpp).
  kGraphMatch,      ///< GraphMatchOp: graph-match and graph-shortest-paths.
  kGraphMarkComponents,  ///< GraphMarkComponentsOp.
  kGraphToTable,    ///< GraphToTableOp.
  kGeneric,         ///< GenericOp: anything else the parser accepts without structure (graph-*, make-graph ...).
};

/// Base of every tabular node.
struct Operator {
  explicit Operator(OperatorKind node_kind) : kind(node_kind) {}
  virtual ~Operator() = default;
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  /// Casts to the derived node type; the caller has checked `kind`.
  template <class T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }
  /// Casts to the derived node type; the caller has checked `kind`.
  template <class T>
  T& As() {
    return static_cast<T&>(*this);
  }

  OperatorKind kind;
  SourceSpan span;                   ///< The operator from its keyword to its last token.
  std::string name;                  ///< Keyword as written (`where` / `filter`, `sort` / `order`, `take` / `limit`).
  std::vector<OperatorParam> params; ///< `name=value` parameters (kind=, hint.*=, withsource=, ...), in order.
};
using OperatorPtr = std::unique_ptr<Operator>;

/// A tabular expression: a source followed by `| operator` stages.
struct Pipeline {
  /// The first stage. Nullptr for an implicit input: sub-pipelines of mv-apply, fork, facet, partition and
  /// the operands of `union` after a pipe.
  OperatorPtr source;
  std::vector<OperatorPtr> operators;  ///< Stages after each `|`, in order.
  SourceSpan span;
};

/// T, ['T'], database("d").T, cluster("c").database("d").T, `T*` (wildcards only in union/find/search).
struct TableRefOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kTableRef;
  TableRefOp() : Operator(kKind) {}
  std::string cluster;   ///< Empty unless cluster("...") was given.
  std::string database;  ///< Empty unless database("...") was given.
  std::string table;     ///< Table, let or function name (may contain `*` wildcards).
  bool has_wildcard = false;
};

/// f(x), table('T'), materialize(q): a call in tabular position.
struct CallSourceOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kCallSource;
  CallSourceOp() : Operator(kKind) {}
  std::unique_ptr<CallExpr> call;
  ExprPtr qualifier;  ///< Optional: `database("d")` in database("d").f(x).
};

/// ( pipeline ).
struct SubqueryOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kSubquery;
  SubqueryOp() : Operator(kKind) {}
  PipelinePtr pipeline;
};

/// datatable(a:long, b:string) [ 1, "x", ... ]: values in row-major order.
struct DatatableOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kDatatable;
  DatatableOp() : Operator(kKind) {}
  std::vector<ColumnDecl> columns;
  std::vector<ExprPtr> values;
};

/// print [name =] expr, ...
struct PrintOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kPrint;
  PrintOp() : Operator(kKind) {}
  std::vector<NamedExpr> columns;
};

/// range column from start to stop step step.
struct RangeOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kRange;
  RangeOp() : Operator(kKind) {}
  std::string column;
  SourceSpan column_span;
  ExprPtr from;
  ExprPtr to;
  ExprPtr step;
};

/// externaldata (schema) [ uris ] with (properties).
struct ExternalDataOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kExternalData;
  ExternalDataOp() : Operator(kKind) {}
  std::vector<ColumnDecl> columns;
  std::vector<ExprPtr> uris;
  std::vector<OperatorParam> properties;
};

/// find [params] [in (tables)] where predicate [project cols | project-smart].
struct FindOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kFind;
  FindOp() : Operator(kKind) {}
  std::vector<PipelinePtr> tables;  ///< Empty when no `in (...)`.
  ExprPtr predicate;
  std::vector<NamedExpr> project;   ///< `project a, b`; empty when absent.
  bool project_smart = false;
};

/// search [params] [in (tables)] predicate.
struct SearchOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kSearch;
  SearchOp() : Operator(kKind) {}
  std::vector<PipelinePtr> tables;
  ExprPtr predicate;
};

/// where predicate / filter predicate.
struct WhereOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kWhere;
  WhereOp() : Operator(kKind) {}
  ExprPtr predicate;
};

/// project, extend, serialize (optional list) and project-rename (names = {new}, expr = old NameExpr).
struct ProjectOp : Operator {
  explicit ProjectOp(OperatorKind node_kind) : Operator(node_kind) {}
  std::vector<NamedExpr> columns;
};

/// Sort direction; kDefault means not written (sort defaults to desc, project-reorder to none).
enum class SortDirection { kDefault, kAscending, kDescending };
/// Nulls placement; kDefault means not written.
enum class NullsOrder { kDefault, kFirst, kLast };

/// A column name or wildcard pattern (`Col`, `Prefix*`) with an optional order (project-reorder only).
struct ColumnPattern {
  std::string pattern;
  SourceSpan span;
  bool has_wildcard = false;
  SortDirection direction = SortDirection::kDefault;  ///< project-reorder asc/desc/granny-asc/granny-desc.
  std::string order_text;  ///< The order keyword as written (`asc`, `granny-desc`), empty when absent.
};

/// project-away, project-keep, project-reorder.
struct ColumnListOp : Operator {
  explicit ColumnListOp(OperatorKind node_kind) : Operator(node_kind) {}
  std::vector<ColumnPattern> columns;
};

/// summarize [params] aggregates [by keys].
struct SummarizeOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kSummarize;
  SummarizeOp() : Operator(kKind) {}
  std::vector<NamedExpr> aggregates;
  std::vector<NamedExpr> by;
};

/// A sort key: expr [asc|desc] [nulls first|last].
struct SortTerm {
  ExprPtr expr;
  SortDirection direction = SortDirection::kDefault;
  NullsOrder nulls = NullsOrder::kDefault;
  SourceSpan span;
};

/// sort by / order by.
struct SortOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kSort;
  SortOp() : Operator(kKind) {}
  std::vector<SortTerm> keys;
};

/// top N by key [, key ...].
struct TopOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kTop;
  TopOp() : Operator(kKind) {}
  ExprPtr count;
  std::vector<SortTerm> keys;
};

/// One level of top-nested: [N] of expr [with others = expr] by aggregate [asc|desc].
struct TopNestedLevel {
  ExprPtr count;             ///< Optional.
  NamedExpr of;
  ExprPtr others;            ///< Optional `with others = expr`.
  NamedExpr by;
  SortDirection direction = SortDirection::kDefault;
  SourceSpan span;
};

/// top-nested level, level, ...
struct TopNestedOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kTopNested;
  TopNestedOp() : Operator(kKind) {}
  std::vector<TopNestedLevel> levels;
};

/// top-hitters N of expr [by expr].
struct TopHittersOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kTopHitters;
  TopHittersOp() : Operator(kKind) {}
  ExprPtr count;
  ExprPtr of;
  ExprPtr by;  ///< Optional.
};

/// take N / limit N / sample N.
struct TakeOp : Operator {
  explicit TakeOp(OperatorKind node_kind) : Operator(node_kind) {}
  ExprPtr count;
};

/// sample-distinct N of expr.
struct SampleDistinctOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kSampleDistinct;
  SampleDistinctOp() : Operator(kKind) {}
  ExprPtr count;
  ExprPtr of;
};

/// distinct a, b / distinct *.
struct DistinctOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kDistinct;
  DistinctOp() : Operator(kKind) {}
  std::vector<NamedExpr> columns;  ///< A single StarExpr item for `distinct *`.
};

/// Operators without arguments besides params: count, consume, getschema.
struct SimpleOp : Operator {
  explicit SimpleOp(OperatorKind node_kind) : Operator(node_kind) {}
};

/// as [hint.materialized=true] Name.
struct AsOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kAs;
  AsOp() : Operator(kKind) {}
  std::string alias;
  SourceSpan alias_span;
};

/// invoke f(args): the input table is the function's first argument.
struct InvokeOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kInvoke;
  InvokeOp() : Operator(kKind) {}
  std::unique_ptr<CallExpr> call;
};

/// join [kind=..] [hints] (right) on conditions; lookup [kind=..] (right) on conditions.
/// Conditions are NameExpr (same column on both sides), BinaryExpr `$left.a == $right.b`, or any other
/// predicate (joined with `and`).
struct JoinOp : Operator {
  explicit JoinOp(OperatorKind node_kind) : Operator(node_kind) {}
  PipelinePtr right;
  std::vector<ExprPtr> conditions;
  ExprPtr where;  ///< Optional `where` predicate (join ... on a where cond), rarely used.
};

/// union [params] T1, (T2 | ...), T*.
struct UnionOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kUnion;
  UnionOp() : Operator(kKind) {}
  std::vector<PipelinePtr> tables;
};

/// One mv-expand/mv-apply item: [name =] expr [to typeof(type)].
struct MvExpandItem {
  NamedExpr column;
  std::string to_type;  ///< Empty unless `to typeof(type)`.
  SourceSpan span;
};

/// mv-expand [params] items [limit N]; mv-apply [params] items [limit N] on ( subquery ).
struct MvExpandOp : Operator {
  explicit MvExpandOp(OperatorKind node_kind) : Operator(node_kind) {}
  std::vector<MvExpandItem> items;
  ExprPtr limit;
  PipelinePtr subquery;  ///< mv-apply only: the `on ( ... )` pipeline with implicit input.
};

/// One element of a parse pattern.
struct ParsePatternItem {
  enum class Kind { kString, kColumn, kStar };
  Kind kind = Kind::kString;
  ExprPtr literal;  ///< kString: a string LiteralExpr (or other constant expression).
  ColumnDecl column;  ///< kColumn: name and optional type (empty type = string).
  SourceSpan span;
};

/// parse / parse-where [kind=...] [flags=...] expr with pattern; parse-kv expr as (cols) with (props).
struct ParseOp : Operator {
  explicit ParseOp(OperatorKind node_kind) : Operator(node_kind) {}
  ExprPtr source;
  std::vector<ParsePatternItem> pattern;   ///< parse, parse-where.
  std::vector<ColumnDecl> columns;         ///< parse-kv.
  std::vector<OperatorParam> properties;   ///< parse-kv `with (pair_delimiter=..., ...)`.
};

/// evaluate [hints] plugin(args).
struct EvaluateOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kEvaluate;
  EvaluateOp() : Operator(kKind) {}
  std::unique_ptr<CallExpr> call;
  std::vector<ColumnDecl> output_schema;  ///< Optional `: (a:long, ...)` after the call; empty when absent.
};

/// One make-series aggregate: [name =] aggregate [default = value].
struct SeriesAggregate {
  NamedExpr aggregate;
  ExprPtr default_value;
};

/// make-series aggregates on axis (from a to b step c | in range(a, b, c)) [by keys].
struct MakeSeriesOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kMakeSeries;
  MakeSeriesOp() : Operator(kKind) {}
  std::vector<SeriesAggregate> aggregates;
  ExprPtr on;
  ExprPtr from;  ///< Optional.
  ExprPtr to;    ///< Optional.
  ExprPtr step;
  bool in_range = false;  ///< True for the `in range(from, to, step)` form.
  std::vector<NamedExpr> by;
};

/// render charttype [with (name = value, ...)].
struct RenderOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kRender;
  RenderOp() : Operator(kKind) {}
  std::string chart;
  std::vector<OperatorParam> properties;
};

/// fork ( subquery ) [name=]( subquery ) ...
struct ForkOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kFork;
  ForkOp() : Operator(kKind) {}
  std::vector<PipelinePtr> branches;
  std::vector<std::string> branch_names;  ///< Same size as branches; empty when unnamed.
};

/// facet by cols [with ( subquery )].
struct FacetOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kFacet;
  FacetOp() : Operator(kKind) {}
  std::vector<ColumnPattern> columns;
  PipelinePtr with;  ///< Optional.
};

/// partition [params] by column ( subquery ) / { subquery }.
struct PartitionOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kPartition;
  PartitionOp() : Operator(kKind) {}
  ExprPtr by;
  PipelinePtr subquery;
  bool legacy_braces = false;  ///< True for the `{ ... }` form with an explicit source.
};

/// One scan step: step name [optional|output=...]: condition [=> assignments].
struct ScanStep {
  std::string name;
  bool optional = false;
  std::vector<OperatorParam> params;  ///< e.g. output=none.
  ExprPtr condition;
  std::vector<NamedExpr> assignments;
  SourceSpan span;
};

/// scan [with_match_id=id] [declare (cols)] with ( steps ).
struct ScanOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kScan;
  ScanOp() : Operator(kKind) {}
  std::vector<SortTerm> order_by;
  std::vector<ExprPtr> partition_by;
  std::vector<FunctionParam> declarations;
  std::vector<ScanStep> steps;
};

/// reduce [kind=...] by expr [with characters=...].
struct ReduceOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kReduce;
  ReduceOp() : Operator(kKind) {}
  ExprPtr by;
  std::vector<OperatorParam> with;
};

/// One `with Nodes on NodeId` table of make-graph.
struct MakeGraphNodes {
  PipelinePtr table;
  std::string id_column;
  SourceSpan span;
};

/// make-graph Source --> Target [with Nodes1 on Id1 [, Nodes2 on Id2]] [with_node_id=Name]
/// [partitioned-by Column (GraphOperator)]. with_node_id is in `params`.
struct MakeGraphOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kMakeGraph;
  MakeGraphOp() : Operator(kKind) {}
  std::string source;
  std::string target;
  SourceSpan source_span;
  SourceSpan target_span;
  std::vector<MakeGraphNodes> nodes;
  std::string partition_column;  ///< Empty without partitioned-by.
  SourceSpan partition_span;
  PipelinePtr partition_body;    ///< The graph operators applied to each partition's graph (implicit input).
};

/// The direction of an edge in a graph pattern, as written from left to right.
enum class GraphEdgeDirection {
  kRight,  ///< -[e]->  or -->
  kLeft,   ///< <-[e]-  or <--
  kAny,    ///< -[e]-   or --
};

/// One node `(n)` / `()` or edge `-[e*1..3]->` of a graph pattern sequence (nodes and edges alternate).
struct GraphPatternElement {
  bool is_edge = false;
  std::string name;  ///< Empty when anonymous.
  SourceSpan span;
  GraphEdgeDirection direction = GraphEdgeDirection::kRight;  ///< Edges only.
  bool variable_length = false;  ///< Edges only: `*min..max` was given.
  ExprPtr min_hops;              ///< Edges with variable_length.
  ExprPtr max_hops;
};

/// graph-match [cycles=...] Pattern [where Constraints] project ..., and graph-shortest-paths [output=...] with
/// the same clauses (`name` tells them apart).
struct GraphMatchOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kGraphMatch;
  GraphMatchOp() : Operator(kKind) {}
  std::vector<std::vector<GraphPatternElement>> sequences;  ///< Comma-separated sequences.
  ExprPtr where;
  bool has_project = false;
  std::vector<NamedExpr> project;
};

/// graph-mark-components [kind=weak|strong] [with_component_id=Name] (both in `params`).
struct GraphMarkComponentsOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kGraphMarkComponents;
  GraphMarkComponentsOp() : Operator(kKind) {}
};

/// One `nodes [as N] [with_node_id=...]` or `edges [as E] [with_source_id=...] [with_target_id=...]` part.
struct GraphToTablePart {
  bool edges = false;
  std::string alias;  ///< Empty without `as`.
  std::vector<OperatorParam> params;
  SourceSpan span;
};

/// graph-to-table Part [, Part].
struct GraphToTableOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kGraphToTable;
  GraphToTableOp() : Operator(kKind) {}
  std::vector<GraphToTablePart> parts;
};

/// An operator kept without structure: its keyword and the source text of its arguments.
struct GenericOp : Operator {
  static constexpr OperatorKind kKind = OperatorKind::kGeneric;
  GenericOp() : Operator(kKind) {}
  std::string raw_arguments;  ///< Source text after the keyword up to the next top-level `|`, `;` or `)`.
};

// ---------------------------------------------------------------------------------------------------------------
// Statements and queries
// ---------------------------------------------------------------------------------------------------------------

/// Statement kinds.
enum class StatementKind {
  kLet,                      ///< let name = value
  kSet,                      ///< set name [= value]
  kDeclareQueryParameters,   ///< declare query_parameters (name:type [= default], ...)
  kAlias,                    ///< alias database name = cluster("c").database("d")
  kRestrict,                 ///< restrict access to (names)
  kPattern,                  ///< declare pattern name [= (...) { ... }]
  kQuery,                    ///< A tabular expression statement that is not the last one.
};

/// One statement before the final query.
struct Statement {
  StatementKind kind = StatementKind::kLet;
  SourceSpan span;
  std::string name;        ///< let/set/alias/pattern name; empty otherwise.
  SourceSpan name_span;
  /// let: the value (scalar expr, TabularExpr, NameExpr, FunctionDeclExpr, CallExpr such as materialize());
  /// set/alias: the value if any; kQuery: a TabularExpr.
  ExprPtr value;
  std::vector<FunctionParam> parameters;  ///< declare query_parameters.
  std::vector<ExprPtr> names;             ///< restrict access to (...) entries.
  std::string raw;                        ///< pattern: the source text of the declaration.
};

/// `{ statements; result }`: a function body.
struct QueryBlock {
  std::vector<Statement> statements;
  ExprPtr result;  ///< Scalar expression or TabularExpr; nullptr if the body was empty.
  SourceSpan span;
};

/// A whole query: statements separated by `;` and the final tabular expression.
struct Query {
  std::vector<Statement> statements;
  PipelinePtr body;  ///< The final tabular expression; nullptr when the text has none.
  SourceSpan span;
};

/// Returns the canonical keyword of an operator kind (`where`, `project-away`, `mv-expand`, ...).
std::string_view OperatorKindName(OperatorKind kind);

/// Returns the operator text of a binary operator (`==`, `!has_cs`, `matches regex`, ...).
std::string_view BinaryOpText(BinaryOp op);

/// Returns the operator text of an in-style operator (`in`, `!in~`, `has_any`, ...).
std::string_view InOpText(InOp op);

}  // namespace kql::syntax
