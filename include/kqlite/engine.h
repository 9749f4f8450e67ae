// kqlite public API: an Engine holds a catalog of table schemas and registered data; Query() parses, binds,
// optimises and runs KQL over it. This is the surface the CLI, the rule runner and embedders use.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "plan/render_request.h"
#include "types/schema.h"
#include "vector/result_stream.h"
#include "vector/scan_progress.h"
#include "vector/table.h"
#include "vector/table_source.h"

namespace kql::catalog {
class Catalog;
struct StoredFunction;
}  // namespace kql::catalog
namespace kql::plan {
class PlanBackend;
}  // namespace kql::plan

namespace kql {

// The public API's names from the layers (the embedder sees one namespace).
using catalog::Catalog;
using catalog::StoredFunction;
using plan::RenderRequest;
using vector::BadValueCount;
using vector::ResultStream;
using vector::SkippedRecord;
using vector::Table;
using vector::TableSource;

/// Options for one query run.
struct QueryOptions {
  /// Ticks since the Unix epoch used for now()/ago(); nullopt means the wall clock at query start.
  std::optional<int64_t> now_ticks;
  /// Worker threads; 0 means all hardware threads.
  int threads = 0;
  /// Rows per chunk (tests sweep small sizes).
  size_t chunk_size = 2048;
  /// Fail the query at the first malformed input record instead of skipping it.
  bool strict = false;
  /// Sources that stand in for registered tables of the same name during this run only (the hunt's shared scan
  /// serves rules from candidate rows this way without re-registering anything).
  std::map<std::string, std::shared_ptr<const TableSource>> source_overrides;
  /// Memory budget in bytes for what the query materialises (join build and output, summarize groups and
  /// make_list/make_set items, sort, materialised tables), charged per chunk; 0 means no limit.
  uint64_t max_memory_bytes = 0;
  /// Wall-clock limit of the query, checked once per chunk; nullopt means none (hunt: one per rule).
  std::optional<std::chrono::milliseconds> timeout;
  /// When set and it becomes true (e.g. from a SIGINT handler), the query stops at its next chunk.
  const std::atomic<bool>* cancel = nullptr;
  /// A back end (ClickHouse) that runs the parts of the plan it can compute exactly; the rest runs locally over
  /// the rows it streams back. Null: everything runs locally.
  std::shared_ptr<const plan::PlanBackend> backend;
  /// When set, the result's rows go to it instead of QueryResult::table (which then has no rows): as the pipeline
  /// makes them when the plan ends in streaming operators (where, extend, project, parse, mv-expand, take) over a
  /// table or range; after a sort, summarize, join... once that has finished, chunk by chunk. Begin() is called only
  /// when the query binds. Sub-queries (toscalar, in) are never streamed, nor a query that returns several tables
  /// (fork, facet: QueryResult::more_tables).
  ResultStream* stream = nullptr;
  /// When set, the query's pipelines advance these counters as they read (a progress line watches them).
  vector::ScanProgress* progress = nullptr;
};

/// Why a query failed at run time (QueryResult::failure); limits have their own kinds so callers can map them to
/// their own exit codes.
enum class QueryFailure { kNone, kError, kMemoryLimit, kTimeout, kCancelled };

/// Reading statistics of one table in one query.
struct ScanSummary {
  uint64_t rows_read = 0;
  uint64_t rows_prefiltered = 0;
  uint64_t bytes_read = 0;
  uint64_t skipped_count = 0;
  std::vector<SkippedRecord> skipped;  ///< The first few, with file, line and reason.
  /// Per column, values that did not convert (null cells, rows kept); included in skipped_count.
  std::map<std::string, BadValueCount> bad_values;
};

/// A further result table of a query that returns several (fork, facet).
struct NamedTable {
  std::string name;
  Table table;
};

/// The outcome of a query: a table, or diagnostics / a runtime error.
struct QueryResult {
  bool ok = false;
  Table table;
  /// A query ending in `fork` or `facet` returns several tables: `table` is the first, named `table_name`, and
  /// these follow it in order (docs/compatibility.md says how they are named). Empty for every other query (and
  /// table_name too). Such a query is never streamed: QueryOptions::stream gets no call and every table is here.
  std::string table_name;
  std::vector<NamedTable> more_tables;
  std::vector<Diagnostic> diagnostics;       ///< Parse and bind diagnostics (warnings too when ok).
  std::string error;                         ///< Runtime error message when !ok and diagnostics has no error.
  QueryFailure failure = QueryFailure::kNone;  ///< Set with `error`.
  std::map<std::string, ScanSummary> scans;  ///< Per table read.
  std::optional<RenderRequest> render;       ///< The query's `render` request, if any (kqlite draws no chart).
};

/// One data file registered by AddData and the table it became (see Engine::DataFiles()).
struct DataFileInfo {
  std::string input;  ///< The --data / --table path it was found under ("-" for standard input).
  std::string path;   ///< The file ("<stdin>" for standard input).
  std::string table;
  /// How the table was chosen: "forced" (--table), "category" (Streaming API envelope), "file name" (a known
  /// table's name in the file name), "columns" (header/keys fit one known table), "unmatched" (named after the file).
  std::string match;
};

/// Which plan Explain() prints.
enum class PlanStage { kLogical, kOptimized };

/// The embeddable engine. Registration (AddData, AddTable, ...) is not thread-safe. Once the tables are registered,
/// Query(), Check() and Explain() only read the engine and may run on several threads at once (a hunt runs its
/// rules' queries that way), as long as no registration runs meanwhile and options.backend, when set, is not used by
/// two queries at once.
class Engine {
 public:
  /// Creates an engine whose catalog has the built-in Defender XDR and Log Analytics table schemas.
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Registers an in-memory table (replaces any source of the same name).
  void AddTable(const std::string& name, std::shared_ptr<const Table> table);
  /// Registers any table source (replaces any source of the same name).
  void AddSource(std::shared_ptr<const TableSource> source);
  /// Registers data files or folders. `table` forces the table name; otherwise it comes from the Streaming API
  /// envelope's category or the file name. Problems (unreadable path, unknown table) are returned as messages.
  std::vector<std::string> AddData(const std::string& path, const std::string& table = "");
  /// Registers several inputs at once ({path, forced table or ""}); files of one table from different inputs
  /// form one table.
  std::vector<std::string> AddData(const std::vector<std::pair<std::string, std::string>>& inputs);
  /// Every data file registered by AddData so far, in discovery order. Rows are only read when a query scans a
  /// table: QueryResult::scans[table] then tells rows_read (+ rows_prefiltered); a scanned table with 0 of both
  /// loaded nothing from its files (the CLI turns that into an error, see docs/errors.md "Inputs").
  const std::vector<DataFileInfo>& DataFiles() const;
  /// Notices of AddData that are not errors: files matched to no known table (with the --table NAME=PATH that
  /// would load them) and columns added to a built-in schema because the data has them.
  const std::vector<std::string>& DataNotices() const;
  /// Registers inline data text (format "jsonl" or "csv") as table `name` with the given schema
  /// (an empty schema means: the catalog's schema for that name, else inferred).
  std::vector<std::string> AddDataText(const std::string& name, const Schema& schema, const std::string& format,
                                       const std::string& text);

