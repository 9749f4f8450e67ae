// CandidateQuery: one back-end query per table for many queries (the hunt's rule pack over ClickHouse). Each
// query's optimized plan says, for every scan of the table, the filter right above it; the conjuncts of those
// filters that the back end translates exactly are a condition every row the query can use satisfies. One query
// for the OR of every query's condition (and the union of their columns) fetches a superset of the rows each of
// them needs; each query then runs locally over those candidate rows and re-applies all of its own filters.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kqlite/engine.h"
#include "plan/bound_expression.h"
#include "plan/plan_backend.h"
#include "engine/layer.h"

namespace kql::engine {

/// What one query needs of one table: a condition over the table's full schema that every row its scans of the
/// table can use satisfies (a disjunction over its scans of the back end's conjuncts of the filter above each),
/// and the columns its scans read. The predicate is null when some scan of the table has no filter right above it
/// with a conjunct the back end translates (the query then needs every row).
struct CandidateCondition {
  BoundExprPtr predicate;
  Schema columns;
};

/// The candidate conditions of `text` for each table of `tables` it scans. nullopt when the query does not plan
/// (parse or bind errors, sub-plans run while binding such as toscalar, fork/facet, operators whose expressions are
/// not inspected).
std::optional<std::map<std::string, CandidateCondition>> PlanCandidateConditions(
    const Engine& engine, std::string_view text, int64_t now_ticks, const std::vector<std::string>& tables,
    const PlanBackend& backend);

/// The rows of one candidate query, or why there are none.
struct CandidateRows {
  std::shared_ptr<const Table> rows;  ///< Null when the query failed or returned more than the bound.
  bool over_bound = false;            ///< More than `row_bound` rows: the queries must read the table themselves.
  std::string error;
};

/// Runs `table | where <OR of conditions> | project <union of columns> | take row_bound + 1` through the back end
/// (the whole plan is offloaded when every condition translates, which PlanCandidateConditions guarantees), within
/// the options' memory budget, timeout and cancel flag.
CandidateRows RunCandidateQuery(const Engine& engine, const std::string& table,
                                const std::vector<const CandidateCondition*>& conditions, const PlanBackend& backend,
                                const QueryOptions& options, uint64_t row_bound);

}  // namespace kql::engine
