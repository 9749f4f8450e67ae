// WebApi: the JSON API behind `kqlite serve` (docs/web_ui.md): run a query (rows, diagnostics and the chart of its
// `render`), the loaded tables' schema, the whole catalog for the editor, a hunt with the built-in rules, and
// cancelling the running query or hunt. It takes and returns JSON text only; serve_command.cpp binds it to HTTP
// routes.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "cli_common.h"

namespace kql::cli {

/// A JSON answer and its HTTP status.
struct ApiResponse {
  int status = 200;
  std::string body;
};

/// Settings of the API that come from `kqlite serve`'s options.
struct WebApiOptions {
  std::optional<int64_t> now_ticks;                 ///< --now: pinned clock for queries and the hunt.
  int threads = 0;
  uint64_t max_memory_bytes = 0;
  std::optional<std::chrono::milliseconds> timeout;  ///< Per query.
  size_t max_rows = 10000;                          ///< Rows a query answer carries (the count is always whole).
};

/// The API over one engine. Queries and hunts run one at a time (the engine runs one query at a time); Cancel may
/// be called from another thread while a query runs.
class WebApi {
 public:
  WebApi(Engine& engine, WebApiOptions options) : engine_(engine), options_(options) {}

  /// POST /api/query {"query": TEXT, "id": ID?}: {"ok", "columns", "rows", "row_count", "truncated", "table_name",
  /// "more_tables", "elapsed_ms", "diagnostics", "render", "chart", "chart_error", "chart_warnings"} or {"ok":
  /// false, "error", "cancelled", "diagnostics"}. A fork/facet query's first table is the top-level one, named
  /// "table_name", and the others follow in "more_tables": [{"name", "columns", "rows", "row_count", "truncated"}]
  /// (each cut at max_rows); for any other query "table_name" is "" and "more_tables" [].
  ApiResponse Query(const std::string& request_body);
  /// GET /api/schema: {"database": "kqlite", "tables": [{"name", "columns": [{"name", "type"}], "files"}]}.
  ApiResponse Schema() const;
  /// GET /api/catalog: every table a query can name (the built-in Defender / Log Analytics tables and the loaded
  /// ones) and the stored functions, for the editor's completion and diagnostics: {"database": "kqlite",
  /// "tables": [{"name", "columns", "loaded"}], "functions": [{"name", "parameters", "body"}]}.
  ApiResponse Catalog() const;
  /// POST /api/hunt {"id": ID?}: the built-in rules over the loaded data, now = the newest event unless --now pins
  /// it: {"ok": true, "now", "rules", "rules_run", "notes", "alerts": [alert JSON as `hunt --format jsonl`, entities
  /// and rows]}, or {"ok": false, "cancelled": true, "error"} when cancelled.
  ApiResponse Hunt(const std::string& request_body);
  /// For GET /api/status: `"running": ID or null, "waiting": [ID...]`, the named query or hunt that runs and the
  /// named ones that wait (members of a JSON object, without braces).
  std::string ActivityMembers();
  /// POST /api/cancel {"id": ID?}: cancels the running query or hunt (the one with that id, when given), or the
  /// query or hunt with that id that waits for the running one (it then stops as soon as it starts).
  ApiResponse Cancel(const std::string& request_body);

 private:
  /// A query or hunt with this id waits for run_mutex_.
  void Wait(const std::string& id);
  /// Marks the query or hunt with this id as running (under run_mutex_); the cancel flag is set when it was
  /// cancelled while it waited.
  void BeginRun(const std::string& id);
  void EndRun();

  Engine& engine_;
  WebApiOptions options_;
  mutable std::mutex run_mutex_;  ///< One query, hunt or schema read of the engine at a time.
  std::mutex id_mutex_;
  std::string running_id_;  ///< The id of the running query or hunt ("" when none or anonymous).
  bool running_ = false;
  std::multiset<std::string> waiting_ids_;  ///< Ids of the queries and hunts waiting to run.
  std::set<std::string> cancelled_ids_;     ///< Waiting ones cancelled before they started.
  std::atomic<bool> cancel_{false};
};

}  // namespace kql::cli