  /// Declares a table's schema without data (a custom table such as `MyLogs_CL`): queries over it bind, and data
  /// registered later under the same name is read with this schema.
  void AddTableSchema(const std::string& name, const Schema& schema);
  /// Registers a stored (workspace) function under `name`; queries call it like a let-defined function.
  void AddFunction(const std::string& name, const StoredFunction& function);
  /// Lets `externaldata` read `uri` from the local file `path` (kqlite never downloads); a plain local path in a
  /// query needs no mapping.
  void MapExternalData(const std::string& uri, const std::string& path);

  /// Parses, binds, optimises and runs a query.
  QueryResult Query(std::string_view text, const QueryOptions& options = {});
  /// Parses and binds only (lint); returns every diagnostic. With syntax_only, binding is skipped.
  std::vector<Diagnostic> Check(std::string_view text, bool syntax_only = false);
  /// Parses and binds only; returns the result's columns, or nullopt when the query does not bind (the
  /// diagnostics are then what Check() reports). Rule lint uses it to check entity mapping columns.
  std::optional<Schema> ResultSchema(std::string_view text);
  /// Returns the printed plan, or the diagnostics rendered when the query does not bind.
  std::string Explain(std::string_view text, PlanStage stage, const QueryOptions& options = {});

  /// The catalog (built-in schemas plus registered tables).
  const Catalog& catalog() const;
  /// Names of registered data tables.
  std::vector<std::string> TableNames() const;
  /// The registered source of a table, or null.
  std::shared_ptr<const TableSource> Source(const std::string& name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kql
