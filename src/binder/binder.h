// Binder: turns the parser's AST into a typed logical plan — resolves tables, columns, let names, user functions
// and built-in functions, types every expression and names every result column as Kusto does.
// It reports user errors as diagnostics (codes in binder/diagnostics.def); it does not optimise or execute.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "catalog/catalog.h"
#include "plan/logical_operator.h"
#include "plan/render_request.h"
#include "vector/table.h"
#include "binder/layer.h"

namespace kql::syntax {
struct ParseResult;
struct Query;
}  // namespace kql::syntax

namespace kql::binder {

/// Per-query settings of the binder.
struct BindOptions {
  /// The query's clock in ticks since the Unix epoch: now() and ago() fold to constants relative to it, so that
  /// every now() in one query has the same value.
  int64_t now_ticks = 0;
  /// Runs a bound sub-plan to completion and returns its rows, or nullopt when it fails. The binder uses it where
  /// Kusto decides the result schema from the data (evaluate bag_unpack without an output schema) and to fold
  /// toscalar(). Unset when the host has no data (explain, lint): then only constant inputs (datatable, print)
  /// can be used there.
  std::function<std::optional<Table>(const LogicalOperator&)> evaluate_plan;
  /// Names of the tables that have data, when the host knows them (query, hunt): `search` without `in`, `find`
  /// and union wildcards cover these, and `union isfuzzy=true` skips other tables. Unset for explain and lint.
  std::optional<std::vector<std::string>> data_tables;
  /// `externaldata` URIs mapped to local files (the CLI's --externaldata URL=PATH); kqlite never downloads.
  std::map<std::string, std::string> external_files;
};

/// A local file an `externaldata` operator reads; the plan scans it as table `name` (hosts register a source).
struct ExternalTable {
  std::string name;    ///< The table name the plan's LogicalScan uses.
  std::string uri;     ///< As written in the query.
  std::string path;    ///< The local file.
  std::string format;  ///< csv, tsv, json, multijson, txt, raw.
  bool ignore_first_record = false;
  std::string zip_pattern;  ///< zipPattern: the URL names a zip archive; the local file must be the extracted one.
  Schema schema;
};

/// One result table of a query that returns several (fork, facet): its name and plan.
struct NamedPlan {
  std::string name;
  LogicalOperatorPtr plan;
};

/// The result of binding: a plan (nullptr when the query had no usable tabular result) and the diagnostics.
struct BindResult {
  LogicalOperatorPtr plan;
  /// A query ending in fork or facet returns several tables: `plan` is the first, named `result_name`, and these
  /// follow it in order. Empty otherwise (and result_name too).
  std::string result_name;
  std::vector<NamedPlan> more_results;
  DiagnosticBag diagnostics;
  /// The last `render` of the query, if any (the table is not changed by it).
  std::optional<RenderRequest> render;
  /// The files `externaldata` operators read.
  std::vector<ExternalTable> external_tables;
  /// True when a plan exists and no error was reported.
  bool ok() const { return plan != nullptr && !diagnostics.HasErrors(); }
};

/// The catalog table behind `_GetWatchlist('name')`: hosts (the hunt) register each watchlist under this name.
inline std::string WatchlistTableName(const std::string& name) { return "_Watchlist_" + name; }

/// The columns every `_GetWatchlist()` result starts with, as in Sentinel; the item's own columns follow.
inline Schema WatchlistFixedColumns() {
  return {{"_DTItemId", KqlType::kString},
          {"LastUpdatedTimeUTC", KqlType::kDateTime},
          {"SearchKey", KqlType::kString},
          {"WatchlistItem", KqlType::kDynamic}};
}

/// Maximum nesting of expressions and user-function inlining before KQL2018 is reported.
inline constexpr int kMaxBindDepth = 200;

/// Maximum operators on one input chain of a bound plan (a pipeline of that many operators) before KQL2018 is
/// reported; the optimizer and the physical planner recurse along the chain.
inline constexpr size_t kMaxBoundPlanDepth = 2000;

/// Maximum operators that tabular let references may copy in one query before KQL2018 is reported.
inline constexpr size_t kMaxInlinedOperators = 20000;

/// Parses a stored function of the catalog; returns "" when it parses, else "origin:line: CODE message".
std::string CheckStoredFunctionSyntax(const StoredFunction& function);

/// Binds a parsed query against a catalog.
BindResult Bind(const ParseResult& parsed, const Catalog& catalog, const BindOptions& options);

/// Binds a query AST against a catalog.
BindResult Bind(const Query& query, const Catalog& catalog, const BindOptions& options);

}  // namespace kql::binder
