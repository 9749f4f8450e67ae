// SharedScan: one pass over a table for many queries (the hunt's rule pack). Each query's optimized plan says which
// columns its scans read and which literals a matching record must contain; one pass with the union of those
// columns keeps the records that contain any query's literals, and a CandidateSource serves them to every scan the
// pass covers. Scans it does not cover read the table's own source, so results never depend on the shared pass.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kqlite/engine.h"
#include "plan/logical_operator.h"
#include "engine/layer.h"

namespace kql::engine {

/// One table read of a query's optimized plan.
struct PlannedScan {
  std::string table;
  Schema columns;                                   ///< The pruned columns, typed as the query reads them.
  std::vector<std::vector<std::string>> prefilter;  ///< LogicalScan::prefilter (conjunction of disjunctions).
  std::vector<std::vector<std::string>> prefilter_columns;  ///< LogicalScan::prefilter_columns.
};

/// The optimized plan of a query text, or null when it does not parse or bind (nothing is thrown). With `complete`,
/// the plan must be all that the query runs: a query that runs sub-plans while binding (toscalar, bag_unpack,
/// partition; without a host the binder folds them to unknown values) or has further results (fork, facet) gives
/// null.
LogicalOperatorPtr OptimizedPlan(const Engine& engine, std::string_view text, int64_t now_ticks, bool complete = false);

/// The table reads of a query's optimized plan (including sub-plans of filters and projections), or nullopt when
/// the query does not parse or bind. Sub-plans the binder would run against data (toscalar) are folded to unknown
/// values here, so their reads are not listed; that is safe because a CandidateSource that is not complete serves a
/// scan only when the scan's own prefilter is covered, and sends any other read to the table.
std::optional<std::vector<PlannedScan>> PlanScans(const Engine& engine, std::string_view text, int64_t now_ticks);

/// Collects the scans of one table that a shared pass should serve: the union of their columns and, per scan,
/// the disjunction of its prefilter with the fewest (then longest) literals, and the columns those literals were
/// derived from (when every chosen disjunction names its columns, the pass need only search those values).
class SharedScanPlan {
 public:
  /// Adds a scan; returns false (and adds nothing) when it has no literal prefilter to contribute.
  bool Add(const PlannedScan& scan);
  bool empty() const { return literals_.empty(); }
  const Schema& columns() const { return columns_; }
  const std::set<std::string>& literals() const { return literals_; }
  /// The columns whose values hold the literals; empty when some literal may lie anywhere in a record.
  const std::set<std::string>& literal_columns() const { return literal_columns_; }
  /// True when both plans read the same columns (in the same order) for the same literals.
  bool operator==(const SharedScanPlan& other) const;

 private:
  Schema columns_;
  std::set<std::string> literals_;
  std::set<std::string> literal_columns_;
  bool literals_anywhere_ = false;  // Some chosen disjunction has no columns: literal_columns_ is left empty.
};

/// The candidate rows of one shared pass and how the pass read the table.
struct SharedScanResult {
  std::shared_ptr<const Table> candidates;  ///< Null when the pass failed; `error` then says why.
  ScanSummary summary;                      ///< The pass's reading statistics (every record of the table).
  std::string error;
  /// With `side_columns`: those columns of every record of the table, when the source could read them in the
  /// same pass (JSON lines) and the pass completed; else nullopt, and a pass of their own must read them.
  std::optional<Table> side_rows;
};

/// Reads `table`'s registered source once for the plan's columns, keeping records that contain any of its
/// literals (ASCII case-insensitive, the same raw-record test as a scan prefilter). With `side_columns`, the same
/// pass also reads those columns of every record, as `T | project <side_columns>` would (its bad records are not
/// counted in the summary).
SharedScanResult RunSharedScan(const Engine& engine, const std::string& table, const SharedScanPlan& plan,
                               const QueryOptions& options, const Schema& side_columns = {});

/// Stands in for a table during one query: a scan whose columns the candidates have and whose prefilter requires
/// one of the shared literals (in one of the searched columns, when the pass searched only some columns' values)
/// reads the candidates; any other scan reads the original source.
class CandidateSource : public TableSource {
 public:
  /// `literal_columns`: the columns whose values the pass searched for the literals (empty: whole records).
  CandidateSource(std::shared_ptr<const TableSource> original, std::shared_ptr<const Table> candidates,
                  std::set<std::string> literals, std::set<std::string> literal_columns = {});
  /// A source whose candidates are every record of the table (some columns only): it covers any scan of them.
  static std::shared_ptr<CandidateSource> Complete(std::shared_ptr<const TableSource> original,
                                                   std::shared_ptr<const Table> rows);
  const std::string& name() const override { return original_->name(); }
  const Schema& schema() const override { return original_->schema(); }
  /// Enough morsels for either side; the side a scan does not use yields empty morsels.
  size_t MorselCount() const override;
  /// The morsels of the side the request reads (the candidates' few, or the table's).
  size_t MorselCountFor(const ScanRequest& request) const override;
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel, const ScanRequest& request,
                                           ScanStats& stats) const override;
  void ResolveLines(std::vector<SkippedRecord>& records) const override { original_->ResolveLines(records); }
  /// True when the candidates hold every record a scan with this request could produce rows from.
  bool Covers(const ScanRequest& request) const;

 private:
  std::shared_ptr<const TableSource> original_;
  std::shared_ptr<const TableSource> memory_;
  std::shared_ptr<const Table> candidates_;
  std::set<std::string> literals_;
  std::set<std::string> literal_columns_;
  bool complete_ = false;  // The candidates are every record: the prefilter does not matter.
};

}  // namespace kql::engine
