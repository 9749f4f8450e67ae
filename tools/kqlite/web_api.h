// WebApi: the JSON API behind `kqlite serve` (docs/web_ui.md): run a query (rows, diagnostics and the chart of its
// `render`), the loaded tables' schema, a hunt with the built-in rules, and cancelling the running query. It takes
// and returns JSON text only; serve_command.cpp binds it to HTTP routes.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
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

  /// POST /api/query {"query": TEXT, "id": ID?}: {"ok", "columns", "rows", "row_count", "truncated",
  /// "elapsed_ms", "diagnostics", "render", "chart", "chart_error", "chart_warnings"} or {"ok": false, "error",
  /// "cancelled", "diagnostics"}.
  ApiResponse Query(const std::string& request_body);
  /// GET /api/schema: {"database": "kqlite", "tables": [{"name", "columns": [{"name", "type"}], "files"}]}.
  ApiResponse Schema() const;
  /// POST /api/hunt: the built-in rules over the loaded data, now = the newest event unless --now pins it:
  /// {"now", "rules", "rules_run", "notes", "alerts": [alert JSON as `hunt --format jsonl`, entities and rows]}.
  ApiResponse Hunt();
  /// POST /api/cancel {"id": ID?}: cancels the running query (the one with that id, when given).
  ApiResponse Cancel(const std::string& request_body);

 private:
  Engine& engine_;
  WebApiOptions options_;
  mutable std::mutex run_mutex_;  ///< One query, hunt or schema read of the engine at a time.
  std::mutex id_mutex_;
  std::string running_id_;  ///< The id of the running query ("" when none or anonymous).
  bool running_ = false;
  std::atomic<bool> cancel_{false};
};

}  // namespace kql::cli
